//! `cxmap report`: one document of the selected portfolio, for the people who will never
//! open the site — as printable HTML ([`html`]) or as a vector PDF ([`pdf`]).
//!
//! [`build`] gathers what the document says, in order, into a [`Report`] (plain owned
//! data, the diagrams already drawn as SVG); the two writers only lay it out. The
//! words come from the site's strings (`[report]` and the other sections), in the
//! language asked for.

pub mod html;
pub mod pdf;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diag::Diagnostics;
use crate::diagram;
use crate::error::{Error, Result};
use crate::i18n::Strings;
use crate::model::{Journey, Priority, Severity, Site};
use crate::write::{Made, Replace};

/// The document's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A vector PDF with real text, bookmarks and page numbers.
    Pdf,
    /// One self-contained HTML file that prints the same pages.
    Html,
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
        }
    }
}

/// What to report on.
#[derive(Debug, Clone)]
pub struct Request {
    /// PDF or HTML.
    pub format: Format,
    /// The file to write (default: `report.pdf` / `report.html` in the site folder).
    pub out: Option<PathBuf>,
    /// The language (one of the site's); default the site's.
    pub lang: Option<String>,
    /// Only journeys with this tag.
    pub tag: Option<String>,
    /// Only these journeys, by slug.
    pub journeys: Vec<String>,
    /// Also what changed in the maps since this git revision.
    pub since: Option<String>,
    /// Replace a file at `out` that cxmap did not write (`--force`); the site's sources
    /// are never replaced.
    pub force: bool,
}

impl Request {
    /// The whole portfolio in `format`, in the site's language, to the default file.
    pub fn new(format: Format) -> Self {
        Request {
            format,
            out: None,
            lang: None,
            tag: None,
            journeys: Vec::new(),
            since: None,
            force: false,
        }
    }
}

/// Everything the document says, in its order.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The document's language.
    pub lang: String,
    /// The site's title.
    pub title: String,
    /// The site's description.
    pub description: Option<String>,
    /// The date of the content (its newest review or commit), written in the language.
    pub date: Option<String>,
    /// What was selected, in words ("All journeys", "Tag: retail").
    pub selection: String,
    /// The headline figures.
    pub figures: Figures,
    /// A page per journey.
    pub journeys: Vec<JourneySection>,
    /// The pain points ranked across the selected journeys.
    pub pains: Vec<RankedPain>,
    /// The opportunities by owner, then priority.
    pub owners: Vec<OwnerGroup>,
    /// A profile per persona the selected journeys name.
    pub personas: Vec<PersonaSection>,
    /// With `--since`: what changed in the selected maps since that revision.
    pub changes: Option<ChangesSection>,
    /// The document's words: the `[report]` strings and the few others it needs, by key
    /// (`report.figures`, `common.journeys`…).
    pub words: BTreeMap<String, String>,
    /// The site's own fonts (`fonts/`), drawing and measuring what Inter lacks.
    #[serde(skip)]
    pub fonts: std::sync::Arc<crate::diagram::font::SiteFonts>,
}

/// The headline figures.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    /// Journeys selected.
    pub journeys: usize,
    /// Steps in them.
    pub steps: usize,
    /// Personas they name.
    pub personas: usize,
    /// Mean emotion of every scored step, written with the language's decimal mark.
    pub mean_emotion: Option<String>,
    /// Pain points by severity, most severe first: (word, count), zero counts left out.
    pub pains: Vec<(String, usize)>,
    /// Opportunities by priority, highest first: (word, count).
    pub opportunities: Vec<(String, usize)>,
    /// Maps due for review.
    pub stale: usize,
}

/// One journey's page.
#[derive(Debug, Clone, Serialize)]
pub struct JourneySection {
    /// Slug.
    pub id: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: Option<String>,
    /// Scenario.
    pub scenario: Option<String>,
    /// The personas' names.
    pub personas: Vec<String>,
    /// Owner.
    pub owner: Option<String>,
    /// The state, in words.
    pub state: String,
    /// Last review, written in the language.
    pub reviewed: Option<String>,
    /// Whether it is due for review.
    pub stale: bool,
    /// The journey map (SVG), when it has stages.
    pub map: Option<String>,
    /// The funnel (SVG), when a stage knows its drop-off.
    pub funnel: Option<String>,
    /// The figures of each stage.
    pub stages: Vec<StageFigures>,
}

