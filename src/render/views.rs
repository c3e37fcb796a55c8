//! The view models: exactly what each template sees. Documented in the guide
//! (`docs/themes.md`); change them with care, theme authors depend on them.

use super::flat::serialize_flat;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::config::Channel;
use crate::html::Html;
use crate::model::{Journey, JourneyState, Persona, Site};

/// Site-wide values, the same on every page (`site` in templates).
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Site title.
    pub title: &'a str,
    /// Site description.
    pub description: Option<&'a str>,
    /// Default language.
    pub language: &'a str,
    /// The navigation: home, journeys, personas, channels, pain points, opportunities,
    /// then top-level pages.
    pub nav: Vec<Link>,
    /// The channel registry.
    pub channels: &'a BTreeMap<String, Channel>,
    /// Words for emotion scores, indexed 1–5 (0 is empty), in the page's language.
    pub emotion_words: [String; 6],
    /// Custom data from `[extra]`.
    pub extra: &'a serde_json::Value,
    /// Days after which a map is due for review (`stale_after_days`).
    pub stale_after_days: u32,
}

impl<'a> SiteView<'a> {
    /// Builds the site view once per build and language, with the words of `strings`.
    pub fn new(site: &'a Site, strings: &crate::i18n::Strings) -> Self {
        let word = |key: &str| strings.text(&site.lang, key).to_string();
        let mut nav = vec![
            Link::new(&word("nav.overview"), ""),
            Link::new(&word("nav.journeys"), "journeys/"),
            Link::new(&word("nav.personas"), "personas/"),
            Link::new(&word("nav.channels"), "channels/"),
            Link::new(&word("nav.pains"), "pains/"),
            Link::new(&word("nav.opportunities"), "opportunities/"),
        ];
        if site.recent.is_some() {
            nav.push(Link::new(&word("whatchanged.nav"), "changes/"));
        }
        nav.extend(
            site.pages
                .iter()
                .filter(|p| !p.id.contains('/'))
                .map(|p| Link {
                    title: p.title.clone(),
                    url: site.href(&p.lang, &format!("{}/", p.id)),
                }),
        );
        SiteView {
            title: &site.config.title,
            description: site.config.description.as_deref(),
            language: &site.config.language,
            nav,
            channels: &site.config.channels,
            emotion_words: strings.labels(&site.lang).emotions,
            extra: &site.config.extra,
            stale_after_days: site.config.stale_after_days,
        }
    }
}

/// A link: text and a root-relative URL (prefix it with `base.root`).
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Link text.
    pub title: String,
    /// URL relative to the site root, ending in `index.html` for pages.
    pub url: String,
}

impl Link {
    /// A link to a folder of the site.
    pub fn new(title: &str, dir: &str) -> Self {
        Link {
            title: title.to_string(),
            url: format!("{dir}index.html"),
        }
    }
}

/// Per-page values (`base` in templates).
#[derive(Debug, Serialize)]
pub struct Base {
    /// `../` repeated to reach the root of this page's language from this page (the
    /// site root for the site's language, `es/` for Spanish); empty at that root. Links
    /// to pages start with it.
    pub root: String,
    /// `../` repeated to reach the output root: theme assets (`assets/`) and the site's
    /// static files are there, shared by every language.
    pub top: String,
    /// This page's folder relative to its language's root (`journeys/x/`); empty for
    /// the home page.
    pub path: String,
    /// Absolute URL of this page, when `base_url` is set.
    pub canonical_url: Option<String>,
    /// The page's language.
    pub lang: String,
    /// The navigation URL of this page (`base.path` + `index.html`), which the menu
    /// marks as current; empty on pages that are not in the menu's sense (404).
    pub nav_current: String,
    /// This page in every language of the site, for the language switcher and
    /// `hreflang` links; empty when the site has one language.
    pub languages: Vec<Alternate>,
}

