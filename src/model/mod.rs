//! The validated content model: what a site *means*, after every rule of the format has
//! been checked and every reference resolved.
//!
//! [`read`] turns one parsed file into a document with spans; [`resolve`] checks the
//! cross-file rules (persona slugs, baselines, duplicate slugs) and links the documents
//! into a [`Site`]. Everything here is plain data, sorted, and serializable: it is what
//! templates and `data/journeys.json` see.

pub mod changes;
pub mod read;
pub mod resolve;
pub mod select;
pub use crate::stage_models;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::config::Config;
use crate::html::Html;
use crate::parse::markdown::{Fence, Heading};
use crate::parse::node::Date;

pub use resolve::resolve;

/// The words of a closed set (a state, a severity…): `ALL` with the key of each value in
/// order, lowest first; `as_str`, `Display` and `FromStr` with those keys, as written in
/// frontmatter and shown in data files; `rank`, the value's place in that order.
macro_rules! closed_set {
    ($name:ident, $what:literal, { $($variant:ident => $key:literal),+ $(,)? }) => {
        impl $name {
            /// Every value with its key, in order.
            pub const ALL: [($name, &'static str); [$($key),+].len()] =
                [$(($name::$variant, $key)),+];

            /// The key, as written in frontmatter.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $key),+
                }
            }

            /// The value's place in [`Self::ALL`], from 0 (the lowest).
            pub fn rank(self) -> usize {
                self as usize
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownKey;

            /// Exactly the key: callers trim or lower-case first where the format allows.
            fn from_str(s: &str) -> Result<Self, UnknownKey> {
                Self::ALL
                    .iter()
                    .find(|(_, k)| *k == s)
                    .map(|(v, _)| *v)
                    .ok_or_else(|| UnknownKey {
                        what: $what,
                        given: s.to_string(),
                        expected: Self::ALL.iter().map(|(_, k)| *k).collect(),
                    })
            }
        }
    };
}

/// A word that is not one of a closed set's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// What was being read: `severity`, `state`…
    pub what: &'static str,
    /// The word as given.
    pub given: String,
    /// The keys of the set, in order.
    pub expected: Vec<&'static str>,
}

impl std::fmt::Display for UnknownKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} `{}`", self.what, self.given)
    }
}

impl std::error::Error for UnknownKey {}

/// The mean of emotion scores (1–5), `None` when there are none: the one average every
/// map, chart, view and report shows, summed in the order given.
pub fn mean_emotion<T: Into<f64>>(scores: impl IntoIterator<Item = T>) -> Option<f64> {
    let (sum, n) = scores
        .into_iter()
        .fold((0.0, 0usize), |(sum, n), s| (sum + s.into(), n + 1));
    (n > 0).then(|| sum / n as f64)
}

#[cfg(test)]
mod closed_set_tests {
    use super::*;

    #[test]
    fn keys_read_and_print_the_same() {
        for (value, key) in Severity::ALL {
            assert_eq!(value.as_str(), key);
            assert_eq!(value.to_string(), key);
            assert_eq!(key.parse::<Severity>(), Ok(value));
        }
        assert_eq!(Severity::Critical.rank(), 3);
        assert_eq!(JourneyState::Research.rank(), 2);
        assert_eq!("proto".parse::<PersonaKind>(), Ok(PersonaKind::Proto));
        let err = "urgent".parse::<Priority>().unwrap_err();
        assert_eq!(err.to_string(), "unknown priority `urgent`");
        assert_eq!(err.expected, ["low", "medium", "high"]);
        assert_eq!(mean_emotion([1u8, 2, 4]), Some(7.0 / 3.0));
        assert_eq!(mean_emotion(Vec::<u8>::new()), None);
    }
}

/// A journey's slug, e.g. `retail/online-order`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct JourneyId(pub String);

/// A persona's slug, e.g. `maria`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct PersonaId(pub String);

/// Whether a map shows today, a target, or a hypothesis under research.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum JourneyState {
    /// How customers experience it today.
    #[default]
    Current,
    /// The experience we are designing towards.
    Future,
    /// A map still being researched.
    Research,
}

closed_set!(JourneyState, "state", {
    Current => "current",
    Future => "future",
    Research => "research",
});

impl JourneyState {
    /// The key as written in frontmatter (the same as [`JourneyState::as_str`]).
    pub fn key(self) -> &'static str {
        self.as_str()
    }
}