/// One stage's figures on a journey page.
#[derive(Debug, Clone, Serialize)]
pub struct StageFigures {
    /// Stage name.
    pub name: String,
    /// Steps.
    pub steps: usize,
    /// Mean emotion, written in the language.
    pub mean_emotion: Option<String>,
    /// Pain points.
    pub pains: usize,
    /// Share of customers lost in the stage, as a percentage ("35 %").
    pub dropoff: Option<String>,
    /// The stage's own metrics: "name: value (target)".
    pub metrics: Vec<String>,
}

/// A pain point across the selected journeys.
#[derive(Debug, Clone, Serialize)]
pub struct RankedPain {
    /// The text (as first written).
    pub text: String,
    /// The highest severity it has anywhere, in words (empty when none is given).
    pub severity: String,
    /// The severity key (`critical`…, `none`), for styling.
    pub severity_key: String,
    /// In how many journeys it appears.
    pub journeys: usize,
    /// In how many stages.
    pub stages: usize,
    /// Where: "Journey › Stage", in map order.
    pub places: Vec<String>,
}

/// The opportunities of one owner.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerGroup {
    /// The owner (or the word for "no owner").
    pub owner: String,
    /// By priority, highest first.
    pub priorities: Vec<PriorityGroup>,
}

/// An owner's opportunities of one priority.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityGroup {
    /// The priority, in words (or the word for "no priority").
    pub priority: String,
    /// The priority key (`high`…, `none`), for styling.
    pub priority_key: String,
    /// The opportunities, in map order.
    pub items: Vec<OpportunityItem>,
}

/// One opportunity.
#[derive(Debug, Clone, Serialize)]
pub struct OpportunityItem {
    /// The text.
    pub text: String,
    /// Where: "Journey › Stage".
    pub place: String,
    /// Its status, when given.
    pub status: Option<String>,
}

/// One persona's profile.
#[derive(Debug, Clone, Serialize)]
pub struct PersonaSection {
    /// Name.
    pub name: String,
    /// Role.
    pub role: Option<String>,
    /// Quote.
    pub quote: Option<String>,
    /// Goals.
    pub goals: Vec<String>,
    /// Needs.
    pub needs: Vec<String>,
    /// Frustrations.
    pub frustrations: Vec<String>,
    /// Motivations.
    pub motivations: Vec<String>,
    /// The empathy map (SVG), when it has entries.
    pub empathy: Option<String>,
    /// The titles of the selected journeys this persona walks.
    pub journeys: Vec<String>,
}

/// What changed since a revision.
#[derive(Debug, Clone, Serialize)]
pub struct ChangesSection {
    /// The revision as given, with its commit's date ("v1.2, 3 April 2026").
    pub since: String,
    /// Per journey or persona: its title and the statements.
    pub items: Vec<(String, Vec<String>)>,
}

/// Reads the site at `root` and gathers the report (nothing written). Content errors
/// come back as diagnostics with `None`; an unknown language, tag, journey or revision
/// is [`Error::Usage`].
pub fn build(root: &Path, request: &Request) -> Result<(Option<Report>, Diagnostics)> {
    let (sources, site, mut diagnostics) = crate::read(root)?;
    let theme = crate::render::theme::load(&sources, &site.config, &mut diagnostics)?;
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Ok((None, diagnostics));
    }
    let view = site.language_view(request.lang.as_deref())?;
    let journeys = select(view, request)?;
    let before = match &request.since {
        Some(rev) => {
            let outcome = crate::check_at(root, rev)?;
            let commit = crate::history::open(root)
                .and_then(|repo| crate::history::resolve(&repo, rev).ok());
            Some((rev.clone(), commit, outcome.site))
        }
        None => None,
    };
    let fonts = std::sync::Arc::new(crate::diagram::font::SiteFonts::new(&sources.fonts).0);
    // The journeys' diagrams are drawn here: measured with the site's fonts too.
    let report = crate::diagram::font::with_site_fonts(&fonts, || {
        gather(view, &journeys, &theme.strings, request, before)
    });
    Ok((Some(Report { fonts, ..report }), diagnostics))
}