/// This page in one language (`base.languages`).
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// Language code.
    pub lang: String,
    /// The language's own name (`Español`).
    pub name: String,
    /// URL relative to this page: the same page in that language when it exists, else
    /// that language's home page.
    pub url: String,
    /// Absolute URL of the same page, when it exists and `base_url` is set.
    pub absolute_url: Option<String>,
    /// Whether the same page exists in that language (else `url` is its home page).
    pub exists: bool,
    /// Whether this is the page's own language.
    pub current: bool,
}

impl Base {
    /// The values for the page in folder `dir` of the language whose output folder is
    /// `lang_dir` (`""` or `es/`).
    pub fn new(site: &Site, lang_dir: &str, dir: &str) -> Self {
        let depth = dir.matches('/').count();
        Base {
            root: "../".repeat(depth),
            top: "../".repeat(depth + lang_dir.matches('/').count()),
            path: dir.to_string(),
            canonical_url: site
                .config
                .base_url
                .as_ref()
                .map(|b| format!("{b}{lang_dir}{dir}")),
            lang: site.lang.clone(),
            nav_current: format!("{dir}index.html"),
            languages: Vec::new(),
        }
    }
}

/// A journey in a list.
#[derive(Debug, Serialize)]
pub struct JourneyCard<'a> {
    /// Root-relative URL.
    pub url: String,
    /// Slug.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Summary.
    pub summary: Option<&'a str>,
    /// current / future / research.
    pub state: JourneyState,
    /// Status.
    pub status: Option<&'a str>,
    /// Owner.
    pub owner: Option<&'a str>,
    /// Tags.
    pub tags: &'a [String],
    /// Tags as links to their tag pages (`tags/<slug>/index.html`).
    pub tag_links: Vec<Link>,
    /// Last review date.
    pub reviewed: Option<String>,
    /// The journey's language when it is not the page's: a journey written in another
    /// language only, listed here and marked with its language.
    pub lang: Option<&'a str>,
    /// Personas walking it.
    pub personas: Vec<Link>,
    /// Number of stages.
    pub stage_count: usize,
    /// Number of steps.
    pub step_count: usize,
    /// Number of pain points.
    pub pain_count: usize,
    /// Number of opportunities.
    pub opportunity_count: usize,
    /// Mean emotion, one decimal.
    pub mean_emotion: Option<String>,
    /// The lowest emotion and the step where it happens.
    pub lowest: Option<(u8, &'a str)>,
    /// The stage strip with a mini emotion curve (inline SVG), drawn once per build
    /// and language (see [`CardStrips`]).
    pub strip: Option<std::borrow::Cow<'a, Html>>,
    /// Whether the map is due for review (see `stale_after_days`).
    pub stale: bool,
}

/// The words of one language's diagrams, with the strip of every journey's card drawn
/// once: the overview, the journey list, tag and persona pages show the same cards.
pub struct CardStrips {
    labels: crate::diagram::Labels,
    drawn: std::sync::OnceLock<HashMap<String, Option<Html>>>,
}

impl CardStrips {
    /// Strips drawn with `labels`, none drawn yet.
    pub fn new(labels: crate::diagram::Labels) -> Self {
        CardStrips {
            labels,
            drawn: std::sync::OnceLock::new(),
        }
    }

    /// Draws the strip of every journey of `site`, on every core. Call it outside the
    /// jobs that use the strips; before it, each card draws its own.
    pub fn draw_all(&self, site: &Site) {
        use rayon::prelude::*;
        self.drawn.get_or_init(|| {
            site.journeys
                .par_iter()
                .map(|j| (j.id.0.clone(), self.draw(j)))
                .collect()
        });
    }

    /// The strip of `j`'s card: the one [`CardStrips::draw_all`] drew, else drawn now.
    pub fn strip(&self, j: &Journey) -> Option<std::borrow::Cow<'_, Html>> {
        match self.drawn.get().and_then(|d| d.get(&j.id.0)) {
            Some(strip) => strip.as_ref().map(std::borrow::Cow::Borrowed),
            None => self.draw(j).map(std::borrow::Cow::Owned),
        }
    }

    fn draw(&self, j: &Journey) -> Option<Html> {
        crate::diagram::strip(j, &self.labels).map(|d| {
            // Kept for the whole build, once per journey and language: without the room
            // `write` reserves for larger diagrams.
            let mut svg = crate::diagram::svg::write(&d);
            svg.shrink_to_fit();
            Html::from_trusted(svg)
        })
    }
}