/// How much a pain hurts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A nuisance.
    Low,
    /// Noticeable, costs effort.
    Medium,
    /// Makes customers give up or complain.
    High,
    /// Breaks the journey.
    Critical,
}

closed_set!(Severity, "severity", {
    Low => "low",
    Medium => "medium",
    High => "high",
    Critical => "critical",
});

/// How urgent an opportunity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// Nice to have.
    Low,
    /// Worth planning.
    Medium,
    /// Do it next.
    High,
}

closed_set!(Priority, "priority", {
    Low => "low",
    Medium => "medium",
    High => "high",
});

/// Whether a persona is an assumption or grounded in research.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonaKind {
    /// A proto-persona: the team's assumptions.
    Proto,
    /// Built from research.
    Research,
}

closed_set!(PersonaKind, "kind", {
    Proto => "proto",
    Research => "research",
});

/// The whole site, validated and cross-linked.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    /// The configuration.
    #[serde(skip)]
    pub config: Config,
    /// Journeys sorted by slug.
    pub journeys: Vec<Journey>,
    /// Personas sorted by slug.
    pub personas: Vec<Persona>,
    /// Free pages sorted by weight, then title.
    pub pages: Vec<Page>,
    /// The newest date the content names (its latest review, or its latest commit in
    /// git): "today" as far as the content knows, so staleness never depends on when
    /// the site is built.
    pub content_date: Option<Date>,
    /// The language of this view of the site: every list holds one version of each
    /// journey, persona and page, in this language when it exists (else in the site's
    /// language, else the first there is).
    pub lang: String,
    /// The same site in each of the site's other languages (only on the site in the
    /// default language; empty for a site with one language).
    #[serde(skip)]
    pub translations: Vec<Site>,
    /// The latest commits that changed the site, newest first, with what each changed
    /// in the maps (the "What changed" page); `None` outside a git repository.
    #[serde(skip)]
    pub recent: Option<Vec<Recent>>,
}

/// What git says about the site, read once by [`crate::timeline::read`] and taken by
/// [`resolve::link`]: it is a value of its own, so linking is the only place that puts
/// history into the site.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// The commits of the site and the files each changed.
    pub history: crate::history::History,
    /// Each journey as it was at its last few commits, by the journey's path.
    pub earlier: BTreeMap<PathBuf, Vec<Earlier>>,
    /// For each of the site's languages (in the order of
    /// [`Config::all_languages`]), the latest commits and what each changed.
    pub recent: Vec<Vec<Recent>>,
}

/// The commits that changed the file at `path` (relative to the site root), newest
/// first, and whether it has changes not committed (a file git does not know has).
pub fn file_history(history: &crate::history::History, path: &std::path::Path) -> FileHistory {
    let changes: Vec<Change> = history
        .files
        .get(path)
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
        uncommitted: history.uncommitted.contains(path) || changes.is_empty(),
        partial: history.shallow,
        changes,
    }
}

/// A commit and what it changed in the maps, in one language's view.
#[derive(Debug, Clone, PartialEq)]
pub struct Recent {
    /// The commit.
    pub change: Change,
    /// What it changed in journeys and personas, in journey terms.
    pub changes: changes::Changes,
    /// The journey and persona files it changed (relative to the site root), for a
    /// commit whose changes make no statement (a narrative edited, say).
    pub content_files: Vec<PathBuf>,
    /// Whether it changed files other than journeys and personas.
    pub other_files: bool,
}

impl Site {
    /// A site with nothing in it (one side of a comparison where a commit added
    /// everything).
    pub fn empty(config: Config) -> Site {
        Site {
            config,
            journeys: Vec::new(),
            personas: Vec::new(),
            pages: Vec::new(),
            content_date: None,
            lang: String::new(),
            translations: Vec::new(),
            recent: None,
        }
    }

    /// This site and its translations, the default language first.
    pub fn languages(&self) -> impl Iterator<Item = &Site> {
        std::iter::once(self).chain(&self.translations)
    }

    /// The site as `lang` shows it (this view when `None`); a language the site does
    /// not have is a usage error naming the ones it has.
    pub fn language_view(&self, lang: Option<&str>) -> crate::error::Result<&Site> {
        let Some(lang) = lang else {
            return Ok(self);
        };
        let lang = lang.to_lowercase();
        self.languages()
            .find(|s| s.lang == lang)
            .ok_or_else(|| crate::error::Error::Usage {
                message: format!("`{lang}` is not one of the site's languages"),
                help: Some(format!(
                    "the site's languages are `{}` (`language` and `languages` in cxmap.toml)",
                    self.config.all_languages().join("`, `")
                )),
            })
    }

