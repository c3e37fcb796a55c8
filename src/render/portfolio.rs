//! The cross-journey views: every pain point, every opportunity, the tags and the
//! channels, each gathered once per build from the whole [`Site`].
//!
//! In: a resolved site. Out: a [`Portfolio`] of typed view models for `pains.html`,
//! `opportunities.html`, `tags.html`, `tag.html` and `channel.html`, and the rows of
//! `data/pains.csv` and `data/opportunities.csv`. The lists are built once; a page then
//! takes only its own slice, so the work per page does not grow with the number of
//! journeys.
//!
//! Rows keep the site's order (journeys by slug, then stages and steps as written), so
//! a plain table without JavaScript reads like the maps. Closed sets (severity,
//! priority) carry a rank, so the browser sorts them by weight rather than by name.

use super::flat::serialize_flat;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use super::csv;
use super::views::{JourneyCard, Link};
use crate::error::Result;
use crate::model::{Journey, Priority, Severity, Site, Stage, Step};
use crate::text::capitalise;

/// Where `pains/index.html` links its CSV, relative to the root.
pub const PAINS_CSV: &str = "data/pains.csv";

/// Where `opportunities/index.html` links its CSV, relative to the root.
pub const OPPORTUNITIES_CSV: &str = "data/opportunities.csv";

/// The value of a filter and a `data-*` attribute for a missing severity, priority,
/// owner or status.
pub const NONE: &str = "none";

/// Everything the cross-journey pages show, built once per build.
#[derive(Debug)]
pub struct Portfolio<'a> {
    /// `pains/index.html`.
    pub pains: PainsView<'a>,
    /// `opportunities/index.html`.
    pub opportunities: OpportunitiesView<'a>,
    /// `tags/index.html`.
    pub tags: Vec<TagSummary>,
    /// One `tags/<slug>/index.html` each, in slug order.
    pub tag_pages: Vec<TagPage>,
    /// One card per journey, in site order; tag pages pick theirs by index.
    pub cards: Vec<JourneyCard<'a>>,
    /// One `channels/<slug>/index.html` each, in slug order.
    pub channels: Vec<ChannelPage<'a>>,
}

/// Gathers every cross-journey list of the site, with the filters' words in the
/// site's language from `strings`.
pub fn gather<'a>(
    site: &'a Site,
    strings: &crate::i18n::Strings,
    strips: &'a super::views::CardStrips,
) -> Portfolio<'a> {
    let stage_names = StageNames::new(site);
    let word = |key: &str| strings.text(&site.lang, key).to_string();
    // The lists are independent of one another: each is gathered on a core of its own.
    let ((pains, opportunities), (((tags, tag_pages), cards), channels)) = rayon::join(
        || {
            rayon::join(
                || pains(site, &stage_names, &word),
                || opportunities(site, &stage_names, &word),
            )
        },
        || {
            rayon::join(
                || {
                    rayon::join(
                        || tags(site),
                        || {
                            site.journeys
                                .iter()
                                .map(|j| JourneyCard::new(site, j, strips))
                                .collect()
                        },
                    )
                },
                || channels(site),
            )
        },
    );
    Portfolio {
        pains,
        opportunities,
        tags,
        tag_pages,
        cards,
        channels,
    }
}

pub use super::views::{channel_url, slug, tag_url};

/// One choice of a filter `<select>`.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    /// The option's value, the same as the rows' `data-*` attribute.
    pub value: String,
    /// The text shown.
    pub label: String,
}

impl Choice {
    fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// Where a pain point or an opportunity sits: journey, stage and step.
#[derive(Debug, Clone, Serialize)]
pub struct Place<'a> {
    /// The journey's slug.
    pub journey: &'a str,
    /// The journey's title.
    pub journey_title: &'a str,
    /// The journey page's address (one string for every step of the journey).
    pub journey_url: Arc<str>,
    /// The stage's name.
    pub stage: &'a str,
    /// The stage's id.
    pub stage_id: &'a str,
    /// The stage on the journey page (`journeys/x/index.html#stage-<id>`).
    pub stage_url: Arc<str>,
    /// Where the stage's name comes in the stage filter, for sorting by stage.
    pub stage_rank: usize,
    /// The step's action.
    pub step: &'a str,
    /// The step's number in the journey, from 1.
    pub step_number: usize,
}