impl std::ops::Deref for CardStrips {
    type Target = crate::diagram::Labels;

    fn deref(&self) -> &Self::Target {
        &self.labels
    }
}

impl<'a> JourneyCard<'a> {
    /// The card of a journey, its strip from `strips`.
    pub fn new(site: &'a Site, j: &'a Journey, strips: &'a CardStrips) -> Self {
        let lowest = j
            .steps()
            .filter_map(|(_, s)| s.emotion.map(|e| (e, s.action.as_str())))
            .min_by_key(|(e, _)| *e);
        JourneyCard {
            url: site.journey_href(j),
            id: &j.id.0,
            title: &j.title,
            summary: j.summary.as_deref(),
            state: j.state,
            status: j.status.as_deref(),
            owner: j.owner.as_deref(),
            tags: &j.tags,
            tag_links: j
                .tags
                .iter()
                .map(|t| Link {
                    title: t.clone(),
                    url: tag_url(t),
                })
                .collect(),
            reviewed: j.reviewed.map(|d| d.to_string()),
            lang: (j.lang != site.lang).then_some(j.lang.as_str()),
            personas: j
                .personas
                .iter()
                .filter_map(|id| site.persona(id))
                .map(|p| Link {
                    title: p.name.clone(),
                    url: site.href(&p.lang, &format!("personas/{}/", p.id.0)),
                })
                .collect(),
            stage_count: j.stages.len(),
            step_count: j.steps().count(),
            pain_count: j.steps().map(|(_, s)| s.pains.len()).sum(),
            opportunity_count: j.steps().map(|(_, s)| s.opportunities.len()).sum(),
            mean_emotion: j.mean_emotion().map(|m| format!("{m:.1}")),
            lowest,
            stale: j.stale,
            strip: strips.strip(j),
        }
    }
}

/// A journey page (`journey` in `journey.html`).
#[derive(Debug)]
pub struct JourneyView<'a> {
    /// Everything the file says, resolved (`journey.stages`, `journey.body_html`, …).
    pub journey: &'a Journey,
    /// Figures and links as on the cards.
    pub card: JourneyCard<'a>,
    /// Personas with what a profile chip needs.
    pub persona_cards: Vec<PersonaCard<'a>>,
    /// The current-state map this one improves.
    pub baseline_link: Option<Link>,
    /// Future-state maps that improve this one.
    pub future_links: Vec<Link>,
    /// The inline SVG map, when the journey has stages.
    pub diagram: Option<Html>,
    /// The funnel (inline SVG), when a stage has a `dropoff`.
    pub funnel: Option<Html>,
    /// For a future-state map: its baseline compared stage by stage.
    pub comparison: Option<Comparison>,
    /// What git knows of the file, ready to show; `None` outside git.
    pub git: Option<GitView<'a>>,
    /// The emotion by stage now and at earlier commits (inline SVG), when the journey
    /// has earlier versions with scores.
    pub evolution: Option<Html>,
}

serialize_flat!(JourneyView<'_> {
    flatten journey;
    card, persona_cards, baseline_link, future_links, diagram, funnel, comparison, git, evolution
});

/// The history of a journey's or persona's file as a page shows it (`journey.git`,
/// `persona.git`).
#[derive(Debug, Serialize)]
pub struct GitView<'a> {
    /// The last commit that changed the file (`date`, `author`, `subject`, `short`,
    /// `commit`), when it has been committed.
    pub last: Option<&'a crate::model::Change>,
    /// The most recent changes, newest first (at most [`GitView::SHOWN`]).
    pub recent: &'a [crate::model::Change],
    /// How many older changes are not listed.
    pub earlier: usize,
    /// Whether the file on disk differs from its last commit.
    pub uncommitted: bool,
    /// Whether the history is cut short (a shallow clone).
    pub partial: bool,
}