/// The journeys the request selects, in slug order.
fn select<'a>(site: &'a Site, request: &Request) -> Result<Vec<&'a Journey>> {
    let mut chosen: Vec<&Journey> = site.journeys.iter().collect();
    if let Some(tag) = &request.tag {
        let want = crate::slug::slugify(tag);
        chosen.retain(|j| j.tags.iter().any(|t| crate::slug::slugify(t) == want));
        if chosen.is_empty() {
            let tags: BTreeSet<&str> = site
                .journeys
                .iter()
                .flat_map(|j| j.tags.iter().map(String::as_str))
                .collect();
            return Err(Error::Usage {
                message: format!("no journey has the tag `{tag}`"),
                help: Some(match crate::diag::closest(tag, tags.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None if tags.is_empty() => "no journey of the site has tags".into(),
                    None => format!(
                        "the tags are `{}`",
                        tags.iter().copied().collect::<Vec<_>>().join("`, `")
                    ),
                }),
            });
        }
    }
    if !request.journeys.is_empty() {
        let unknown = |slug: &str, closest: Option<&str>| Error::Usage {
            message: format!("no journey `{slug}` in the selection"),
            help: closest.map(|best| format!("did you mean `{best}`?")),
        };
        let wanted = site
            .select(&request.journeys)
            .map_err(|u| unknown(&u.slug, u.closest.as_deref()))?;
        // A journey of the site that `--tag` left out is not in the selection either.
        if let Some(j) = wanted.iter().find(|j| !chosen.iter().any(|c| c.id == j.id)) {
            let ids = site.journeys.iter().map(|j| j.id.0.as_str());
            return Err(unknown(&j.id.0, crate::diag::closest(&j.id.0, ids)));
        }
        chosen = wanted;
    }
    Ok(chosen)
}

/// The keys of the strings a report uses besides `[report]`.
const OTHER_WORDS: &[&str] = &[
    "common.journeys",
    "common.personas",
    "common.steps",
    "common.stages",
    "common.pains",
    "common.opportunities",
    "common.mean_emotion",
    "common.owner",
    "common.review_due",
    "journey.scenario",
    "journey.persona",
    "journey.last_reviewed",
];

fn gather(
    site: &Site,
    journeys: &[&Journey],
    strings: &Strings,
    request: &Request,
    before: Option<(String, Option<crate::history::Commit>, Option<Site>)>,
) -> Report {
    let lang = site.lang.as_str();
    let w = Words {
        strings,
        lang,
        labels: strings.labels(lang),
    };
    let mut words: BTreeMap<String, String> = BTreeMap::new();
    for key in REPORT_KEYS.iter().map(|k| format!("report.{k}")) {
        words.insert(key.clone(), w.text(&key));
    }
    for key in OTHER_WORDS {
        words.insert((*key).to_string(), w.text(key));
    }
    let selection = match (&request.tag, request.journeys.is_empty()) {
        (_, false) => w
            .text("report.selection_some")
            .replace("{n}", &journeys.len().to_string()),
        (Some(tag), true) => w.text("report.selection_tag").replace("{tag}", tag),
        (None, true) => w.text("report.selection_all"),
    };
    let figures = figures(journeys, &w);
    let journey_sections = journey_sections(site, journeys, &w);
    let pains = ranked_pains(journeys, &w);
    let owners = owners(journeys, &w);
    let personas = personas(site, journeys, &w);
    let changes = changes(site, journeys, request, before, &w);
    Report {
        lang: lang.to_string(),
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        date: site.content_date.map(|d| w.labels.date(d)),
        selection,
        figures,
        journeys: journey_sections,
        pains,
        owners,
        personas,
        changes,
        words,
        fonts: std::sync::Arc::default(),
    }
}

