//! Search: the site as documents, indexed at build time for the browser.
//!
//! In: the [`Site`]. Out: `search/index.js`, a script that sets
//! `window.cxmapSearchIndex`: every document (what its result shows, where it leads) and
//! every word with the documents that hold it, which `search.js` queries. The page
//! loads it with a `<script>` element, from a server or from disk alike. Words go
//! through elasticlunr-rs's functions (the crate mdBook uses), and query words through
//! the same functions of elasticlunr.js, so both sides agree on what a word is.
//!
//! One document per journey, step, persona, pain point, opportunity and free page, each
//! with a root-relative URL (a step, pain or opportunity links to its journey page at
//! its stage, `#stage-<id>`), a kind, a title, a context (journey › stage) and a short
//! excerpt. Indexed text is folded to ASCII for Latin letters (`María` → `maria`); the
//! page's script folds the query the same way, so accents never decide a match.
//!
//! The index is built in one pass over the content (linear in its size) on every core:
//! documents in site order, words sorted, postings sorted by document, so the same site
//! always gives the same bytes whatever the thread count. A step, pain or opportunity
//! does not repeat its journey and stage words: they are stored once per stage (the
//! "context" postings of a target). See the guide's search page for the layout.

use super::flat::serialize_flat;

use rustc_hash::FxHashMap;
use std::sync::Arc;

use elasticlunr::Language;
use serde::Serialize;

use crate::model::{Journey, Priority, Severity, Site, Step};

/// Fields of the index, in the order `add_doc` takes them. The page's script boosts
/// `title` over `context` and `body`.
pub const FIELDS: [&str; 3] = ["title", "context", "body"];

/// Longest excerpt, in characters (an ellipsis is added when text is cut).
const EXCERPT_CHARS: usize = 160;

/// What a search result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A journey page.
    Journey,
    /// A step of a journey.
    Step,
    /// A persona page.
    Persona,
    /// A pain point of a step.
    Pain,
    /// An opportunity of a step.
    Opportunity,
    /// A free page from `pages/`.
    Page,
}

/// One searchable thing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// What it is.
    pub kind: Kind,
    /// Root-relative URL, ending in `index.html` with an optional `#fragment`.
    pub url: Arc<str>,
    /// What the result link says.
    pub title: String,
    /// Where it sits: `journey › stage` for steps, pains and opportunities.
    pub context: Arc<str>,
    /// A short text shown under the result.
    pub excerpt: String,
    /// Everything else that is searched; indexed, not written out.
    #[serde(skip)]
    pub body: String,
}

/// Every document of the site, in site order: journeys (each followed by its steps,
/// pains and opportunities), personas, pages.
pub fn documents(site: &Site) -> Vec<Document> {
    let mut docs = Vec::new();
    for j in &site.journeys {
        journey_documents(site, j, &mut docs);
    }
    other_documents(site, &mut docs);
    docs
}