impl<'a> GitView<'a> {
    /// How many changes a page lists.
    pub const SHOWN: usize = 20;

    /// The view of a file's history.
    pub fn new(h: &'a crate::model::FileHistory) -> Self {
        let shown = h.changes.len().min(Self::SHOWN);
        GitView {
            last: h.last(),
            recent: &h.changes[..shown],
            earlier: h.changes.len() - shown,
            uncommitted: h.uncommitted,
            partial: h.partial,
        }
    }
}

/// A future-state map against its current-state baseline.
#[derive(Debug, Serialize)]
pub struct Comparison {
    /// The baseline map.
    pub baseline: Link,
    /// The chart (inline SVG), when a stage has scores in both maps.
    pub diagram: Option<Html>,
    /// One row per stage.
    pub rows: Vec<ComparisonRow>,
}

/// A stage in the comparison.
#[derive(Debug, Serialize)]
pub struct ComparisonRow {
    /// Stage name.
    pub stage: String,
    /// Mean emotion today, one decimal.
    pub current: Option<String>,
    /// Mean emotion in the future state, one decimal.
    pub future: Option<String>,
    /// The change, signed, one decimal (`+1.5`).
    pub change: Option<String>,
    /// Pain points today.
    pub current_pains: usize,
    /// Pain points in the future state.
    pub future_pains: usize,
}

impl Comparison {
    fn new(
        site: &Site,
        current: &Journey,
        future: &Journey,
        labels: &crate::diagram::Labels,
    ) -> Self {
        let one = |v: Option<f64>| v.map(|v| format!("{v:.1}"));
        Comparison {
            baseline: Link {
                title: current.title.clone(),
                url: site.journey_href(current),
            },
            diagram: crate::diagram::compare(current, future, labels)
                .map(|d| Html::from_trusted(crate::diagram::svg::write(&d))),
            rows: crate::diagram::compare::rows(current, future)
                .into_iter()
                .map(|r| ComparisonRow {
                    change: r.delta().map(|d| format!("{d:+.1}")),
                    current: one(r.current),
                    future: one(r.future),
                    stage: r.name,
                    current_pains: r.pains.0,
                    future_pains: r.pains.1,
                })
                .collect(),
        }
    }
}

impl<'a> JourneyView<'a> {
    /// The view of one journey page.
    pub fn new(
        site: &'a Site,
        j: &'a Journey,
        svg: Option<String>,
        labels: &'a CardStrips,
    ) -> Self {
        let link = |id: &crate::model::JourneyId| {
            site.journey(id).map(|o| Link {
                title: o.title.clone(),
                url: site.journey_href(o),
            })
        };
        JourneyView {
            journey: j,
            card: JourneyCard::new(site, j, labels),
            persona_cards: j
                .personas
                .iter()
                .filter_map(|id| site.persona(id))
                .map(|p| PersonaCard::new(site, p))
                .collect(),
            baseline_link: j.baseline.as_ref().and_then(link),
            future_links: j.futures.iter().filter_map(link).collect(),
            diagram: svg.map(Html::from_trusted),
            funnel: crate::diagram::funnel(j, labels)
                .map(|d| Html::from_trusted(crate::diagram::svg::write(&d))),
            comparison: j
                .baseline
                .as_ref()
                .and_then(|b| site.journey(b))
                .map(|current| Comparison::new(site, current, j, labels)),
            git: j.history.as_ref().map(GitView::new),
            evolution: None,
        }
    }
}

/// A persona in a list.
#[derive(Debug, Serialize)]
pub struct PersonaCard<'a> {
    /// Root-relative URL.
    pub url: String,
    /// Slug.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Role.
    pub role: Option<&'a str>,
    /// Quote.
    pub quote: Option<&'a str>,
    /// Avatar path relative to the root, when there is a picture.
    pub avatar: Option<&'a str>,
    /// Initials for a drawn avatar.
    pub initials: String,
    /// proto / research.
    pub kind: Option<crate::model::PersonaKind>,
    /// How many journeys the persona walks.
    pub journey_count: usize,
}