/// The words of the report's language, as its sections print them.
struct Words<'a> {
    strings: &'a Strings,
    lang: &'a str,
    labels: diagram::Labels,
}

impl Words<'_> {
    fn text(&self, key: &str) -> String {
        self.strings.text(self.lang, key).to_string()
    }

    fn number(&self, v: f64) -> String {
        self.labels.one_decimal(v, false)
    }

    /// A severity's word; empty for none.
    fn severity(&self, s: Option<Severity>) -> String {
        match s {
            Some(s) => self.text(&format!("severity.{}", s.as_str())),
            None => String::new(),
        }
    }

    /// A priority's word, or the word for none.
    fn priority(&self, p: Option<Priority>) -> String {
        match p {
            Some(p) => self.text(&format!("priority.{}", p.as_str())),
            None => self.text("report.no_priority"),
        }
    }
}

/// The figures of the selection: counts, mean emotion, pains by severity,
/// opportunities by priority.
fn figures(journeys: &[&Journey], w: &Words<'_>) -> Figures {
    let steps: Vec<&crate::model::Step> = journeys
        .iter()
        .flat_map(|j| j.steps().map(|(_, s)| s))
        .collect();
    let scores: Vec<f64> = steps
        .iter()
        .filter_map(|s| s.emotion.map(f64::from))
        .collect();
    let persona_ids: BTreeSet<&crate::model::PersonaId> =
        journeys.iter().flat_map(|j| &j.personas).collect();
    let mut pains_by: BTreeMap<std::cmp::Reverse<Option<Severity>>, usize> = BTreeMap::new();
    let mut opps_by: BTreeMap<std::cmp::Reverse<Option<Priority>>, usize> = BTreeMap::new();
    for s in &steps {
        for p in &s.pains {
            *pains_by.entry(std::cmp::Reverse(p.severity)).or_default() += 1;
        }
        for o in &s.opportunities {
            *opps_by.entry(std::cmp::Reverse(o.priority)).or_default() += 1;
        }
    }
    Figures {
        journeys: journeys.len(),
        steps: steps.len(),
        personas: persona_ids.len(),
        mean_emotion: crate::model::mean_emotion(scores.iter().copied()).map(|v| w.number(v)),
        pains: pains_by
            .into_iter()
            .map(|(std::cmp::Reverse(s), n)| {
                let word = w.severity(s);
                (
                    if word.is_empty() {
                        w.text("report.no_severity")
                    } else {
                        word
                    },
                    n,
                )
            })
            .collect(),
        opportunities: opps_by
            .into_iter()
            .map(|(std::cmp::Reverse(p), n)| (w.priority(p), n))
            .collect(),
        stale: journeys.iter().filter(|j| j.stale).count(),
    }
}