/// The documents of the personas and free pages, after the journeys'.
fn other_documents(site: &Site, docs: &mut Vec<Document>) {
    for p in &site.personas {
        let mut body = Words::default();
        body.push(p.role.as_deref());
        body.push(p.quote.as_deref());
        for list in [
            &p.goals,
            &p.needs,
            &p.frustrations,
            &p.motivations,
            &p.empathy.says,
            &p.empathy.thinks,
            &p.empathy.does,
            &p.empathy.feels,
        ] {
            body.extend(list);
        }
        for c in &p.channels {
            body.push(Some(site.config.channel_label(c)));
        }
        body.push(Some(&p.body_text));
        let quote = p.quote.as_ref().map(|q| format!("“{q}”"));
        let summary = [p.role.as_deref(), quote.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        docs.push(Document {
            kind: Kind::Persona,
            url: site.href(&p.lang, &format!("personas/{}/", p.id.0)).into(),
            title: p.name.clone(),
            context: Arc::default(),
            excerpt: excerpt(if summary.is_empty() {
                &p.body_text
            } else {
                &summary
            }),
            body: body.0,
        });
    }
    for page in &site.pages {
        let mut body = Words::default();
        body.push(page.description.as_deref());
        body.push(Some(&page.body_text));
        docs.push(Document {
            kind: Kind::Page,
            url: site.href(&page.lang, &format!("{}/", page.id)).into(),
            title: page.title.clone(),
            context: Arc::default(),
            excerpt: excerpt(page.description.as_deref().unwrap_or(&page.body_text)),
            body: body.0,
        });
    }
}

fn journey_documents(site: &Site, j: &Journey, docs: &mut Vec<Document>) {
    let page = site.journey_href(j);
    let mut body = Words::default();
    body.push(j.summary.as_deref());
    body.push(j.scenario.as_deref());
    body.push(j.owner.as_deref());
    body.push(j.status.as_deref());
    body.extend(&j.tags);
    for id in &j.personas {
        body.push(site.persona(id).map(|p| p.name.as_str()));
    }
    for s in j.stages.iter() {
        body.push(Some(&s.name));
        body.push(s.phase.as_deref());
        body.push(s.goal.as_deref());
    }
    body.push(Some(&j.body_text));
    let lead = [&j.summary, &j.scenario]
        .into_iter()
        .flatten()
        .next()
        .map_or(j.body_text.as_str(), String::as_str);
    docs.push(Document {
        kind: Kind::Journey,
        url: page.as_str().into(),
        title: j.title.clone(),
        context: Arc::default(),
        excerpt: excerpt(lead),
        body: body.0,
    });

    for stage in j.stages.iter() {
        let url: Arc<str> = format!("{page}#stage-{}", stage.id).into();
        let context: Arc<str> = format!("{} › {}", j.title, stage.name).into();
        for step in &stage.steps {
            docs.push(step_document(step, &url, &context));
            let during = format!("Step: {}", step.action);
            for pain in &step.pains {
                let severity = pain.severity.map(Severity::as_str);
                docs.push(Document {
                    kind: Kind::Pain,
                    url: url.clone(),
                    title: pain.text.clone(),
                    context: context.clone(),
                    excerpt: excerpt(&labelled(&[("Severity", severity)], &during)),
                    body: Words::of(&[severity, Some(&step.action)]),
                });
            }
            for o in &step.opportunities {
                let priority = o.priority.map(Priority::as_str);
                let facts = [
                    ("Owner", o.owner.as_deref()),
                    ("Priority", priority),
                    ("Status", o.status.as_deref()),
                ];
                docs.push(Document {
                    kind: Kind::Opportunity,
                    url: url.clone(),
                    title: o.text.clone(),
                    context: context.clone(),
                    excerpt: excerpt(&labelled(&facts, &during)),
                    body: Words::of(&[
                        o.owner.as_deref(),
                        priority,
                        o.status.as_deref(),
                        Some(&step.action),
                    ]),
                });
            }
        }
    }
}

fn step_document(step: &Step, url: &Arc<str>, context: &Arc<str>) -> Document {
    let mut body = Words::default();
    body.push(step.thought.as_deref());
    body.push(step.touchpoint.as_deref());
    body.push(step.channel_label.as_deref());
    if step.channel_label.as_deref() != step.channel.as_deref() {
        body.push(step.channel.as_deref());
    }
    body.extend(&step.backstage);
    for e in &step.evidence {
        body.push(e.quote.as_deref());
        body.push(e.source.as_deref());
    }
    if step.moment_of_truth {
        body.push(Some("moment of truth"));
    }
    let touch = [step.touchpoint.as_deref(), step.channel_label.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let shown = match (&step.thought, touch.is_empty()) {
        (Some(t), true) => format!("“{t}”"),
        (Some(t), false) => format!("“{t}” · {touch}"),
        (None, _) => touch,
    };
    Document {
        kind: Kind::Step,
        url: url.clone(),
        title: step.action.clone(),
        context: context.clone(),
        excerpt: excerpt(&shown),
        body: body.0,
    }
}

/// `Label: value · Label: value · tail`, leaving out values that are not there.
fn labelled(facts: &[(&str, Option<&str>)], tail: &str) -> String {
    let mut parts: Vec<String> = facts
        .iter()
        .filter_map(|(label, v)| v.map(|v| format!("{label}: {v}")))
        .collect();
    parts.push(tail.to_string());
    parts.join(" · ")
}

/// Text gathered for the `body` field, one space between pieces.
#[derive(Default)]
struct Words(String);

impl Words {
    fn of(pieces: &[Option<&str>]) -> String {
        let mut w = Words::default();
        for p in pieces {
            w.push(*p);
        }
        w.0
    }

    fn push(&mut self, text: Option<&str>) {
        if let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) {
            if !self.0.is_empty() {
                self.0.push(' ');
            }
            self.0.push_str(t);
        }
    }

    fn extend(&mut self, list: &[String]) {
        for t in list {
            self.push(Some(t));
        }
    }
}

/// At most [`EXCERPT_CHARS`] characters of `text`, cut at a word boundary.
pub fn excerpt(text: &str) -> String {
    // White space collapsed, as far as one character past the limit: enough to know
    // whether the text is longer and where to cut it.
    let mut collapsed = String::with_capacity(text.len().min(4 * EXCERPT_CHARS + 8));
    let mut chars = 0;
    let mut longer = false;
    for (n, word) in text.split_whitespace().enumerate() {
        if n > 0 {
            collapsed.push(' ');
            chars += 1;
        }
        collapsed.push_str(word);
        chars += word.chars().count();
        if chars > EXCERPT_CHARS {
            longer = true;
            break;
        }
    }
    let text = collapsed;
    if !longer {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let kept = match cut.rfind(' ') {
        Some(i) if i > EXCERPT_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        kept.trim_end_matches(|c: char| c.is_whitespace() || ",;:.–—-".contains(c))
    )
}

/// Folds text for the index: Latin letters to ASCII (`é` → `e`, `ß` → `ss`),
/// combining accents dropped, curly apostrophes straightened; other scripts kept.
/// `search.js` folds queries the same way.
pub fn fold(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{0300}'..='\u{036f}' => {}
            '\u{2018}' | '\u{2019}' => out.push('\''),
            '\u{00c0}'..='\u{024f}' | '\u{1e00}'..='\u{1eff}' => {
                match deunicode::deunicode_char(c) {
                    Some(s) => out.push_str(s),
                    None => out.push(c),
                }
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// How much a word counts in each field: a title match ranks above one in the text.
const TITLE_WEIGHT: u32 = 3;
/// See [`TITLE_WEIGHT`]; the context (journey › stage) counts as much as the text.
const TEXT_WEIGHT: u32 = 1;

/// The words of `text` as the index keeps them: folded, split at spaces and hyphens,
/// lower-cased, cut to [`MAX_WORD`], then through the language's pipeline (for
/// English: trimmed, stop words dropped, stemmed; otherwise trimmed and the
/// language's [`stop_words`] dropped). `search.js` treats query words the same way
/// with elasticlunr.js's functions of the same names.
///
/// Each word the analyzer keeps gets a number of its own (see [`Analyzer::word`]), so
/// a document's words are counted in an array rather than a map of strings.
struct Analyzer {
    pipeline: elasticlunr::Pipeline,
    stop: std::collections::HashSet<String>,
    /// What the pipeline made of each token seen so far, as written (before
    /// lower-casing): a portfolio repeats its words many times over.
    seen: FxHashMap<Box<str>, Option<u32>>,
    /// The words kept, by number.
    words: Vec<String>,
    /// The numbers of the words kept, by word (two spellings may give one word).
    ids: FxHashMap<String, u32>,
    /// The weight of each word in the document being read, by number…
    weights: Vec<u32>,
    /// …and the numbers with a weight, in the order they came.
    touched: Vec<u32>,
}

impl Analyzer {
    fn new(lang: &str) -> Self {
        let pipeline = if is_english(lang) {
            elasticlunr::lang::English::new().make_pipeline()
        } else {
            Trimmed(lang.to_string()).make_pipeline()
        };
        Analyzer {
            pipeline,
            stop: stop_words(lang).into_iter().collect(),
            seen: FxHashMap::default(),
            words: Vec::new(),
            ids: FxHashMap::default(),
            weights: Vec::new(),
            touched: Vec::new(),
        }
    }

    /// Adds `weight` to each word of `text` in the document being read.
    fn add(&mut self, text: &str, weight: u32) {
        if text.is_empty() {
            return;
        }
        let folded = fold(text);
        // Split as elasticlunr's `tokenize_whitespace` does, at white space and
        // hyphens, each word first cut to `MAX_WORD` characters.
        for word in folded.split_whitespace() {
            let word = match word.char_indices().nth(MAX_WORD) {
                Some((cut, _)) => &word[..cut],
                None => word,
            };
            for token in word.split('-').filter(|t| !t.is_empty()) {
                if let Some(id) = self.word(token) {
                    let slot = &mut self.weights[id as usize];
                    if *slot == 0 {
                        self.touched.push(id);
                    }
                    *slot += weight;
                }
            }
        }
    }

    /// The number of the word the pipeline makes of `token`, if it keeps one.
    fn word(&mut self, token: &str) -> Option<u32> {
        if let Some(id) = self.seen.get(token) {
            return *id;
        }
        let word = self
            .pipeline
            .run(vec![token.to_lowercase()])
            .into_iter()
            .next()
            .filter(|w| !w.is_empty() && !self.stop.contains(w));
        let id = word.map(|w| match self.ids.get(&w) {
            Some(id) => *id,
            None => {
                let id = self.words.len() as u32;
                self.ids.insert(w.clone(), id);
                self.words.push(w);
                self.weights.push(0);
                id
            }
        });
        self.seen.insert(token.into(), id);
        id
    }

    /// The words of the document read since the last call, with their weights (in the
    /// order they first came), and ready for the next document.
    fn take(&mut self, mut each: impl FnMut(u32, u32)) {
        for id in self.touched.drain(..) {
            let slot = &mut self.weights[id as usize];
            each(id, *slot);
            *slot = 0;
        }
    }
}

/// Where a result leads: a page, or a stage of a journey page with its context.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
struct Target<'a>(&'a str, &'a str);

/// A word's documents, or targets, as `[delta, weight, delta, weight…]`: each number
/// after the first counts from the one before, which keeps the file small.
type Postings = Vec<u32>;

/// The search index of one language: every document, the words of each and where they
/// lead. Built on every core; the same documents always give the same bytes.
#[derive(Serialize)]
struct Index<'a> {
    /// Where results lead: `[url, context]`.
    targets: Vec<Target<'a>>,
    /// What each result shows: `[kind, title, excerpt, target]`, in site order.
    docs: Vec<(u8, &'a str, &'a str, u32)>,
    /// Every word, sorted as JavaScript compares strings (UTF-16 code units), so the
    /// browser finds the words a prefix starts by binary search.
    words: Vec<String>,
    /// For each word, the documents with it in their title or text.
    postings: Vec<Postings>,
    /// For each word, the targets with it in their context: it counts for every
    /// document of the target. Stored once per stage instead of once per document.
    context: Vec<Postings>,
}

/// Kinds by the number the index gives them.
const KINDS: [Kind; 6] = [
    Kind::Journey,
    Kind::Step,
    Kind::Persona,
    Kind::Pain,
    Kind::Opportunity,
    Kind::Page,
];

/// Every document of `site` ([`documents`]) with the words of each (title and
/// body), made and read in chunks of journeys on every core. The bodies are let go
/// as soon as they are read: a large portfolio's text is not held twice.
fn read_documents(site: &Site, lang: &str) -> (Vec<Document>, Vec<Found>) {
    use rayon::prelude::*;
    const JOURNEYS: usize = 32;
    let read = |analyzer: &mut Analyzer, docs: &mut Vec<Document>| -> Found {
        let found = found_in(analyzer, docs, 0, |analyzer, d| {
            analyzer.add(&d.title, TITLE_WEIGHT);
            analyzer.add(&d.body, TEXT_WEIGHT);
        });
        for d in docs.iter_mut() {
            d.body = String::new();
        }
        found
    };
    let mut parts: Vec<(Vec<Document>, Found)> = site
        .journeys
        .par_chunks(JOURNEYS)
        .map_init(
            || Analyzer::new(lang),
            |analyzer, journeys| {
                let mut docs = Vec::new();
                for j in journeys {
                    journey_documents(site, j, &mut docs);
                }
                let found = read(analyzer, &mut docs);
                (docs, found)
            },
        )
        .collect();
    let mut docs = Vec::new();
    other_documents(site, &mut docs);
    let found = read(&mut Analyzer::new(lang), &mut docs);
    parts.push((docs, found));
    // Ids count from the start of each part; they become positions in the whole list.
    let mut docs = Vec::with_capacity(parts.iter().map(|(d, _)| d.len()).sum());
    let mut by_doc = Vec::with_capacity(parts.len());
    for (part, mut found) in parts {
        let first = docs.len() as u32;
        for (_, list) in &mut found {
            for (id, _) in list.iter_mut() {
                *id += first;
            }
        }
        docs.extend(part);
        by_doc.push(found);
    }
    (docs, by_doc)
}

/// The index of `docs`, whose words (title and body) are `by_doc` (see
/// [`read_documents`]).
fn build_index<'a>(docs: &'a [Document], by_doc: Vec<Found>, lang: &str) -> Index<'a> {
    use rayon::prelude::*;

    let mut target_ids: FxHashMap<Target<'a>, u32> = FxHashMap::default();
    let mut targets: Vec<Target<'a>> = Vec::new();
    let mut doc_rows = Vec::with_capacity(docs.len());
    for d in docs {
        let target = Target(&d.url, &d.context);
        let id = *target_ids.entry(target.clone()).or_insert_with(|| {
            targets.push(target);
            (targets.len() - 1) as u32
        });
        let kind = KINDS.iter().position(|k| *k == d.kind).unwrap_or(0) as u8;
        doc_rows.push((kind, d.title.as_str(), d.excerpt.as_str(), id));
    }

    // The words of targets (context), in chunks on every core; each chunk, like each
    // part of `by_doc`, gives `word → [(id, weight)]`, merged and sorted below.
    let by_target = words_by_id(&targets, lang, |analyzer, t| {
        analyzer.add(t.1, TEXT_WEIGHT);
    });

    type Lists = (Vec<(u32, u32)>, Vec<(u32, u32)>);
    let mut merged: FxHashMap<String, Lists> = FxHashMap::default();
    let mut merge = |parts: Vec<Found>, in_context: bool| {
        for part in parts {
            for (w, list) in part {
                let entry = merged.entry(w).or_default();
                let to = if in_context {
                    &mut entry.1
                } else {
                    &mut entry.0
                };
                to.extend(list);
            }
        }
    };
    merge(by_doc, false);
    merge(by_target, true);

    // Sorted once, as JavaScript compares strings (by UTF-16 code units).
    let mut merged: Vec<(Vec<u16>, String, Lists)> = merged
        .into_iter()
        .map(|(w, lists)| (w.encode_utf16().collect(), w, lists))
        .collect();
    merged.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut words = Vec::with_capacity(merged.len());
    let mut postings = Vec::with_capacity(merged.len());
    let mut context = Vec::with_capacity(merged.len());
    for (_, w, (mut in_docs, mut in_targets)) in merged {
        words.push(w);
        postings.push(delta(&mut in_docs));
        context.push(delta(&mut in_targets));
    }
    Index {
        targets,
        docs: doc_rows,
        words,
        postings,
        context,
    }
}

/// Each word of `items` with the ids (positions) of the items that hold it and its
/// weight in each, as `add` finds them; in chunks on every core, a list per chunk.
fn words_by_id<T: Sync>(
    items: &[T],
    lang: &str,
    add: impl Fn(&mut Analyzer, &T) + Sync,
) -> Vec<Found> {
    use rayon::prelude::*;
    const CHUNK: usize = 1024;
    items
        .par_chunks(CHUNK)
        .enumerate()
        .map_init(
            || Analyzer::new(lang),
            |analyzer, (c, part)| found_in(analyzer, part, (c * CHUNK) as u32, &add),
        )
        .collect()
}

/// Each word of `items` with the ids of the items that hold it (`first` for the first
/// item) and its weight in each, as `add` finds them.
fn found_in<T>(
    analyzer: &mut Analyzer,
    items: &[T],
    first: u32,
    add: impl Fn(&mut Analyzer, &T),
) -> Found {
    // By the analyzer's word numbers, then by word once per call.
    let mut lists: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut used: Vec<u32> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        add(analyzer, item);
        let id = first + i as u32;
        analyzer.take(|word, weight| {
            let word = word as usize;
            if word >= lists.len() {
                lists.resize_with(word + 1, Vec::new);
            }
            if lists[word].is_empty() {
                used.push(word as u32);
            }
            lists[word].push((id, weight));
        });
    }
    used.into_iter()
        .map(|w| {
            (
                analyzer.words[w as usize].clone(),
                std::mem::take(&mut lists[w as usize]),
            )
        })
        .collect()
}

