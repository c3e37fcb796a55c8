//! What an edit changes: the parts of the site (see [`super::parts`]) whose inputs
//! differ between two versions of the same site, for `cxmap serve`.
//!
//! Compares the old and the new [`Site`] journey by journey and persona by persona
//! (the model types compare by value, back-links included) and follows what each page
//! shows: a journey page shows its personas and its baseline and futures; a persona page
//! and a tag page show cards of their journeys, and a card names the journey's
//! personas; the indexes, the cross-journey pages (channels, pain points,
//! opportunities, tags), the search index and the data files show every journey.

use std::collections::BTreeSet;

use crate::model::{JourneyId, PersonaId, Site};

use super::portfolio;

/// The pages and data files that every edit to a journey or a persona renders again.
const ALWAYS: &[&str] = &[
    "index.html",
    "journeys/index.html",
    "personas/index.html",
    "channels/index.html",
    "pains/index.html",
    "opportunities/index.html",
    "tags/index.html",
    "search/index.html",
    "sitemap.xml",
    "data/journeys.json",
    portfolio::PAINS_CSV,
    portfolio::OPPORTUNITIES_CSV,
];

/// The parts an edit changed, as keys of [`super::Parts`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Affected {
    /// Keys of the parts to render again.
    pub keys: BTreeSet<String>,
    /// The channel folders of every language (`channels/`, `es/channels/`).
    channels: Vec<String>,
}

impl Affected {
    /// Whether the part with this key must be rendered again. Channel pages always
    /// are: they gather steps from every journey.
    pub fn contains(&self, key: &str) -> bool {
        self.keys.contains(key) || self.channels.iter().any(|c| key.starts_with(c.as_str()))
    }
}

/// The parts whose inputs differ between `old` and `new`, two readings of one site with
/// the same configuration and theme; `None` when everything must be rendered again (a
/// free page changed, which is in every page's navigation, or the content's date, on
/// which every journey's staleness depends, or the set of personas, or the languages).
///
/// Each language is compared with itself, and its keys carry its folder (`es/…`). Pages
/// link across languages only through the language switcher, which depends on which
/// languages have the page: a journey or persona gaining or losing a translation
/// changes the site's list of parts, and `serve` renders the whole site then.
pub fn affected(old: &Site, new: &Site) -> Option<Affected> {
    let old_langs: Vec<&Site> = old.languages().collect();
    let new_langs: Vec<&Site> = new.languages().collect();
    if old_langs.len() != new_langs.len()
        || old_langs
            .iter()
            .zip(&new_langs)
            .any(|(a, b)| a.lang != b.lang)
    {
        return None;
    }
    let mut affected = Affected::default();
    for (o, n) in old_langs.into_iter().zip(new_langs) {
        let prefix = new.lang_dir(&n.lang);
        let keys = affected_in(o, n)?;
        affected
            .keys
            .extend(keys.into_iter().map(|k| format!("{prefix}{k}")));
        affected.channels.push(format!("{prefix}channels/"));
    }
    Some(affected)
}

/// [`affected`] in one language: keys without the language's folder.
fn affected_in(old: &Site, new: &Site) -> Option<BTreeSet<String>> {
    if old.pages != new.pages
        || old.content_date != new.content_date
        || old.personas.len() != new.personas.len()
        || old
            .personas
            .iter()
            .zip(&new.personas)
            .any(|(a, b)| a.id != b.id)
    {
        return None;
    }
    // Journeys that changed, appeared or went.
    let mut changed: BTreeSet<&JourneyId> = BTreeSet::new();
    for j in &old.journeys {
        if new.journey(&j.id) != Some(j) {
            changed.insert(&j.id);
        }
    }
    for j in &new.journeys {
        if old.journey(&j.id).is_none() {
            changed.insert(&j.id);
        }
    }
    let personas: BTreeSet<&PersonaId> = old
        .personas
        .iter()
        .zip(&new.personas)
        .filter(|(a, b)| a != b)
        .map(|(_, b)| &b.id)
        .collect();
    if changed.is_empty() && personas.is_empty() {
        return Some(BTreeSet::new());
    }
    // Journeys whose card changed: the journey itself or a persona it names.
    let mut carded = changed.clone();
    for j in &new.journeys {
        if j.personas.iter().any(|p| personas.contains(p)) {
            carded.insert(&j.id);
        }
    }

    let mut keys: BTreeSet<String> = ALWAYS.iter().map(|k| k.to_string()).collect();
    for j in &new.journeys {
        if carded.contains(&j.id)
            || j.baseline.as_ref().is_some_and(|b| changed.contains(b))
            || j.futures.iter().any(|f| changed.contains(f))
        {
            keys.insert(format!("journeys/{}/index.html", j.id.0));
        }
    }
    for p in &new.personas {
        if personas.contains(&p.id) || p.journeys.iter().any(|j| carded.contains(j)) {
            keys.insert(format!("personas/{}/index.html", p.id.0));
        }
    }
    // Tag pages that list a changed card, or listed it before.
    for site in [old, new] {
        for j in site.journeys.iter().filter(|j| carded.contains(&j.id)) {
            keys.extend(j.tags.iter().map(|t| portfolio::tag_url(t)));
        }
    }
    Some(keys)
}
