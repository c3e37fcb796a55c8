//! All documents to one [`Site`]: files are read in parallel, then the rules that span
//! files are checked — persona slugs and baselines exist, no two files share a slug,
//! channels not in the registry are probably typos — and the back-links are made
//! (personas know their journeys, current maps know their future ones).

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{Source, SourceKind, Sources};
use crate::parse::fields::Ctx;

use super::read::{self, JourneyDoc};
use super::{Change, FileHistory, JourneyId, Page, Persona, PersonaId, Site};
use crate::parse::node::Date;

/// One content file, read on its own (before the rules that span files).
#[derive(Debug, Clone)]
pub enum Doc {
    /// A journey and the spans of what it refers to.
    Journey(Box<JourneyDoc>),
    /// A persona.
    Persona(Box<Persona>),
    /// A free page.
    Page(Box<Page>),
}

/// A file read on its own: the document (when it could be read) and its problems.
pub type Read = (Option<Doc>, Vec<Diagnostic>);

/// Reads one content file; the expensive, per-file part of [`resolve`] (`serve` keeps
/// the result per file and reads again only the files that changed).
pub fn read_doc(source: &Source, config: &Config) -> Read {
    let ctx = Ctx::with_text(&source.rel, source.text.clone());
    let doc = match source.kind {
        SourceKind::Journey => {
            read::journey(source, config, &ctx).map(|d| Doc::Journey(Box::new(d)))
        }
        SourceKind::Persona => {
            read::persona(source, config, &ctx).map(|p| Doc::Persona(Box::new(p)))
        }
        SourceKind::Page => read::page(source, config, &ctx).map(|p| Doc::Page(Box::new(p))),
    };
    (doc, ctx.into_diagnostics())
}

/// Reads every content file and links them into a site.
pub fn resolve(sources: &Sources, config: &Config, diags: &mut Diagnostics) -> Site {
    let read: Vec<Read> = sources
        .content
        .par_iter()
        .map(|source| read_doc(source, config))
        .collect();
    link(read, sources, config, diags)
}