/// Words found in a chunk of documents or targets: `(word, [(id, weight)])`.
type Found = Vec<(String, Vec<(u32, u32)>)>;

/// `[(id, weight)]` sorted by id, as `[delta, weight…]` (see [`Postings`]).
fn delta(list: &mut [(u32, u32)]) -> Postings {
    list.sort_unstable();
    let mut out = Vec::with_capacity(list.len() * 2);
    let mut last = 0;
    for &(id, weight) in list.iter() {
        out.push(id - last);
        out.push(weight);
        last = id;
    }
    out
}

/// The longest word the index keeps, in characters; `search.js` cuts query words the
/// same way. A 2,000-character "word" pasted from a spreadsheet is kept as its first
/// 40 characters.
pub const MAX_WORD: usize = 40;

fn is_english(lang: &str) -> bool {
    lang.split('-').next().unwrap_or(lang) == "en"
}

/// A language elasticlunr has no pipeline for in the browser: words trimmed, nothing
/// else.
struct Trimmed(String);

impl elasticlunr::Language for Trimmed {
    fn name(&self) -> String {
        self.0.clone()
    }

    fn code(&self) -> String {
        self.0.clone()
    }

    fn tokenize(&self, text: &str) -> Vec<String> {
        elasticlunr::lang::tokenize_whitespace(text)
    }