    /// The URL of the folder `dir` (`journeys/x/`) of the view in `lang`, relative to
    /// this view's root, `index.html` included: how a list in one language links to a
    /// journey written in another.
    pub fn href(&self, lang: &str, dir: &str) -> String {
        if lang == self.lang {
            format!("{dir}index.html")
        } else {
            let up = if self.lang == self.config.language {
                ""
            } else {
                "../"
            };
            format!("{up}{}{dir}index.html", self.lang_dir(lang))
        }
    }

    /// The address of journey `j`'s page from this language's pages, root-relative
    /// (see [`Site::href`]).
    pub fn journey_href(&self, j: &Journey) -> String {
        self.href(&j.lang, &format!("journeys/{}/", j.id.0))
    }

    /// The output folder of a language, `/`-terminated: `""` for the site's language,
    /// `"es/"` for another.
    pub fn lang_dir(&self, lang: &str) -> String {
        if lang == self.config.language {
            String::new()
        } else {
            format!("{lang}/")
        }
    }

    /// The journey with this slug.
    pub fn journey(&self, id: &JourneyId) -> Option<&Journey> {
        self.journeys
            .binary_search_by(|j| j.id.cmp(id))
            .ok()
            .map(|i| &self.journeys[i])
    }

    /// The persona with this slug.
    pub fn persona(&self, id: &PersonaId) -> Option<&Persona> {
        self.personas
            .binary_search_by(|p| p.id.cmp(id))
            .ok()
            .map(|i| &self.personas[i])
    }
}

/// One customer journey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Journey {
    /// Slug from the file name.
    pub id: JourneyId,
    /// The source file, relative to the site root.
    #[serde(skip)]
    pub source: PathBuf,
    /// Language of the file: its `.xx.md` suffix, else `lang`, else the site's.
    pub lang: String,
    /// Every language this one exists in (itself included), in the site's order; filled
    /// by resolve.
    pub translations: Vec<String>,
    /// Title.
    pub title: String,
    /// Personas walking this journey.
    pub personas: Vec<PersonaId>,
    /// One-line summary.
    pub summary: Option<String>,
    /// The situation the persona is in.
    pub scenario: Option<String>,
    /// current / future / research.
    pub state: JourneyState,
    /// For a future-state map: the current map it improves.
    pub baseline: Option<JourneyId>,
    /// Future-state maps that name this one as their baseline.
    pub futures: Vec<JourneyId>,
    /// The built-in stage model, when one is used.
    pub model: Option<String>,
    /// The team that owns the map.
    pub owner: Option<String>,
    /// draft / in-research / validated / retired, or the team's own word.
    pub status: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Last review date.
    pub reviewed: Option<Date>,
    /// Whether the last review (or, without one, the last change in git) is older than
    /// `stale_after_days` before the content date (filled by resolve).
    pub stale: bool,
    /// What git knows of the file; `None` outside a git repository.
    pub history: Option<FileHistory>,
    /// The journey as it was at earlier commits (at most four, newest first), for its
    /// emotion over time; not in `data/journeys.json`.
    #[serde(skip)]
    pub earlier: Vec<Earlier>,
    /// Stages in order; shared by the views of the site that show this version (a
    /// journey written in one language is in every language's lists).
    pub stages: std::sync::Arc<Vec<Stage>>,
    /// The narrative body (sections attached to stages excluded), with a placeholder
    /// where each ```` ```journey ```` fence goes until it is drawn.
    pub body_html: Html,
    /// Headings of the narrative.
    pub headings: Vec<Heading>,
    /// The ```` ```journey ```` fences of the body (narrative and stage sections), drawn
    /// in their placeholders' places when the body is shown (`render::bodies`).
    #[serde(skip)]
    pub fences: Vec<Fence>,
    /// The whole body (stage sections too) as plain text, for the search index; not in
    /// `data/journeys.json`.
    #[serde(skip)]
    pub body_text: String,
    /// Custom data from `[extra]`.
    pub extra: serde_json::Value,
}

impl Journey {
    /// Every step, with the index of its stage.
    pub fn steps(&self) -> impl Iterator<Item = (usize, &Step)> {
        self.stages
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.steps.iter().map(move |st| (i, st)))
    }

    /// Mean emotion over the steps that have one.
    pub fn mean_emotion(&self) -> Option<f64> {
        mean_emotion(self.steps().filter_map(|(_, s)| s.emotion))
    }
}

