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
use super::{JourneyId, Page, Persona, PersonaId, Site, Timeline};
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

/// Reads every content file on its own, on every core: the documents of the site.
pub fn read_all(sources: &Sources, config: &Config) -> Vec<Read> {
    sources
        .content
        .par_iter()
        .map(|source| read_doc(source, config))
        .collect()
}

/// Reads every content file and links them into a site without history.
pub fn resolve(sources: &Sources, config: &Config, diags: &mut Diagnostics) -> Site {
    link(read_all(sources, config), sources, config, None, diags)
}

/// Links documents read by [`read_doc`] into a site: the rules that span files, the
/// back-links, and what the timeline says of each file (its history, its earlier
/// versions, the content's date and so staleness, each once). The site is complete
/// when this returns. Cheap next to reading; the order of `read` does not matter.
pub fn link(
    read: Vec<Read>,
    sources: &Sources,
    config: &Config,
    timeline: Option<&Timeline>,
    diags: &mut Diagnostics,
) -> Site {
    let languages = config.all_languages();
    let Documents {
        journeys,
        mut personas,
        pages,
    } = documents(read, &languages, diags);
    let mut journeys = check_references(journeys, &personas, config, diags);
    check_avatars(&mut personas, sources, diags);
    if let Some(t) = timeline {
        for j in &mut journeys {
            j.history = Some(super::file_history(&t.history, &j.source));
            j.earlier = t.earlier.get(&j.source).cloned().unwrap_or_default();
        }
        for p in &mut personas {
            p.history = Some(super::file_history(&t.history, &p.source));
        }
    }
    // The newest date the content names: its latest review or its maps' last commit.
    let last_commit = |j: &super::Journey| j.history.as_ref()?.last().map(|c| c.date);
    let content_date = journeys
        .iter()
        .filter_map(|j| j.reviewed.max(last_commit(j)))
        .max();
    mark_stale(&mut journeys, content_date, config.stale_after_days);
    let mut sites = language_views(
        config,
        &languages,
        Documents {
            journeys,
            personas,
            pages,
        },
        content_date,
    );
    if let Some(t) = timeline {
        for (site, recent) in sites.iter_mut().zip(&t.recent) {
            site.recent = Some(recent.clone());
        }
    }
    let mut site = sites.remove(0);
    site.translations = sites;
    site
}

/// The documents of a site, by kind.
struct Documents<J> {
    journeys: Vec<J>,
    personas: Vec<Persona>,
    pages: Vec<Page>,
}

/// The documents that were read, sorted by slug and language, each slug once per
/// language, pages that would replace one of cxmap's folders left out; the problems of
/// reading go to `diags`.
fn documents(
    read: Vec<Read>,
    languages: &[String],
    diags: &mut Diagnostics,
) -> Documents<JourneyDoc> {
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
    pages.retain(|p| !takes_a_reserved_folder(p, languages, diags));
    Documents {
        journeys,
        personas,
        pages,
    }
}

/// Whether a page would replace one of cxmap's own folders (or another language's);
/// an error says so.
fn takes_a_reserved_folder(p: &Page, languages: &[String], diags: &mut Diagnostics) -> bool {
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
    reserved
}

/// The journeys with their persona and baseline references resolved; unknown ones,
/// and channels that look like typos of the registry's, are reported. References name
/// slugs, which every language shares.
fn check_references(
    journeys: Vec<JourneyDoc>,
    personas: &[Persona],
    config: &Config,
    diags: &mut Diagnostics,
) -> Vec<super::Journey> {
    let mut persona_ids: Vec<&str> = personas.iter().map(|p| p.id.0.as_str()).collect();
    persona_ids.dedup();
    let mut journey_ids: Vec<&str> = journeys.iter().map(|j| j.journey.id.0.as_str()).collect();
    journey_ids.dedup();
    let checked: Vec<_> = journeys
        .iter()
        .map(|doc| {
            let ctx = Ctx::new(&doc.journey.source);
            let personas_of = persona_refs(doc, &persona_ids, &ctx);
            let baseline = baseline_ref(doc, &journey_ids, &ctx);
            channel_refs(doc, config, &ctx);
            for p in ctx.into_diagnostics() {
                diags.push(p);
            }
            (personas_of, baseline)
        })
        .collect();
    journeys
        .into_iter()
        .zip(checked)
        .map(|(doc, (personas_of, baseline))| {
            let mut j = doc.journey;
            j.personas = personas_of;
            j.baseline = baseline;
            j
        })
        .collect()
}

/// The personas a journey names that exist, each once.
fn persona_refs(doc: &JourneyDoc, persona_ids: &[&str], ctx: &Ctx) -> Vec<PersonaId> {
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
    personas_of
}

/// The journey a future-state map improves, when it exists and is another one.
fn baseline_ref(doc: &JourneyDoc, journey_ids: &[&str], ctx: &Ctx) -> Option<JourneyId> {
    let b = doc.baseline_ref.as_ref()?;
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
}

/// Warns of channels that are not in `[channels]` but look like one of its keys.
fn channel_refs(doc: &JourneyDoc, config: &Config, ctx: &Ctx) {
    if config.channels.is_empty() {
        return;
    }
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

/// An avatar that is not among the static files is dropped (initials are drawn instead
/// of a broken picture), with a warning.
fn check_avatars(personas: &mut [Persona], sources: &Sources, diags: &mut Diagnostics) {
    for p in personas {
        if let Some(avatar) = p
            .avatar
            .take_if(|a| !sources.static_files.iter().any(|f| f.rel == *a))
        {
            diags.push(
                Diagnostic::warning(&p.source, format!("avatar `{avatar}` is not in `static/`"))
                    .help(format!(
                        "put the picture at `static/{avatar}`, or remove `avatar` to draw initials"
                    )),
            );
        }
    }
}

/// One site per language, each listing every slug once, in that language when it
/// exists; each language's view is made on a core of its own.
fn language_views(
    config: &Config,
    languages: &[String],
    mut docs: Documents<super::Journey>,
    content_date: Option<Date>,
) -> Vec<Site> {
    set_translations(
        &mut docs.journeys,
        |j| (&j.id.0, &j.lang),
        |j| &mut j.translations,
        languages,
    );
    set_translations(
        &mut docs.personas,
        |p| (&p.id.0, &p.lang),
        |p| &mut p.translations,
        languages,
    );
    set_translations(
        &mut docs.pages,
        |p| (&p.id, &p.lang),
        |p| &mut p.translations,
        languages,
    );
    languages
        .par_iter()
        .map(|lang| {
            let pick = |item_lang: &str, translations: &[String]| {
                item_lang == pick_language(lang, translations, languages)
            };
            let journeys = docs
                .journeys
                .iter()
                .filter(|j| pick(&j.lang, &j.translations))
                .cloned()
                .collect();
            let personas = docs
                .personas
                .iter()
                .filter(|p| pick(&p.lang, &p.translations))
                .cloned()
                .collect();
            let pages = docs
                .pages
                .iter()
                .filter(|p| pick(&p.lang, &p.translations))
                .cloned()
                .collect();
            one_language(config, lang, journeys, personas, pages, content_date)
        })
        .collect()
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