    fn make_pipeline(&self) -> elasticlunr::Pipeline {
        // `trimmer` is a function elasticlunr.js knows by that name.
        elasticlunr::Pipeline {
            queue: vec![Box::new(elasticlunr::pipeline::FnWrapper(
                "trimmer".into(),
                trim,
            ))],
        }
    }
}

fn trim(token: String) -> Option<String> {
    let t = token.trim_matches(|c: char| !c.is_alphanumeric());
    (!t.is_empty()).then(|| t.to_string())
}

/// Words a query in `lang` leaves out (folded as the index is): the most common
/// articles, prepositions and conjunctions of Spanish, Catalan and Italian. English
/// has its own in elasticlunr's pipeline.
pub fn stop_words(lang: &str) -> Vec<String> {
    let words: &[&str] = match lang.split('-').next().unwrap_or(lang) {
        "es" => &[
            "a", "al", "como", "con", "de", "del", "e", "el", "en", "entre", "es", "esta", "este",
            "la", "las", "le", "les", "lo", "los", "mas", "me", "mi", "muy", "ni", "no", "o",
            "para", "pero", "por", "que", "se", "si", "sin", "sobre", "su", "sus", "te", "tu", "u",
            "un", "una", "uno", "y", "ya",
        ],
        "ca" => &[
            "a", "al", "als", "amb", "com", "de", "del", "dels", "el", "els", "en", "entre", "es",
            "hi", "ho", "i", "la", "les", "li", "mes", "molt", "no", "o", "per", "pero", "que",
            "se", "si", "sense", "seu", "seva", "sobre", "un", "una", "uns", "unes", "ja",
        ],
        "it" => &[
            "a", "ai", "al", "alla", "alle", "anche", "che", "ci", "come", "con", "da", "dal",
            "dalla", "dei", "del", "della", "delle", "di", "e", "gli", "i", "il", "in", "la", "le",
            "lo", "ma", "mi", "ne", "nei", "nel", "nella", "non", "o", "per", "piu", "se", "si",
            "sono", "su", "sua", "sul", "sulla", "suo", "ti", "tra", "fra", "un", "una", "uno",
        ],
        _ => &[],
    };
    words.iter().map(|w| fold(w).into_owned()).collect()
}