/// Every step of the site with its place; the addresses of a journey and its stages
/// are made once and shared by its steps.
fn places<'a, 'n>(
    site: &'a Site,
    names: &'n StageNames<'a>,
) -> impl Iterator<Item = (Place<'a>, &'a Step)> + use<'a, 'n> {
    site.journeys.iter().flat_map(move |j| {
        let journey_url: Arc<str> = site.journey_href(j).into();
        let stages: Vec<(Arc<str>, usize)> = j
            .stages
            .iter()
            .map(|stage| {
                (
                    format!("{journey_url}#stage-{}", stage.id).into(),
                    names.rank(&stage.name),
                )
            })
            .collect();
        j.steps().enumerate().map(move |(n, (s, step))| {
            let stage: &'a Stage = &j.stages[s];
            let place = Place {
                journey: &j.id.0,
                journey_title: &j.title,
                journey_url: journey_url.clone(),
                stage: &stage.name,
                stage_id: &stage.id,
                stage_url: stages[s].0.clone(),
                stage_rank: stages[s].1,
                step: &step.action,
                step_number: n + 1,
            };
            (place, step)
        })
    })
}

/// Stage names in order of first appearance over the site's journeys.
struct StageNames<'a>(Vec<&'a str>);

impl<'a> StageNames<'a> {
    fn new(site: &'a Site) -> Self {
        let mut names: Vec<&str> = Vec::new();
        for stage in site.journeys.iter().flat_map(|j| j.stages.iter()) {
            if !names.contains(&stage.name.as_str()) {
                names.push(&stage.name);
            }
        }
        StageNames(names)
    }

    fn rank(&self, name: &str) -> usize {
        self.0.iter().position(|n| *n == name).unwrap_or(usize::MAX)
    }

    /// The names that `used` contains, in order.
    fn choices(&self, used: impl Fn(&str) -> bool) -> Vec<Choice> {
        self.0
            .iter()
            .filter(|n| used(n))
            .map(|n| Choice::new(*n, *n))
            .collect()
    }
}

/// The journeys for which `has` holds, by title.
fn journey_choices(site: &Site, has: impl Fn(&Journey) -> bool) -> Vec<Choice> {
    let mut out: Vec<Choice> = site
        .journeys
        .iter()
        .filter(|j| has(j))
        .map(|j| Choice::new(j.id.0.clone(), j.title.clone()))
        .collect();
    out.sort_by(|a, b| {
        a.label
            .to_lowercase()
            .cmp(&b.label.to_lowercase())
            .then_with(|| a.value.cmp(&b.value))
    });
    out
}

/// Free-text values (owners, statuses) that rows use, sorted without regard to case,
/// then `none` when a row has none.
fn text_choices<'a>(values: impl Iterator<Item = Option<&'a str>>, none: &str) -> Vec<Choice> {
    let mut seen: Vec<&str> = Vec::new();
    let mut missing = false;
    for v in values {
        match v {
            Some(v) if !seen.contains(&v) => seen.push(v),
            Some(_) => {}
            None => missing = true,
        }
    }
    seen.sort_by(|a, b| a.to_lowercase().cmp(&b.to_lowercase()).then(a.cmp(b)));
    let mut out: Vec<Choice> = seen.into_iter().map(|v| Choice::new(v, v)).collect();
    if missing {
        out.push(Choice::new(NONE, none));
    }
    out
}

// ---- Pain points -----------------------------------------------------------------