impl<'a> PersonaCard<'a> {
    /// The card of a persona.
    pub fn new(site: &Site, p: &'a Persona) -> Self {
        PersonaCard {
            url: site.href(&p.lang, &format!("personas/{}/", p.id.0)),
            id: &p.id.0,
            name: &p.name,
            role: p.role.as_deref(),
            quote: p.quote.as_deref(),
            avatar: p.avatar.as_deref(),
            initials: p.initials(),
            kind: p.kind,
            journey_count: p.journeys.len(),
        }
    }
}

/// A persona page (`persona` in `persona.html`).
#[derive(Debug)]
pub struct PersonaView<'a> {
    /// Everything the file says.
    pub persona: &'a Persona,
    /// The card values (url, initials…).
    pub card: PersonaCard<'a>,
    /// The journeys this persona walks.
    pub journey_cards: Vec<JourneyCard<'a>>,
    /// `channels` with labels from the site's `[channels]` where a key matches.
    pub channel_labels: Vec<&'a str>,
    /// The empathy map (inline SVG), when any quadrant has entries.
    pub empathy_map: Option<Html>,
    /// What git knows of the file, ready to show; `None` outside git.
    pub git: Option<GitView<'a>>,
}

serialize_flat!(PersonaView<'_> {
    flatten persona;
    card, journey_cards, channel_labels, empathy_map, git
});

impl<'a> PersonaView<'a> {
    /// The view of one persona page.
    pub fn new(site: &'a Site, p: &'a Persona, labels: &'a CardStrips) -> Self {
        PersonaView {
            empathy_map: crate::diagram::empathy(p, labels)
                .map(|d| Html::from_trusted(crate::diagram::svg::write(&d))),
            persona: p,
            card: PersonaCard::new(site, p),
            channel_labels: p
                .channels
                .iter()
                .map(|c| site.config.channel_label(c))
                .collect(),
            journey_cards: p
                .journeys
                .iter()
                .filter_map(|id| site.journey(id))
                .map(|j| JourneyCard::new(site, j, labels))
                .collect(),
            git: p.history.as_ref().map(GitView::new),
        }
    }
}

/// A group of journeys on the home page.
#[derive(Debug, Serialize)]
pub struct StateGroup<'a> {
    /// current / future / research.
    pub state: &'static str,
    /// The journeys in that state, in site order; at most [`HOME_CARDS`], the most
    /// recently changed, newest first, when there are more.
    pub journeys: Vec<JourneyCard<'a>>,
    /// How many journeys are in that state.
    pub count: usize,
}

/// The most cards a state has on the overview: a portfolio of thousands of maps
/// shows its latest changes there, and every map on the journey list.
pub const HOME_CARDS: usize = 24;

/// The journeys a state shows on the overview (see [`StateGroup::journeys`]): newest
/// change first (the last commit, else the review date) when there are too many.
fn home_cards(journeys: Vec<&Journey>) -> Vec<&Journey> {
    first_by(journeys, HOME_CARDS, |j| {
        let changed = j.history.as_ref().and_then(|h| h.last()).map(|c| c.date);
        std::cmp::Reverse(changed.or(j.reviewed))
    })
}

/// A list that a page of a large portfolio shows only in part: all of `items`, in
/// their order, when there are no more than `max`; else the `max` that come first by
/// `key`, in that order (a stable sort: equal keys keep their order).
pub(super) fn first_by<T, K: Ord>(
    mut items: Vec<T>,
    max: usize,
    key: impl FnMut(&T) -> K,
) -> Vec<T> {
    if items.len() > max {
        items.sort_by_key(key);
        items.truncate(max);
    }
    items
}