/// What `search/index.js` holds (see the guide's search page for the layout).
struct SearchData<'a> {
    /// Raise when the layout of this file changes.
    version: u32,
    /// The language of the index.
    lang: &'a str,
    /// The elasticlunr.js functions a query word goes through, as the index's words
    /// went through elasticlunr-rs's functions of the same names.
    pipeline: Vec<String>,
    /// Query words to leave out (see [`stop_words`]); empty for English, whose
    /// pipeline drops them.
    stop_words: Vec<String>,
    /// Kinds of result by number.
    kinds: &'a [Kind],
    index: Index<'a>,
}

serialize_flat!(SearchData<'_> { version, lang, pipeline, stop_words, kinds; flatten index });

/// `search/index.js`: the index of the site's language as a script that sets
/// `window.cxmapSearchIndex`, which the search page loads with a `<script>` element,
/// from a server or from disk alike.
pub fn script(site: &Site) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_script(site, &mut out);
    out
}

/// [`script`], into `out` as it is serialized.
pub fn write_script(site: &Site, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let (docs, by_doc) = read_documents(site, &site.lang);
    let english = is_english(&site.lang);
    let pipeline: Vec<String> = if english {
        elasticlunr::lang::English::new().make_pipeline()
    } else {
        Trimmed(site.lang.clone()).make_pipeline()
    }
    .queue
    .iter()
    .map(|f| f.name())
    .collect();
    let data = SearchData {
        version: 2,
        lang: &site.lang,
        pipeline,
        stop_words: if english {
            Vec::new()
        } else {
            stop_words(&site.lang)
        },
        kinds: &KINDS,
        index: build_index(&docs, by_doc, &site.lang),
    };
    out.write_all(b"window.cxmapSearchIndex = ")?;
    super::write_json_script_safe(&data, &mut *out)?;
    out.write_all(b";\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("cxmap.toml"),
            "title = \"T\"\n[channels.web]\nlabel = \"Website\"\n",
        )
        .unwrap();
        for d in ["journeys", "personas", "pages"] {
            std::fs::create_dir(root.join(d)).unwrap();
        }
        std::fs::write(
            root.join("journeys/order.md"),
            r#"+++
title = "Ordering a laptop"
summary = "From a broken laptop to a new one"
personas = ["maria"]
tags = ["retail"]

[[stages]]
name = "Discovery"
goal = "Find one fast"

  [[stages.steps]]
  action = "Searches on her phone"
  thought = "So many options"
  touchpoint = "Search results"
  channel = "web"
  pains = [{ text = "Specs are hard to compare", severity = "high" }]
  opportunities = [{ text = "Comparison table", owner = "Web team", priority = "high" }]
+++

Narrative about *the* journey.

## Discovery

She starts on her **phone**.
"#,
        )
        .unwrap();
        std::fs::write(
            root.join("personas/maria.md"),
            "+++\nname = \"María Puig\"\nrole = \"Designer\"\nquote = \"Just work.\"\ngoals = [\"Finish on time\"]\n+++\n\nBackground.\n",
        )
        .unwrap();
        std::fs::write(
            root.join("pages/method.md"),
            "+++\ntitle = \"Method\"\n+++\n\nWe interviewed 12 people.\n\n- one\n- two\n",
        )
        .unwrap();
        let outcome = crate::check(root).unwrap();
        assert!(
            !outcome.diagnostics.has_errors(),
            "{}",
            outcome.diagnostics.render(false)
        );
        outcome.site.unwrap()
    }

    #[test]
    fn one_document_per_journey_step_pain_opportunity_persona_and_page() {
        let docs = documents(&site());
        let kinds: Vec<Kind> = docs.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Journey,
                Kind::Step,
                Kind::Pain,
                Kind::Opportunity,
                Kind::Persona,
                Kind::Page
            ]
        );
        let journey = &docs[0];
        assert_eq!(&*journey.url, "journeys/order/index.html");
        assert_eq!(journey.excerpt, "From a broken laptop to a new one");
        for word in [
            "Discovery",
            "Find one fast",
            "María Puig",
            "retail",
            "Narrative about the journey",
            "on her phone",
        ] {
            assert!(journey.body.contains(word), "{word} in {:?}", journey.body);
        }

        let step = &docs[1];
        assert_eq!(step.title, "Searches on her phone");
        assert_eq!(&*step.url, "journeys/order/index.html#stage-discovery");
        assert_eq!(&*step.context, "Ordering a laptop › Discovery");
        assert_eq!(step.excerpt, "“So many options” · Search results · Website");
        assert!(step.body.contains("Website") && step.body.contains("web"));

        let pain = &docs[2];
        assert_eq!(pain.title, "Specs are hard to compare");
        assert_eq!(pain.url, step.url);
        assert_eq!(pain.excerpt, "Severity: high · Step: Searches on her phone");
        let opportunity = &docs[3];
        assert_eq!(
            opportunity.excerpt,
            "Owner: Web team · Priority: high · Step: Searches on her phone"
        );

        let persona = &docs[4];
        assert_eq!(&*persona.url, "personas/maria/index.html");
        assert_eq!(persona.excerpt, "Designer · “Just work.”");
        assert!(persona.body.contains("Finish on time") && persona.body.contains("Background."));

        let page = &docs[5];
        assert_eq!(&*page.url, "method/index.html");
        assert_eq!(page.excerpt, "We interviewed 12 people. one two");
    }

    #[test]
    fn the_index_finds_folded_words_and_serializes_the_same_twice() {
        let site = site();
        let script = script(&site);
        assert_eq!(script, super::script(&site));
        let text = std::str::from_utf8(&script).unwrap();
        let json = text
            .strip_prefix("window.cxmapSearchIndex = ")
            .and_then(|t| t.strip_suffix(";\n"))
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["version"], 2);
        assert_eq!(v["docs"][4][1], "María Puig");
        assert_eq!(
            v["kinds"][v["docs"][4][0].as_u64().unwrap() as usize],
            "persona"
        );
        // `María` is indexed as `maria`, in the title of the persona (document 4).
        let words = v["words"].as_array().unwrap();
        let at = words.iter().position(|w| w == "maria").unwrap();
        let postings = v["postings"][at].as_array().unwrap();
        let mut id = 0;
        let docs: Vec<(u64, u64)> = postings
            .chunks(2)
            .map(|p| {
                id += p[0].as_u64().unwrap();
                (id, p[1].as_u64().unwrap())
            })
            .collect();
        assert!(docs.contains(&(4, TITLE_WEIGHT as u64)), "{docs:?}");
    }

    #[test]
    fn postings_count_from_the_one_before() {
        let mut list = vec![(7, 1), (2, 3), (10, 1)];
        assert_eq!(delta(&mut list), [2, 3, 5, 1, 3, 1]);
    }

    #[test]
    fn excerpts_are_cut_at_a_word() {
        assert_eq!(excerpt("  short   text "), "short text");
        let long = "word ".repeat(60);
        let e = excerpt(&long);
        assert!(e.ends_with("word…"), "{e}");
        assert!(e.chars().count() <= EXCERPT_CHARS + 1);
        let unbroken = "x".repeat(200);
        assert_eq!(excerpt(&unbroken).chars().count(), EXCERPT_CHARS + 1);
    }

    #[test]
    fn folding_keeps_other_scripts() {
        assert_eq!(
            fold("María Ñandú straße Œuvre"),
            "Maria Nandu strasse OEuvre"
        );
        assert_eq!(fold("don’t"), "don't");
        assert_eq!(fold("e\u{301}"), "e");
        assert_eq!(fold("東京 Ελλάδα"), "東京 Ελλάδα");
    }
}