/// One pain point with its place.
#[derive(Debug, Clone)]
pub struct PainRow<'a> {
    /// The pain point.
    pub text: &'a str,
    /// `low`, `medium`, `high`, `critical`, or `none`.
    pub severity: Option<Severity>,
    /// The severity's key, `none` without one (the row's `data-severity`).
    pub severity_key: &'static str,
    /// 0 without a severity, 1 (low) to 4 (critical).
    pub severity_rank: u8,
    /// Journey, stage and step.
    pub place: Place<'a>,
}

serialize_flat!(PainRow<'_> { text, severity, severity_key, severity_rank; flatten place });

/// The pains page (`pains` in `pains.html`).
#[derive(Debug, Serialize)]
pub struct PainsView<'a> {
    /// Every pain point, journeys by slug, then stages and steps in order.
    pub rows: Vec<PainRow<'a>>,
    /// The journey filter: slug and title of each journey with pain points, by title.
    pub journeys: Vec<Choice>,
    /// The stage filter: stage names in order of first appearance.
    pub stages: Vec<Choice>,
    /// The severity filter: the severities in use, most severe first, then `none`.
    pub severities: Vec<Choice>,
    /// The CSV file's address.
    pub csv_url: &'static str,
}

fn severity_rank(s: Option<Severity>) -> u8 {
    s.map_or(0, |s| s.rank() as u8 + 1)
}

fn pains<'a>(
    site: &'a Site,
    names: &StageNames<'a>,
    word: &dyn Fn(&str) -> String,
) -> PainsView<'a> {
    let rows: Vec<PainRow<'a>> = places(site, names)
        .flat_map(|(place, step)| {
            step.pains.iter().map(move |p| PainRow {
                text: &p.text,
                severity: p.severity,
                severity_key: p.severity.map_or(NONE, Severity::as_str),
                severity_rank: severity_rank(p.severity),
                place: place.clone(),
            })
        })
        .collect();
    let mut severities: Vec<Choice> = Severity::ALL
        .iter()
        .rev()
        .filter(|(s, _)| rows.iter().any(|r| r.severity == Some(*s)))
        .map(|(_, k)| Choice::new(*k, capitalise(&word(&format!("severity.{k}")))))
        .collect();
    if rows.iter().any(|r| r.severity.is_none()) {
        severities.push(Choice::new(NONE, word("pains.no_severity")));
    }
    PainsView {
        journeys: journey_choices(site, |j| j.steps().any(|(_, s)| !s.pains.is_empty())),
        stages: names.choices(|n| rows.iter().any(|r| r.place.stage == n)),
        severities,
        rows,
        csv_url: PAINS_CSV,
    }
}

// ---- Opportunities ---------------------------------------------------------------

/// One opportunity with its place.
#[derive(Debug, Clone)]
pub struct OpportunityRow<'a> {
    /// The opportunity.
    pub text: &'a str,
    /// Who owns it, or `none`.
    pub owner: Option<&'a str>,
    /// The owner, `none` without one (the row's `data-owner`).
    pub owner_key: &'a str,
    /// `low`, `medium`, `high`, or `none`.
    pub priority: Option<Priority>,
    /// The priority's key, `none` without one (the row's `data-priority`).
    pub priority_key: &'static str,
    /// 0 without a priority, 1 (low) to 3 (high).
    pub priority_rank: u8,
    /// Its status as written, or `none`.
    pub status: Option<&'a str>,
    /// The status, `none` without one (the row's `data-status`).
    pub status_key: &'a str,
    /// Journey, stage and step.
    pub place: Place<'a>,
}

serialize_flat!(OpportunityRow<'_> {
    text, owner, owner_key, priority, priority_key, priority_rank, status, status_key;
    flatten place
});