/// The home page (`home` in `index.html`).
#[derive(Debug, Serialize)]
pub struct Home<'a> {
    /// Journeys grouped by state, empty groups left out.
    pub groups: Vec<StateGroup<'a>>,
    /// Every persona.
    pub personas: Vec<PersonaCard<'a>>,
    /// Headline figures.
    pub figures: Figures,
    /// Every tag with the number of journeys that carry it, by name.
    pub tags: Vec<TagCount>,
    /// The newest date in the content, against which maps are due for review.
    pub content_date: Option<String>,
    /// How many days after their last review maps are due again.
    pub stale_after_days: u32,
}

/// A tag and how many journeys carry it.
#[derive(Debug, Serialize)]
pub struct TagCount {
    /// The tag as written.
    pub name: String,
    /// Root-relative URL of its page.
    pub url: String,
    /// Journeys with this tag.
    pub count: usize,
}

/// Headline figures of the portfolio.
#[derive(Debug, Serialize)]
pub struct Figures {
    /// Journeys.
    pub journeys: usize,
    /// Personas.
    pub personas: usize,
    /// Steps across all journeys.
    pub steps: usize,
    /// Pain points.
    pub pains: usize,
    /// Opportunities.
    pub opportunities: usize,
    /// Mean emotion across all scored steps, one decimal.
    pub mean_emotion: Option<String>,
    /// Maps due for review.
    pub stale: usize,
}

/// The home page's view, its cards drawn with `labels`.
pub fn home<'a>(site: &'a Site, labels: &'a CardStrips, tags: Vec<TagCount>) -> Home<'a> {
    let groups = JourneyState::ALL
        .iter()
        .map(|(state, key)| {
            let all: Vec<&Journey> = site.journeys.iter().filter(|j| j.state == *state).collect();
            StateGroup {
                state: key,
                count: all.len(),
                journeys: home_cards(all)
                    .into_iter()
                    .map(|j| JourneyCard::new(site, j, labels))
                    .collect(),
            }
        })
        .filter(|g| g.count > 0)
        .collect();
    let steps: Vec<_> = site
        .journeys
        .iter()
        .flat_map(|j| j.steps().map(|(_, s)| s))
        .collect();
    let scores: Vec<f64> = steps
        .iter()
        .filter_map(|s| s.emotion.map(f64::from))
        .collect();
    Home {
        groups,
        personas: site
            .personas
            .iter()
            .map(|p| PersonaCard::new(site, p))
            .collect(),
        figures: Figures {
            journeys: site.journeys.len(),
            personas: site.personas.len(),
            steps: steps.len(),
            pains: steps.iter().map(|s| s.pains.len()).sum(),
            opportunities: steps.iter().map(|s| s.opportunities.len()).sum(),
            mean_emotion: crate::model::mean_emotion(scores.iter().copied())
                .map(|m| format!("{m:.1}")),
            stale: site.journeys.iter().filter(|j| j.stale).count(),
        },
        tags,
        content_date: site.content_date.map(|d| d.to_string()),
        stale_after_days: site.config.stale_after_days,
    }
}

/// The channels page (`channels` in `channels.html`).
#[derive(Debug, Serialize)]
pub struct ChannelsView {
    /// The channel × stage heat map (inline SVG), when any step names a channel.
    pub heatmap: Option<Html>,
    /// The same figures as a table: stage names for the columns.
    pub stages: Vec<String>,
    /// The stage ids of the columns, in the same order (`#stage-<id>` on a channel's
    /// page).
    pub stage_ids: Vec<String>,
    /// One row per channel.
    pub rows: Vec<ChannelRow>,
}

/// A row of the channel table.
#[derive(Debug, Serialize)]
pub struct ChannelRow {
    /// The channel's label.
    pub channel: String,
    /// The channel's page, listing its steps by stage.
    pub url: String,
    /// Per stage: number of steps and mean emotion (one decimal), or `none`.
    pub cells: Vec<Option<(usize, Option<String>)>>,
}