/// A page per journey.
fn journey_sections(site: &Site, journeys: &[&Journey], w: &Words<'_>) -> Vec<JourneySection> {
    journeys
        .iter()
        .map(|j| JourneySection {
            id: j.id.0.clone(),
            title: j.title.clone(),
            summary: j.summary.clone(),
            scenario: j.scenario.clone(),
            personas: j
                .personas
                .iter()
                .filter_map(|p| site.persona(p))
                .map(|p| p.name.clone())
                .collect(),
            owner: j.owner.clone(),
            state: w.text(&format!("state.{}", j.state.key())),
            reviewed: j.reviewed.map(|d| w.labels.date(d)),
            stale: j.stale,
            map: diagram::journey(j, &site.config, &w.labels).map(|d| diagram::svg::write(&d)),
            funnel: diagram::funnel(j, &w.labels).map(|d| diagram::svg::write(&d)),
            stages: j
                .stages
                .iter()
                .map(|s| {
                    let scores: Vec<f64> = s
                        .steps
                        .iter()
                        .filter_map(|x| x.emotion.map(f64::from))
                        .collect();
                    StageFigures {
                        name: s.name.clone(),
                        steps: s.steps.len(),
                        mean_emotion: crate::model::mean_emotion(scores.iter().copied())
                            .map(|v| w.number(v)),
                        pains: s.steps.iter().map(|x| x.pains.len()).sum(),
                        dropoff: s.dropoff.map(|d| format!("{} %", (d * 100.0).round())),
                        metrics: s
                            .metrics
                            .iter()
                            .map(|m| {
                                let mut line = m.name.clone();
                                if let Some(v) = &m.value {
                                    line.push_str(&format!(": {v}"));
                                }
                                if let Some(t) = &m.target {
                                    line.push_str(&format!(" ({t})"));
                                }
                                line
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect()
}

/// Pain points, ranked: by severity, then how many journeys and stages have them.
fn ranked_pains(journeys: &[&Journey], w: &Words<'_>) -> Vec<RankedPain> {
    struct Seen {
        text: String,
        severity: Option<Severity>,
        journeys: BTreeSet<String>,
        stages: BTreeSet<(String, String)>,
        places: Vec<String>,
    }
    let mut seen: Vec<Seen> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for j in journeys {
        for stage in j.stages.iter() {
            for step in &stage.steps {
                for p in &step.pains {
                    let key = p.text.trim().to_lowercase();
                    let i = *index.entry(key).or_insert_with(|| {
                        seen.push(Seen {
                            text: p.text.trim().to_string(),
                            severity: None,
                            journeys: BTreeSet::new(),
                            stages: BTreeSet::new(),
                            places: Vec::new(),
                        });
                        seen.len() - 1
                    });
                    let s = &mut seen[i];
                    s.severity = s.severity.max(p.severity);
                    s.journeys.insert(j.id.0.clone());
                    if s.stages.insert((j.id.0.clone(), stage.id.clone())) {
                        s.places.push(format!("{} › {}", j.title, stage.name));
                    }
                }
            }
        }
    }
    seen.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.journeys.len().cmp(&a.journeys.len()))
            .then(b.stages.len().cmp(&a.stages.len()))
            .then(a.text.to_lowercase().cmp(&b.text.to_lowercase()))
    });
    seen.into_iter()
        .map(|s| RankedPain {
            severity: w.severity(s.severity),
            severity_key: s.severity.map_or("none", Severity::as_str).to_string(),
            text: s.text,
            journeys: s.journeys.len(),
            stages: s.stages.len(),
            places: s.places,
        })
        .collect()
}

/// Opportunities by owner, then priority.
fn owners(journeys: &[&Journey], w: &Words<'_>) -> Vec<OwnerGroup> {
    let no_owner = w.text("report.no_owner");
    // (no owner last, owner) → priority, highest first → items.
    type ByPriority = BTreeMap<std::cmp::Reverse<Option<Priority>>, Vec<OpportunityItem>>;
    let mut by_owner: BTreeMap<(bool, String), ByPriority> = BTreeMap::new();
    for j in journeys {
        for stage in j.stages.iter() {
            for step in &stage.steps {
                for o in &step.opportunities {
                    let owner = o.owner.clone().filter(|w| !w.trim().is_empty());
                    by_owner
                        .entry((owner.is_none(), owner.unwrap_or_else(|| no_owner.clone())))
                        .or_default()
                        .entry(std::cmp::Reverse(o.priority))
                        .or_default()
                        .push(OpportunityItem {
                            text: o.text.clone(),
                            place: format!("{} › {}", j.title, stage.name),
                            status: o.status.clone(),
                        });
                }
            }
        }
    }
    by_owner
        .into_iter()
        .map(|((_, owner), priorities)| OwnerGroup {
            owner,
            priorities: priorities
                .into_iter()
                .map(|(std::cmp::Reverse(p), items)| PriorityGroup {
                    priority: w.priority(p),
                    priority_key: p.map_or("none", Priority::as_str).to_string(),
                    items,
                })
                .collect(),
        })
        .collect()
}

/// The personas the selected journeys name.
fn personas(site: &Site, journeys: &[&Journey], w: &Words<'_>) -> Vec<PersonaSection> {
    let persona_ids: BTreeSet<&crate::model::PersonaId> =
        journeys.iter().flat_map(|j| &j.personas).collect();
    site.personas
        .iter()
        .filter(|p| persona_ids.contains(&p.id))
        .map(|p| PersonaSection {
            name: p.name.clone(),
            role: p.role.clone(),
            quote: p.quote.clone(),
            goals: p.goals.clone(),
            needs: p.needs.clone(),
            frustrations: p.frustrations.clone(),
            motivations: p.motivations.clone(),
            empathy: diagram::empathy(p, &w.labels).map(|d| diagram::svg::write(&d)),
            journeys: journeys
                .iter()
                .filter(|j| j.personas.contains(&p.id))
                .map(|j| j.title.clone())
                .collect(),
        })
        .collect()
}

/// What changed in the selection since the revision.
fn changes(
    site: &Site,
    journeys: &[&Journey],
    request: &Request,
    before: Option<(String, Option<crate::history::Commit>, Option<Site>)>,
    w: &Words<'_>,
) -> Option<ChangesSection> {
    before.map(|(rev, commit, old)| {
        let since = match &commit {
            Some(c) => format!("{rev}, {}", w.labels.date(c.date)),
            None => rev,
        };
        let selected: BTreeSet<&str> = journeys.iter().map(|j| j.id.0.as_str()).collect();
        let items = match old
            .as_ref()
            .and_then(|o| o.languages().find(|s| s.lang == site.lang))
        {
            Some(old) => {
                let changes = crate::diff::sites(old, site);
                let words = crate::diff::Words::for_language(w.strings, w.lang);
                let q = |s: &str| words.quote(s);
                let mut items: Vec<(String, Vec<String>)> = changes
                    .journeys
                    .iter()
                    .filter(|j| {
                        selected.contains(j.journey.as_str())
                            || request.journeys.is_empty() && request.tag.is_none()
                    })
                    .map(|j| (j.title.clone(), j.describe_in(&words, &q)))
                    .collect();
                items.extend(
                    changes
                        .personas
                        .iter()
                        .map(|p| (p.name.clone(), p.describe_in(&words, &q))),
                );
                items
            }
            None => Vec::new(),
        };
        ChangesSection { since, items }
    })
}

/// The keys of the `[report]` strings.
pub const REPORT_KEYS: &[&str] = &[
    "kind",
    "selection_all",
    "selection_tag",
    "selection_some",
    "content_of",
    "contents",
    "figures",
    "journeys_section",
    "pains_section",
    "pains_intro",
    "opportunities_section",
    "opportunities_intro",
    "personas_section",
    "changes_section",
    "changes_since",
    "no_changes",
    "stage_figures",
    "dropoff",
    "metrics",
    "appears_in",
    "severity",
    "no_severity",
    "no_priority",
    "no_owner",
    "page",
    "goals",
    "needs",
    "frustrations",
    "motivations",
    "walks",
];

/// Where the request writes the report: its `out`, or `report.<ext>` in the site folder.
pub fn path(root: &Path, request: &Request) -> PathBuf {
    request
        .out
        .clone()
        .unwrap_or_else(|| root.join(format!("report.{}", request.format.extension())))
}

/// How the report may replace a file at its path: an earlier report (a PDF whose
/// creator is cxmap, an HTML file with cxmap's generator tag) always, another file only
/// with `force`, one of the site's sources never.
pub fn replace(request: &Request) -> Replace {
    let made = match request.format {
        Format::Html => Made::Html,
        Format::Pdf => Made::Pdf,
    };
    Replace::Output {
        made,
        force: request.force,
    }
}

/// Writes the report at [`path`] (whole or not at all, see [`crate::write::file`]); the
/// file written. Call [`crate::write::check`] with [`path`] and [`replace`] before
/// gathering a large report, to refuse early.
pub fn write(root: &Path, request: &Request, report: &Report) -> Result<PathBuf> {
    let path = path(root, request);
    let replace = replace(request);
    crate::write::check(root, &path, replace)?;
    let bytes = match request.format {
        Format::Html => html::write(report)?.into_bytes(),
        Format::Pdf => pdf::write(report)?,
    };
    crate::write::file(root, &path, &bytes, replace)?;
    Ok(path)
}