/// The opportunities page (`opportunities` in `opportunities.html`).
#[derive(Debug, Serialize)]
pub struct OpportunitiesView<'a> {
    /// Every opportunity, journeys by slug, then stages and steps in order.
    pub rows: Vec<OpportunityRow<'a>>,
    /// The journey filter: slug and title of each journey with opportunities, by title.
    pub journeys: Vec<Choice>,
    /// The stage filter: stage names in order of first appearance.
    pub stages: Vec<Choice>,
    /// The owner filter: owners by name, then `none`.
    pub owners: Vec<Choice>,
    /// The priority filter: the priorities in use, highest first, then `none`.
    pub priorities: Vec<Choice>,
    /// The status filter: statuses by name, then `none`.
    pub statuses: Vec<Choice>,
    /// The CSV file's address.
    pub csv_url: &'static str,
}

fn priority_rank(p: Option<Priority>) -> u8 {
    p.map_or(0, |p| p.rank() as u8 + 1)
}

fn opportunities<'a>(
    site: &'a Site,
    names: &StageNames<'a>,
    word: &dyn Fn(&str) -> String,
) -> OpportunitiesView<'a> {
    let rows: Vec<OpportunityRow<'a>> = places(site, names)
        .flat_map(|(place, step)| {
            step.opportunities.iter().map(move |o| OpportunityRow {
                text: &o.text,
                owner: o.owner.as_deref(),
                owner_key: o.owner.as_deref().unwrap_or(NONE),
                priority: o.priority,
                priority_key: o.priority.map_or(NONE, Priority::as_str),
                priority_rank: priority_rank(o.priority),
                status: o.status.as_deref(),
                status_key: o.status.as_deref().unwrap_or(NONE),
                place: place.clone(),
            })
        })
        .collect();
    let mut priorities: Vec<Choice> = Priority::ALL
        .iter()
        .rev()
        .filter(|(p, _)| rows.iter().any(|r| r.priority == Some(*p)))
        .map(|(_, k)| Choice::new(*k, capitalise(&word(&format!("priority.{k}")))))
        .collect();
    if rows.iter().any(|r| r.priority.is_none()) {
        priorities.push(Choice::new(NONE, word("opportunities.no_priority")));
    }
    OpportunitiesView {
        journeys: journey_choices(site, |j| {
            j.steps().any(|(_, s)| !s.opportunities.is_empty())
        }),
        stages: names.choices(|n| rows.iter().any(|r| r.place.stage == n)),
        owners: text_choices(
            rows.iter().map(|r| r.owner),
            &word("opportunities.no_owner"),
        ),
        priorities,
        statuses: text_choices(
            rows.iter().map(|r| r.status),
            &word("opportunities.no_status"),
        ),
        rows,
        csv_url: OPPORTUNITIES_CSV,
    }
}

// ---- CSV -------------------------------------------------------------------------

/// The columns of `data/pains.csv`.
pub const PAINS_COLUMNS: [&str; 7] = [
    "journey",
    "journey_title",
    "stage",
    "step",
    "action",
    "pain",
    "severity",
];

/// The columns of `data/opportunities.csv`.
pub const OPPORTUNITIES_COLUMNS: [&str; 9] = [
    "journey",
    "journey_title",
    "stage",
    "step",
    "action",
    "opportunity",
    "owner",
    "priority",
    "status",
];

/// `data/pains.csv`: a row per pain point, in the order of the pains page. `step` is
/// the step's number in the journey (from 1), as in `cxmap export --format csv`; a
/// missing severity is an empty cell.
pub fn pains_csv(view: &PainsView<'_>) -> Result<Vec<u8>> {
    csv::file(
        &PAINS_COLUMNS,
        view.rows.iter().map(|r| {
            let mut cells = place_cells(&r.place);
            cells.push(csv::cell(r.text));
            cells.push(r.severity.map(|s| csv::key(&s)).unwrap_or_default());
            cells
        }),
    )
}