/// The channels page's view.
pub fn channels(site: &Site, heatmap: Option<Html>) -> ChannelsView {
    let m = crate::diagram::heatmap::matrix(site);
    ChannelsView {
        heatmap,
        stages: m.stages.iter().map(|(_, n)| n.clone()).collect(),
        stage_ids: m.stages.iter().map(|(id, _)| id.clone()).collect(),
        rows: m
            .channels
            .iter()
            .enumerate()
            .map(|(row, channel)| ChannelRow {
                channel: channel.clone(),
                url: channel_url(channel),
                cells: (0..m.stages.len())
                    .map(|col| {
                        m.cells
                            .get(&(row, col))
                            .map(|c| (c.steps, c.mean().map(|v| format!("{v:.1}"))))
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// One commit on the "What changed" page (`changes` in `changes.html`, a list).
#[derive(Debug, Serialize)]
pub struct RecentView<'a> {
    /// The commit: `date`, `author`, `subject`, `short`, `commit`.
    pub change: &'a crate::model::Change,
    /// The journeys and personas it changed, with what changed, in the page's language.
    pub items: Vec<RecentItem>,
    /// The journey and persona files it changed, when it changed them without a
    /// statement to make (`journeys/x.md`).
    pub files: Vec<String>,
    /// Whether it changed other files of the site (pages, settings, pictures).
    pub other_files: bool,
}

/// A journey or persona a commit changed.
#[derive(Debug, Serialize)]
pub struct RecentItem {
    /// `journey` or `persona`.
    pub kind: &'static str,
    /// Its title or name.
    pub title: String,
    /// Its page, when the site still has it (relative to the language's root).
    pub url: Option<String>,
    /// What changed, one sentence each.
    pub statements: Vec<String>,
}

/// The "What changed" page of `site` (in its language); `None` outside git.
pub fn recent<'a>(
    site: &'a Site,
    describe: &dyn Fn(&crate::diff::Statement<'_>) -> String,
) -> Option<Vec<RecentView<'a>>> {
    let recent = site.recent.as_ref()?;
    Some(
        recent
            .iter()
            .map(|r| {
                let mut items: Vec<RecentItem> = r
                    .changes
                    .journeys
                    .iter()
                    .map(|j| RecentItem {
                        kind: "journey",
                        title: j.title.clone(),
                        url: site
                            .journey(&crate::model::JourneyId(j.journey.clone()))
                            .map(|x| site.journey_href(x)),
                        statements: j
                            .changes
                            .iter()
                            .map(|c| describe(&crate::diff::Statement::Journey(c)))
                            .collect(),
                    })
                    .collect();
                items.extend(r.changes.personas.iter().map(|p| {
                    RecentItem {
                        kind: "persona",
                        title: p.name.clone(),
                        url: site
                            .persona(&crate::model::PersonaId(p.persona.clone()))
                            .map(|x| site.href(&x.lang, &format!("personas/{}/", x.id.0))),
                        statements: p
                            .changes
                            .iter()
                            .map(|c| describe(&crate::diff::Statement::Persona(c)))
                            .collect(),
                    }
                }));
                RecentView {
                    change: &r.change,
                    files: if items.is_empty() {
                        r.content_files
                            .iter()
                            .map(|f| f.to_string_lossy().replace('\\', "/"))
                            .collect()
                    } else {
                        Vec::new()
                    },
                    items,
                    other_files: r.other_files,
                }
            })
            .collect(),
    )
}

/// A slug for a tag or channel: [`crate::slug::segment`] (so a 300-character tag is
/// still a file name the system takes), or, when the text has no
/// letter or digit at all (`"!!!"`), `x-` and its bytes in hex, so every text has a page.
pub fn slug(text: &str) -> String {
    let s = crate::slug::segment(text);
    if !s.is_empty() {
        return s;
    }
    let mut out = String::from("x");
    for b in text.trim().bytes().take(24) {
        out.push_str(&format!("-{b:02x}"));
    }
    out
}

/// The address of a tag's page.
pub fn tag_url(tag: &str) -> String {
    format!("tags/{}/index.html", slug(tag))
}

/// The address of a channel's page, by its label.
pub fn channel_url(label: &str) -> String {
    format!("channels/{}/index.html", slug(label))
}