/// A column of the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage {
    /// Id: the model's, or the name's slug.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The customer's goal here.
    pub goal: Option<String>,
    /// The phase this stage belongs to.
    pub phase: Option<String>,
    /// Share of customers lost in this stage, 0–1.
    pub dropoff: Option<f64>,
    /// Figures measured for this stage.
    pub metrics: Vec<Metric>,
    /// Steps in order.
    pub steps: Vec<Step>,
    /// The body section under this stage's heading (its ```` ```journey ```` fences are
    /// the journey's [`Journey::fences`]).
    pub section_html: Option<Html>,
    /// Custom data.
    pub extra: serde_json::Value,
}

/// A figure measured for a stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    /// What is measured.
    pub name: String,
    /// The value today.
    pub value: Option<String>,
    /// The value aimed for.
    pub target: Option<String>,
}

/// One thing the customer does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// What the customer does.
    pub action: String,
    /// Where it happens.
    pub touchpoint: Option<String>,
    /// The channel: a key of `[channels]` or free text.
    pub channel: Option<String>,
    /// The channel's label from `[channels]`, else the text as written.
    pub channel_label: Option<String>,
    /// The channel's colour from `[channels]`.
    pub channel_colour: Option<String>,
    /// 1 (frustrated) to 5 (delighted).
    pub emotion: Option<u8>,
    /// What the customer thinks or says.
    pub thought: Option<String>,
    /// Pain points.
    pub pains: Vec<Pain>,
    /// Improvement opportunities.
    pub opportunities: Vec<Opportunity>,
    /// Service-blueprint support: who or what acts behind the scenes.
    pub backstage: Vec<String>,
    /// A moment that makes or breaks the relationship.
    pub moment_of_truth: bool,
    /// Research that backs this step.
    pub evidence: Vec<Evidence>,
    /// Custom data.
    pub extra: serde_json::Value,
}

/// A pain point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pain {
    /// What hurts.
    pub text: String,
    /// How much.
    pub severity: Option<Severity>,
}

/// An improvement opportunity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opportunity {
    /// The idea.
    pub text: String,
    /// Who would do it.
    pub owner: Option<String>,
    /// How urgent.
    pub priority: Option<Priority>,
    /// idea / planned / in-progress / done, or the team's own word.
    pub status: Option<String>,
}

/// Research behind a step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Where it comes from (a study, an interview round).
    pub source: Option<String>,
    /// What a customer said.
    pub quote: Option<String>,
    /// A link to the source (http, https, mailto or relative).
    pub link: Option<String>,
}

/// A persona.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Persona {
    /// Slug from the file name.
    pub id: PersonaId,
    /// The source file.
    #[serde(skip)]
    pub source: PathBuf,
    /// Language of the file: its `.xx.md` suffix, else `lang`, else the site's.
    pub lang: String,
    /// Every language this one exists in (itself included), in the site's order; filled
    /// by resolve.
    pub translations: Vec<String>,
    /// Name.
    pub name: String,
    /// Role, age, place.
    pub role: Option<String>,
    /// A typical thing they say.
    pub quote: Option<String>,
    /// Picture in `static/`.
    pub avatar: Option<String>,
    /// proto / research.
    pub kind: Option<PersonaKind>,
    /// Goals.
    pub goals: Vec<String>,
    /// Needs.
    pub needs: Vec<String>,
    /// Frustrations.
    pub frustrations: Vec<String>,
    /// Motivations.
    pub motivations: Vec<String>,
    /// Channels they use.
    pub channels: Vec<String>,
    /// The empathy map.
    pub empathy: Empathy,
    /// Background, with a placeholder where each ```` ```journey ```` fence goes until
    /// it is drawn.
    pub body_html: Html,
    /// The ```` ```journey ```` fences of the background, drawn in their placeholders'
    /// places when it is shown (`render::bodies`).
    #[serde(skip)]
    pub fences: Vec<Fence>,
    /// The background as plain text, for the search index; not in `data/journeys.json`.
    #[serde(skip)]
    pub body_text: String,
    /// Journeys this persona walks (filled by resolve).
    pub journeys: Vec<JourneyId>,
    /// What git knows of the file; `None` outside a git repository.
    pub history: Option<FileHistory>,
    /// Custom data.
    pub extra: serde_json::Value,
}