/// `data/opportunities.csv`: a row per opportunity, in the order of the opportunities
/// page; missing owners, priorities and statuses are empty cells.
pub fn opportunities_csv(view: &OpportunitiesView<'_>) -> Result<Vec<u8>> {
    csv::file(
        &OPPORTUNITIES_COLUMNS,
        view.rows.iter().map(|r| {
            let mut cells = place_cells(&r.place);
            cells.push(csv::cell(r.text));
            cells.push(csv::cell(r.owner.unwrap_or_default()));
            cells.push(r.priority.map(|p| csv::key(&p)).unwrap_or_default());
            cells.push(csv::cell(r.status.unwrap_or_default()));
            cells
        }),
    )
}

fn place_cells(p: &Place<'_>) -> Vec<String> {
    vec![
        csv::cell(p.journey),
        csv::cell(p.journey_title),
        csv::cell(p.stage),
        p.step_number.to_string(),
        csv::cell(p.step),
    ]
}

// ---- Tags ------------------------------------------------------------------------

/// A tag on `tags/index.html`.
#[derive(Debug, Clone, Serialize)]
pub struct TagSummary {
    /// The slug: the tag's page is `tags/<slug>/index.html`.
    pub slug: String,
    /// The tag as most journeys write it (on a tie, as the first journey by slug does).
    pub name: String,
    /// Every way the journeys write it (`B2C`, `b2c`), sorted.
    pub spellings: Vec<String>,
    /// The tag page's address.
    pub url: String,
    /// How many journeys carry it.
    pub journey_count: usize,
}

/// A tag's page (`tag` in `tag.html`), before its cards are attached.
#[derive(Debug, Clone)]
pub struct TagPage {
    /// Name, slug, spellings, count.
    pub summary: TagSummary,
    /// Indexes into [`Portfolio::cards`] (site order).
    pub journeys: Vec<usize>,
}

/// What `tag.html` receives as `tag`.
#[derive(Debug)]
pub struct TagView<'p, 'a> {
    /// Name, slug, spellings, url and count.
    pub summary: &'p TagSummary,
    /// The journeys with this tag, as journey cards, by slug.
    pub journeys: Vec<&'p JourneyCard<'a>>,
}

serialize_flat!(TagView<'_, '_> { flatten summary; journeys });

impl<'a> Portfolio<'a> {
    /// The view of one tag page.
    pub fn tag_view<'p>(&'p self, page: &'p TagPage) -> TagView<'p, 'a> {
        TagView {
            summary: &page.summary,
            journeys: page
                .journeys
                .iter()
                .filter_map(|&i| self.cards.get(i))
                .collect(),
        }
    }
}

/// Tags of all journeys, counted, as on `tags/index.html`: tags that fold to the same
/// slug count as one, named as most journeys write them.
pub fn tag_counts(site: &Site) -> Vec<super::views::TagCount> {
    tag_summaries(site)
        .into_iter()
        .map(|t| super::views::TagCount {
            name: t.name,
            url: t.url,
            count: t.journey_count,
        })
        .collect()
}

/// Every tag with its journey count, by slug, as on `tags/index.html` (the overview
/// lists the same).
pub fn tag_summaries(site: &Site) -> Vec<TagSummary> {
    tags(site).0
}