/// Links documents read by [`read_doc`] into a site: the rules that span files and the
/// back-links. Cheap next to reading; the order of `read` does not matter.
pub fn link(read: Vec<Read>, sources: &Sources, config: &Config, diags: &mut Diagnostics) -> Site {
    let mut journeys = Vec::new();
    let mut personas = Vec::new();
    let mut pages = Vec::new();
    for (doc, problems) in read {
        for p in problems {
            diags.push(p);
        }
        match doc {
            Some(Doc::Journey(j)) => journeys.push(*j),
            Some(Doc::Persona(p)) => personas.push(*p),
            Some(Doc::Page(p)) => pages.push(*p),
            None => {}
        }
    }

    let languages = config.all_languages();
    let several = languages.len() > 1;
    dedupe(
        &mut journeys,
        |j| {
            (
                j.journey.id.0.clone(),
                j.journey.lang.clone(),
                j.journey.source.clone(),
            )
        },
        "journey",
        several,
        diags,
    );
    dedupe(
        &mut personas,
        |p| (p.id.0.clone(), p.lang.clone(), p.source.clone()),
        "persona",
        several,
        diags,
    );
    dedupe(
        &mut pages,
        |p| (p.id.clone(), p.lang.clone(), p.source.clone()),
        "page",
        several,
        diags,
    );
    pages.retain(|p| {
        let top = p.id.split('/').next().unwrap_or("");
        // The other languages' folders are taken too (the site's language has none).
        let reserved = RESERVED.contains(&top) || languages.iter().skip(1).any(|l| l == top);
        if reserved {
            diags.push(
                Diagnostic::error(
                    &p.source,
                    format!("the page `{}` would replace the site's own `{top}/`", p.id),
                )
                .help(format!(
                    "rename the file; `{}` are used by cxmap",
                    RESERVED
                        .iter()
                        .copied()
                        .chain(languages.iter().skip(1).map(String::as_str))
                        .collect::<Vec<_>>()
                        .join("`, `")
                )),
            );
        }
        !reserved
    });

    // References name slugs, which every language shares.
    let mut persona_ids: Vec<&str> = personas.iter().map(|p| p.id.0.as_str()).collect();
    persona_ids.dedup();
    let mut journey_ids: Vec<&str> = journeys.iter().map(|j| j.journey.id.0.as_str()).collect();
    journey_ids.dedup();
    let mut checked = Vec::with_capacity(journeys.len());
    for doc in &journeys {
        let ctx = Ctx::new(&doc.journey.source);
        let mut personas_of = Vec::new();
        for r in &doc.persona_refs {
            let slug = r.value.trim().trim_end_matches(".md");
            if persona_ids.binary_search(&slug).is_ok() {
                if !personas_of.contains(&PersonaId(slug.to_string())) {
                    personas_of.push(PersonaId(slug.to_string()));
                }
            } else {
                let e = ctx
                    .error(r.span.clone(), format!("unknown persona `{}`", r.value))
                    .label(format!("no file `personas/{slug}.md`"));
                if crate::diag::closest(slug, persona_ids.iter().copied()).is_some() {
                    e.did_you_mean(slug, persona_ids.iter().copied());
                } else if persona_ids.is_empty() {
                    e.help("create it with `cxmap new persona NAME`");
                } else {
                    e.help(format!("the personas are: `{}`", persona_ids.join("`, `")));
                }
            }
        }
        let baseline = doc.baseline_ref.as_ref().and_then(|b| {
            let slug = b
                .value
                .trim()
                .trim_end_matches(".md")
                .trim_start_matches("journeys/");
            if slug == doc.journey.id.0 {
                ctx.error(b.span.clone(), "a journey cannot be its own baseline")
                    .label("expected the slug of the current-state map this one improves");
                None
            } else if journey_ids.binary_search(&slug).is_ok() {
                Some(JourneyId(slug.to_string()))
            } else {
                ctx.error(
                    b.span.clone(),
                    format!("unknown baseline journey `{}`", b.value),
                )
                .label(format!("no file `journeys/{slug}.md`"))
                .did_you_mean(slug, journey_ids.iter().copied());
                None
            }
        });
        if !config.channels.is_empty() {
            for c in &doc.channel_refs {
                if !config.channels.contains_key(&c.value)
                    && let Some(best) =
                        crate::diag::closest(&c.value, config.channels.keys().map(String::as_str))
                {
                    ctx.warning(
                        c.span.clone(),
                        format!("channel `{}` is not in `[channels]`", c.value),
                    )
                    .label("shown as free text")
                    .help(format!("did you mean `{best}`?"));
                }
            }
        }
        for p in ctx.into_diagnostics() {
            diags.push(p);
        }
        checked.push((personas_of, baseline));
    }

    let mut journeys: Vec<_> = journeys
        .into_iter()
        .zip(checked)
        .map(|(doc, (personas_of, baseline))| {
            let mut j = doc.journey;
            j.personas = personas_of;
            j.baseline = baseline;
            j
        })
        .collect();
    for p in &mut personas {
        if let Some(avatar) = p
            .avatar
            .take_if(|a| !sources.static_files.iter().any(|f| f.rel == *a))
        {
            // Initials are drawn instead of a broken picture.
            diags.push(
                Diagnostic::warning(&p.source, format!("avatar `{avatar}` is not in `static/`"))
                    .help(format!(
                        "put the picture at `static/{avatar}`, or remove `avatar` to draw initials"
                    )),
            );
        }
    }

    let content_date = journeys.iter().filter_map(|j| j.reviewed).max();
    mark_stale(&mut journeys, content_date, config.stale_after_days);
    set_translations(
        &mut journeys,
        |j| (&j.id.0, &j.lang),
        |j| &mut j.translations,
        &languages,
    );
    set_translations(
        &mut personas,
        |p| (&p.id.0, &p.lang),
        |p| &mut p.translations,
        &languages,
    );
    set_translations(
        &mut pages,
        |p| (&p.id, &p.lang),
        |p| &mut p.translations,
        &languages,
    );

    // Each language's view is made on a core of its own.
    let mut sites: Vec<Site> = languages
        .par_iter()
        .map(|lang| {
            let pick = |item_lang: &str, translations: &[String]| {
                item_lang == pick_language(lang, translations, &languages)
            };
            let journeys = journeys
                .iter()
                .filter(|j| pick(&j.lang, &j.translations))
                .cloned()
                .collect();
            let personas = personas
                .iter()
                .filter(|p| pick(&p.lang, &p.translations))
                .cloned()
                .collect();
            let pages = pages
                .iter()
                .filter(|p| pick(&p.lang, &p.translations))
                .cloned()
                .collect();
            one_language(config, lang, journeys, personas, pages, content_date)
        })
        .collect();
    let mut site = sites.remove(0);
    site.translations = sites;
    site
}

/// The language a view in `lang` shows an item in, given the languages it exists in:
/// `lang` itself, else the site's language, else the first one there is.
fn pick_language<'a>(
    lang: &'a str,
    translations: &'a [String],
    languages: &'a [String],
) -> &'a str {
    if translations.iter().any(|t| t == lang) {
        lang
    } else if translations.iter().any(|t| *t == languages[0]) {
        &languages[0]
    } else {
        translations.first().map_or(lang, String::as_str)
    }
}

/// Fills each item's `translations`: the languages its slug exists in, in the site's
/// order. `items` are sorted by slug.
fn set_translations<T>(
    items: &mut [T],
    key: impl Fn(&T) -> (&String, &String),
    slot: impl Fn(&mut T) -> &mut Vec<String>,
    languages: &[String],
) {
    let mut start = 0;
    while start < items.len() {
        let slug = key(&items[start]).0.clone();
        let end = start
            + items[start..]
                .iter()
                .take_while(|i| *key(i).0 == slug)
                .count();
        let present: Vec<String> = languages
            .iter()
            .filter(|l| items[start..end].iter().any(|i| key(i).1 == *l))
            .cloned()
            .collect();
        for item in &mut items[start..end] {
            *slot(item) = present.clone();
        }
        start = end;
    }
}