/// A map due for review (`cxmap check --stale`).
#[derive(Debug, Clone, PartialEq)]
pub struct Stale<'a> {
    /// The journey.
    pub journey: &'a Journey,
    /// Its last review, or without one its last change in git.
    pub seen: Date,
    /// Whether `seen` is the review (`true`) or the last change (`false`).
    pub reviewed: bool,
    /// Days from `seen` to the content's date.
    pub days: i64,
}

impl Site {
    /// Every journey due for review, in every language (a file once), by source path.
    pub fn stale(&self) -> Vec<Stale<'_>> {
        let Some(today) = self.content_date else {
            return Vec::new();
        };
        let mut out: Vec<Stale<'_>> = self
            .languages()
            .flat_map(|s| &s.journeys)
            .filter(|j| j.stale)
            .filter_map(|j| {
                let (seen, reviewed) = match (j.reviewed, j.history.as_ref().and_then(|h| h.last()))
                {
                    (Some(r), _) => (r, true),
                    (None, Some(c)) => (c.date, false),
                    (None, None) => return None,
                };
                Some(Stale {
                    journey: j,
                    seen,
                    reviewed,
                    days: today.days() - seen.days(),
                })
            })
            .collect();
        out.sort_by(|a, b| a.journey.source.cmp(&b.journey.source));
        out.dedup_by(|a, b| a.journey.source == b.journey.source);
        out
    }
}

/// A journey as it was at an earlier commit.
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    /// The commit.
    pub change: Change,
    /// The journey as its file said then.
    pub journey: Journey,
}

/// A commit that changed a file, as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The commit's id, in hex.
    pub commit: String,
    /// Its first 7 hex digits.
    pub short: String,
    /// The author's local date.
    pub date: Date,
    /// The author's name.
    pub author: String,
    /// The commit's subject line.
    pub subject: String,
}

/// What git knows of a journey's or persona's file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct FileHistory {
    /// The commits that changed the file, newest first, following renames; empty for a
    /// file not committed yet.
    pub changes: Vec<Change>,
    /// Whether the file on disk differs from its last commit.
    pub uncommitted: bool,
    /// Whether the history is cut short (a shallow clone): it starts at the oldest
    /// change listed.
    pub partial: bool,
}

impl FileHistory {
    /// The last change, when the file has been committed.
    pub fn last(&self) -> Option<&Change> {
        self.changes.first()
    }
}

impl Persona {
    /// Initials for a drawn avatar: first letters of the first and last words.
    pub fn initials(&self) -> String {
        let words: Vec<&str> = self.name.split_whitespace().collect();
        let first = words.first().and_then(|w| w.chars().next());
        let last = words
            .last()
            .filter(|_| words.len() > 1)
            .and_then(|w| w.chars().next());
        first
            .into_iter()
            .chain(last)
            .flat_map(char::to_uppercase)
            .collect()
    }
}

/// The four quadrants of an empathy map.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Empathy {
    /// What they say.
    pub says: Vec<String>,
    /// What they think.
    pub thinks: Vec<String>,
    /// What they do.
    pub does: Vec<String>,
    /// What they feel.
    pub feels: Vec<String>,
}

impl Empathy {
    /// Whether all quadrants are empty.
    pub fn is_empty(&self) -> bool {
        self.says.is_empty()
            && self.thinks.is_empty()
            && self.does.is_empty()
            && self.feels.is_empty()
    }
}

/// A free Markdown page from `pages/`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// Slug from the file name.
    pub id: String,
    /// The source file.
    #[serde(skip)]
    pub source: PathBuf,
    /// Language of the file: its `.xx.md` suffix, else `lang`, else the site's.
    pub lang: String,
    /// Every language this one exists in (itself included), in the site's order; filled
    /// by resolve.
    pub translations: Vec<String>,
    /// Title.
    pub title: String,
    /// One-line description.
    pub description: Option<String>,
    /// Order in the navigation (lower first).
    pub weight: i64,
    /// The body, with a placeholder where each ```` ```journey ```` fence goes until it
    /// is drawn.
    pub body_html: Html,
    /// Headings of the body.
    pub headings: Vec<Heading>,
    /// The ```` ```journey ```` fences of the body, drawn in their placeholders' places
    /// when it is shown (`render::bodies`).
    #[serde(skip)]
    pub fences: Vec<Fence>,
    /// The body as plain text, for the search index; not in `data/journeys.json`.
    #[serde(skip)]
    pub body_text: String,
    /// Custom data.
    pub extra: serde_json::Value,
}

/// Counts by key, sorted, for figures.
pub type Counts = BTreeMap<String, usize>;