/// Tags by slug: the summaries for the index and a page per slug. Tags that fold to
/// the same slug (`B2C`, `b2c`) share it.
fn tags(site: &Site) -> (Vec<TagSummary>, Vec<TagPage>) {
    // slug → (spelling → (journeys writing it that way, the first and the last of
    // them), journeys with the tag)
    type Spellings<'a> = BTreeMap<&'a str, (usize, usize, usize)>;
    let mut by_slug: BTreeMap<String, (Spellings<'_>, Vec<usize>)> = BTreeMap::new();
    for (i, j) in site.journeys.iter().enumerate() {
        for tag in &j.tags {
            let (spellings, journeys) = by_slug.entry(slug(tag)).or_default();
            let (count, _, last) = spellings.entry(tag.as_str()).or_insert((0, i, i));
            if *count == 0 || *last != i {
                *count += 1;
                *last = i;
            }
            if journeys.last() != Some(&i) {
                journeys.push(i);
            }
        }
    }
    let pages: Vec<TagPage> = by_slug
        .into_iter()
        .map(|(slug, (spellings, journeys))| {
            // The most used spelling; on a tie, the first journey's.
            let name = spellings
                .iter()
                .max_by(|(_, (n, first, _)), (_, (m, other, _))| n.cmp(m).then(other.cmp(first)))
                .map(|(s, _)| s.to_string())
                .unwrap_or_else(|| slug.clone());
            TagPage {
                summary: TagSummary {
                    url: format!("tags/{slug}/index.html"),
                    slug,
                    name,
                    spellings: spellings.keys().map(|s| s.to_string()).collect(),
                    journey_count: journeys.len(),
                },
                journeys,
            }
        })
        .collect();
    (pages.iter().map(|p| p.summary.clone()).collect(), pages)
}

// ---- Channels --------------------------------------------------------------------

/// A step on a channel's page.
#[derive(Debug, Clone)]
pub struct ChannelStep<'a> {
    /// Journey, stage and step.
    pub place: Place<'a>,
    /// The channel's label, as on the heat map.
    pub channel: &'a str,
    /// The step's touchpoint, or `none`.
    pub touchpoint: Option<&'a str>,
    /// 1 to 5, or `none`.
    pub emotion: Option<u8>,
    /// Whether the step is a moment of truth.
    pub moment_of_truth: bool,
    /// How many pain points the step has.
    pub pain_count: usize,
    /// How many opportunities the step has.
    pub opportunity_count: usize,
}

serialize_flat!(ChannelStep<'_> {
    flatten place;
    channel, touchpoint, emotion, moment_of_truth, pain_count, opportunity_count
});

/// A stage on a channel's page: the steps of that channel in it.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelStage<'a> {
    /// The stage id, as on the heat map (`stage-<id>` is the section's anchor).
    pub id: &'a str,
    /// The stage's name (the first journey's, when journeys name it differently).
    pub name: &'a str,
    /// The steps, journeys by slug, then in order; at most [`CHANNEL_STEPS`], the
    /// lowest-scored first, when there are more.
    pub steps: Vec<ChannelStep<'a>>,
    /// How many steps of the channel are in this stage.
    pub count: usize,
}

/// The most steps a stage lists on a channel's page. A large portfolio has thousands
/// of steps in one channel and stage; the page lists where it hurts most, and the
/// heat map, the pain points and the data files count them all.
pub const CHANNEL_STEPS: usize = 100;

/// A channel's page (`channel` in `channel.html`).
#[derive(Debug, Clone, Serialize)]
pub struct ChannelPage<'a> {
    /// The slug: the page is `channels/<slug>/index.html`.
    pub slug: String,
    /// The channel's label (labels that fold to one slug joined with ` / `).
    pub name: String,
    /// The page's address.
    pub url: String,
    /// How many steps happen in this channel.
    pub step_count: usize,
    /// Mean emotion of its scored steps, one decimal, or `none`.
    pub mean_emotion: Option<String>,
    /// The stages in the heat map's order, only those with steps in this channel.
    pub stages: Vec<ChannelStage<'a>>,
    /// Links to the journeys that use this channel, by slug.
    pub journeys: Vec<Link>,
}