/// One language's view: the back-links between the versions it shows.
fn one_language(
    config: &Config,
    lang: &str,
    mut journeys: Vec<super::Journey>,
    mut personas: Vec<Persona>,
    mut pages: Vec<Page>,
    content_date: Option<Date>,
) -> Site {
    let mut futures: BTreeMap<JourneyId, Vec<JourneyId>> = BTreeMap::new();
    for j in &journeys {
        if let Some(b) = &j.baseline {
            futures.entry(b.clone()).or_default().push(j.id.clone());
        }
    }
    for j in &mut journeys {
        j.futures = futures.remove(&j.id).unwrap_or_default();
    }
    // Each persona's journeys in site order, from one pass over the journeys.
    let mut walked: BTreeMap<&PersonaId, Vec<JourneyId>> = BTreeMap::new();
    for j in &journeys {
        for p in &j.personas {
            let list = walked.entry(p).or_default();
            if list.last() != Some(&j.id) {
                list.push(j.id.clone());
            }
        }
    }
    for p in &mut personas {
        p.journeys = walked.remove(&p.id).unwrap_or_default();
    }
    pages.sort_by(|a, b| (a.weight, &a.title, &a.id).cmp(&(b.weight, &b.title, &b.id)));
    Site {
        config: config.clone(),
        journeys,
        personas,
        pages,
        content_date,
        lang: lang.to_string(),
        translations: Vec::new(),
        recent: None,
    }
}

/// Marks the journeys whose last review (or, without one, last change in git) is more
/// than `days` before `today`.
fn mark_stale(journeys: &mut [super::Journey], today: Option<Date>, days: u32) {
    for j in journeys {
        let seen = j
            .reviewed
            .or_else(|| j.history.as_ref().and_then(|h| h.last()).map(|c| c.date));
        j.stale = match (today, seen) {
            (Some(today), Some(seen)) => today.days() - seen.days() > i64::from(days),
            _ => false,
        };
    }
}

/// Adds what git knows to every journey and persona of the site, in every language:
/// the commits that changed its file and whether it has uncommitted changes. The
/// content's date becomes the newest of its reviews and its files' last changes, and
/// staleness is measured again (a map without `reviewed` by its last change).
pub fn attach_history(site: &mut Site, history: &crate::history::History) {
    let of = |source: &std::path::Path| {
        let changes: Vec<Change> = history
            .files
            .get(source)
            .map(|ids| {
                ids.iter()
                    .filter_map(|&i| history.commits.get(i))
                    .map(|c| Change {
                        commit: c.id.clone(),
                        short: c.short.clone(),
                        date: c.date,
                        author: c.author.clone(),
                        subject: c.subject.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        FileHistory {
            uncommitted: history.uncommitted.contains(source) || changes.is_empty(),
            partial: history.shallow,
            changes,
        }
    };
    let mut newest = site.content_date;
    let mut each = |s: &mut Site| {
        for j in &mut s.journeys {
            let h = of(&j.source);
            newest = newest.max(h.last().map(|c| c.date));
            j.history = Some(h);
        }
        for p in &mut s.personas {
            p.history = Some(of(&p.source));
        }
    };
    each(site);
    site.translations.iter_mut().for_each(&mut each);
    let days = site.config.stale_after_days;
    let restale = |s: &mut Site| {
        s.content_date = newest;
        mark_stale(&mut s.journeys, newest, days);
    };
    restale(site);
    site.translations.iter_mut().for_each(restale);
}

/// Top-level output folders cxmap writes itself; a page may not take them.
pub const RESERVED: &[&str] = &[
    "journeys",
    "personas",
    "channels",
    "pains",
    "opportunities",
    "search",
    "data",
    "assets",
    "tags",
    "changes",
    "404",
    "index",
];

/// Sorts by slug and language and reports files whose names fold to the same slug in
/// the same language; the first file (in path order) wins.
fn dedupe<T>(
    items: &mut Vec<T>,
    key: impl Fn(&T) -> (String, String, PathBuf),
    what: &str,
    several_languages: bool,
    diags: &mut Diagnostics,
) {
    items.sort_by_key(|i| key(i));
    let mut kept: Vec<T> = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        let (slug, lang, source) = key(&item);
        if let Some(first) = kept.last().filter(|k| key(k).0 == slug && key(k).1 == lang) {
            let (_, _, first_source) = key(first);
            let message = if several_languages {
                format!("two {what} files have the slug `{slug}` in `{lang}`")
            } else {
                format!("two {what} files have the slug `{slug}`")
            };
            diags.push(
                Diagnostic::error(&source, message).help(format!(
                    "`{}` has it already; file names are lower-cased and accents dropped, so rename one of them",
                    first_source.display()
                )),
            );
            continue;
        }
        kept.push(item);
    }
    *items = kept;
}