fn channels(site: &Site) -> Vec<ChannelPage<'_>> {
    let names = StageNames::new(site);
    // Stage columns as on the heat map: by id, in order of first appearance.
    let mut columns: Vec<(&str, &str)> = Vec::new();
    for stage in site.journeys.iter().flat_map(|j| j.stages.iter()) {
        if !columns.iter().any(|(id, _)| *id == stage.id) {
            columns.push((&stage.id, &stage.name));
        }
    }
    /// A step in a channel, by reference; its place is made only if its page lists it.
    struct Found<'a> {
        journey: &'a Journey,
        stage: usize,
        number: usize,
        step: &'a Step,
        channel: &'a str,
    }
    /// A channel's steps as they are found: journeys by slug, steps in order.
    #[derive(Default)]
    struct Gathering<'a> {
        labels: Vec<&'a str>,
        steps: usize,
        scores: Vec<f64>,
        journeys: Vec<&'a Journey>,
        by_stage: HashMap<&'a str, Vec<Found<'a>>>,
    }
    let mut slugs: HashMap<&str, String> = HashMap::new();
    let mut by_slug: BTreeMap<String, Gathering<'_>> = BTreeMap::new();
    for j in &site.journeys {
        for (n, (s, step)) in j.steps().enumerate() {
            let Some(label) = step.channel_label.as_deref() else {
                continue;
            };
            let slug = slugs.entry(label).or_insert_with(|| slug(label));
            let g = by_slug.entry(slug.clone()).or_default();
            if !g.labels.contains(&label) {
                g.labels.push(label);
            }
            g.steps += 1;
            g.scores.extend(step.emotion.map(f64::from));
            if !g.journeys.last().is_some_and(|last| std::ptr::eq(*last, j)) {
                g.journeys.push(j);
            }
            let stage = &j.stages[s];
            g.by_stage.entry(&stage.id).or_default().push(Found {
                journey: j,
                stage: s,
                number: n + 1,
                step,
                channel: label,
            });
        }
    }
    fn place<'a>(site: &Site, names: &StageNames<'a>, f: &Found<'a>) -> Place<'a> {
        let j = f.journey;
        let stage = &j.stages[f.stage];
        let journey_url: Arc<str> = site.journey_href(j).into();
        Place {
            journey: &j.id.0,
            journey_title: &j.title,
            stage_url: format!("{journey_url}#stage-{}", stage.id).into(),
            journey_url,
            stage: &stage.name,
            stage_id: &stage.id,
            stage_rank: names.rank(&stage.name),
            step: &f.step.action,
            step_number: f.number,
        }
    }
    by_slug
        .into_iter()
        .map(|(slug, mut g)| {
            g.labels.sort_unstable();
            let stages = columns
                .iter()
                .filter_map(|(id, name)| {
                    let found = g.by_stage.remove(id)?;
                    let count = found.len();
                    let shown = super::views::first_by(found, CHANNEL_STEPS, |f| {
                        f.step.emotion.unwrap_or(u8::MAX)
                    });
                    Some(ChannelStage {
                        id,
                        name,
                        count,
                        steps: shown
                            .iter()
                            .map(|f| ChannelStep {
                                place: place(site, &names, f),
                                channel: f.channel,
                                touchpoint: f.step.touchpoint.as_deref(),
                                emotion: f.step.emotion,
                                moment_of_truth: f.step.moment_of_truth,
                                pain_count: f.step.pains.len(),
                                opportunity_count: f.step.opportunities.len(),
                            })
                            .collect(),
                    })
                })
                .collect();
            ChannelPage {
                url: format!("channels/{slug}/index.html"),
                slug,
                name: g.labels.join(" / "),
                step_count: g.steps,
                mean_emotion: crate::model::mean_emotion(g.scores.iter().copied())
                    .map(|m| format!("{m:.1}")),
                stages,
                journeys: g
                    .journeys
                    .iter()
                    .map(|j| Link {
                        title: j.title.clone(),
                        url: site.journey_href(j),
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_gets_a_slug() {
        assert_eq!(slug("B2C"), "b2c");
        assert_eq!(slug("Self-service"), "self-service");
        assert_eq!(slug("Café"), "cafe");
        assert_eq!(slug("!!!"), "x-21-21-21");
        assert_eq!(tag_url("In Store"), "tags/in-store/index.html");
    }

    #[test]
    fn free_text_choices_are_sorted_with_none_last() {
        let c = text_choices(
            [Some("web team"), None, Some("Data"), Some("web team")].into_iter(),
            "No owner",
        );
        let values: Vec<&str> = c.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["Data", "web team", "none"]);
    }
}
