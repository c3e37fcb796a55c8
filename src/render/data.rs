//! `data/journeys.json`: the public, versioned data format, written from types of its
//! own.
//!
//! Tools outside cxmap read this file (dashboards, scripts, other sites), so its shape
//! is a contract: [`SCHEMA_VERSION`] names it, and the guide documents every field. It is
//! written from the borrowed types below, never from the model's own `Serialize`, so a
//! field renamed or added in the model cannot change the file by accident: a change
//! here is a change of the format, and raises the version.

use serde::Serialize;

use crate::html::Html;
use crate::model::{self, Site};
use crate::parse::node::Date;

/// The version of the format; raised whenever a field is added, renamed or removed.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole file.
#[derive(Serialize)]
pub struct File<'a> {
    schema_version: u32,
    title: &'a str,
    language: &'a str,
    journeys: Each<'a, model::Journey, Journey<'a>>,
    personas: Each<'a, model::Persona, Persona<'a>>,
    pages: Each<'a, model::Page, Page<'a>>,
    content_date: Option<Date>,
    lang: &'a str,
}

impl<'a> File<'a> {
    /// The file for one language's view of the site.
    pub fn new(site: &'a Site) -> Self {
        File {
            schema_version: SCHEMA_VERSION,
            title: &site.config.title,
            language: &site.lang,
            journeys: Each(&site.journeys, Journey::new),
            personas: Each(&site.personas, Persona::new),
            pages: Each(&site.pages, Page::new),
            content_date: site.content_date,
            lang: &site.lang,
        }
    }
}

#[derive(Serialize)]
struct Journey<'a> {
    id: &'a str,
    lang: &'a str,
    translations: &'a [String],
    title: &'a str,
    personas: Vec<&'a str>,
    summary: Option<&'a str>,
    scenario: Option<&'a str>,
    state: &'static str,
    baseline: Option<&'a str>,
    futures: Vec<&'a str>,
    model: Option<&'a str>,
    owner: Option<&'a str>,
    status: Option<&'a str>,
    tags: &'a [String],
    reviewed: Option<Date>,
    stale: bool,
    history: Option<History<'a>>,
    stages: Each<'a, model::Stage, Stage<'a>>,
    body_html: &'a Html,
    headings: Each<'a, crate::parse::markdown::Heading, Heading<'a>>,
    extra: &'a serde_json::Value,
}

impl<'a> Journey<'a> {
    fn new(j: &'a model::Journey) -> Self {
        // Every field named: a new model field must be placed here (or left out) on
        // purpose.
        let model::Journey {
            id,
            source: _,
            lang,
            translations,
            title,
            personas,
            summary,
            scenario,
            state,
            baseline,
            futures,
            model,
            owner,
            status,
            tags,
            reviewed,
            stale,
            history,
            earlier: _,
            stages,
            body_html,
            headings,
            // Drawn into `body_html` and the sections before the file is written.
            fences: _,
            body_text: _,
            extra,
        } = j;
        Journey {
            id: &id.0,
            lang,
            translations,
            title,
            personas: personas.iter().map(|p| p.0.as_str()).collect(),
            summary: summary.as_deref(),
            scenario: scenario.as_deref(),
            state: state.as_str(),
            baseline: baseline.as_ref().map(|b| b.0.as_str()),
            futures: futures.iter().map(|f| f.0.as_str()).collect(),
            model: model.as_deref(),
            owner: owner.as_deref(),
            status: status.as_deref(),
            tags,
            reviewed: *reviewed,
            stale: *stale,
            history: history.as_ref().map(History::new),
            stages: Each(stages, Stage::new),
            body_html,
            headings: Each(headings, Heading::new),
            extra,
        }
    }
}

#[derive(Serialize)]
struct Stage<'a> {
    id: &'a str,
    name: &'a str,
    goal: Option<&'a str>,
    phase: Option<&'a str>,
    dropoff: Option<f64>,
    metrics: Each<'a, model::Metric, Metric<'a>>,
    steps: Each<'a, model::Step, Step<'a>>,
    section_html: Option<&'a Html>,
    extra: &'a serde_json::Value,
}

impl<'a> Stage<'a> {
    fn new(s: &'a model::Stage) -> Self {
        let model::Stage {
            id,
            name,
            goal,
            phase,
            dropoff,
            metrics,
            steps,
            section_html,
            extra,
        } = s;
        Stage {
            id,
            name,
            goal: goal.as_deref(),
            phase: phase.as_deref(),
            dropoff: *dropoff,
            metrics: Each(metrics, Metric::new),
            steps: Each(steps, Step::new),
            section_html: section_html.as_ref(),
            extra,
        }
    }
}

#[derive(Serialize)]
struct Metric<'a> {
    name: &'a str,
    value: Option<&'a str>,
    target: Option<&'a str>,
}

impl<'a> Metric<'a> {
    fn new(m: &'a model::Metric) -> Self {
        let model::Metric {
            name,
            value,
            target,
        } = m;
        Metric {
            name,
            value: value.as_deref(),
            target: target.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct Step<'a> {
    action: &'a str,
    touchpoint: Option<&'a str>,
    channel: Option<&'a str>,
    channel_label: Option<&'a str>,
    channel_colour: Option<&'a str>,
    emotion: Option<u8>,
    thought: Option<&'a str>,
    pains: Each<'a, model::Pain, Pain<'a>>,
    opportunities: Each<'a, model::Opportunity, Opportunity<'a>>,
    backstage: &'a [String],
    moment_of_truth: bool,
    evidence: Each<'a, model::Evidence, Evidence<'a>>,
    extra: &'a serde_json::Value,
}

impl<'a> Step<'a> {
    fn new(s: &'a model::Step) -> Self {
        let model::Step {
            action,
            touchpoint,
            channel,
            channel_label,
            channel_colour,
            emotion,
            thought,
            pains,
            opportunities,
            backstage,
            moment_of_truth,
            evidence,
            extra,
        } = s;
        Step {
            action,
            touchpoint: touchpoint.as_deref(),
            channel: channel.as_deref(),
            channel_label: channel_label.as_deref(),
            channel_colour: channel_colour.as_deref(),
            emotion: *emotion,
            thought: thought.as_deref(),
            pains: Each(pains, Pain::new),
            opportunities: Each(opportunities, Opportunity::new),
            backstage,
            moment_of_truth: *moment_of_truth,
            evidence: Each(evidence, Evidence::new),
            extra,
        }
    }
}

#[derive(Serialize)]
struct Pain<'a> {
    text: &'a str,
    severity: Option<&'static str>,
}

impl<'a> Pain<'a> {
    fn new(p: &'a model::Pain) -> Self {
        let model::Pain { text, severity } = p;
        Pain {
            text,
            severity: severity.map(model::Severity::as_str),
        }
    }
}

#[derive(Serialize)]
struct Opportunity<'a> {
    text: &'a str,
    owner: Option<&'a str>,
    priority: Option<&'static str>,
    status: Option<&'a str>,
}

impl<'a> Opportunity<'a> {
    fn new(o: &'a model::Opportunity) -> Self {
        let model::Opportunity {
            text,
            owner,
            priority,
            status,
        } = o;
        Opportunity {
            text,
            owner: owner.as_deref(),
            priority: priority.map(model::Priority::as_str),
            status: status.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct Evidence<'a> {
    source: Option<&'a str>,
    quote: Option<&'a str>,
    link: Option<&'a str>,
}

impl<'a> Evidence<'a> {
    fn new(e: &'a model::Evidence) -> Self {
        let model::Evidence {
            source,
            quote,
            link,
        } = e;
        Evidence {
            source: source.as_deref(),
            quote: quote.as_deref(),
            link: link.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct Persona<'a> {
    id: &'a str,
    lang: &'a str,
    translations: &'a [String],
    name: &'a str,
    role: Option<&'a str>,
    quote: Option<&'a str>,
    avatar: Option<&'a str>,
    kind: Option<&'static str>,
    goals: &'a [String],
    needs: &'a [String],
    frustrations: &'a [String],
    motivations: &'a [String],
    channels: &'a [String],
    empathy: Empathy<'a>,
    body_html: &'a Html,
    journeys: Vec<&'a str>,
    history: Option<History<'a>>,
    extra: &'a serde_json::Value,
}

impl<'a> Persona<'a> {
    fn new(p: &'a model::Persona) -> Self {
        let model::Persona {
            id,
            source: _,
            lang,
            translations,
            name,
            role,
            quote,
            avatar,
            kind,
            goals,
            needs,
            frustrations,
            motivations,
            channels,
            empathy,
            body_html,
            fences: _,
            body_text: _,
            journeys,
            history,
            extra,
        } = p;
        Persona {
            id: &id.0,
            lang,
            translations,
            name,
            role: role.as_deref(),
            quote: quote.as_deref(),
            avatar: avatar.as_deref(),
            kind: kind.map(model::PersonaKind::as_str),
            goals,
            needs,
            frustrations,
            motivations,
            channels,
            empathy: Empathy::new(empathy),
            body_html,
            journeys: journeys.iter().map(|j| j.0.as_str()).collect(),
            history: history.as_ref().map(History::new),
            extra,
        }
    }
}

#[derive(Serialize)]
struct Empathy<'a> {
    says: &'a [String],
    thinks: &'a [String],
    does: &'a [String],
    feels: &'a [String],
}

impl<'a> Empathy<'a> {
    fn new(e: &'a model::Empathy) -> Self {
        let model::Empathy {
            says,
            thinks,
            does,
            feels,
        } = e;
        Empathy {
            says,
            thinks,
            does,
            feels,
        }
    }
}

#[derive(Serialize)]
struct Page<'a> {
    id: &'a str,
    lang: &'a str,
    translations: &'a [String],
    title: &'a str,
    description: Option<&'a str>,
    weight: i64,
    body_html: &'a Html,
    headings: Each<'a, crate::parse::markdown::Heading, Heading<'a>>,
    extra: &'a serde_json::Value,
}

impl<'a> Page<'a> {
    fn new(p: &'a model::Page) -> Self {
        let model::Page {
            id,
            source: _,
            lang,
            translations,
            title,
            description,
            weight,
            body_html,
            headings,
            fences: _,
            body_text: _,
            extra,
        } = p;
        Page {
            id,
            lang,
            translations,
            title,
            description: description.as_deref(),
            weight: *weight,
            body_html,
            headings: Each(headings, Heading::new),
            extra,
        }
    }
}

#[derive(Serialize)]
struct Heading<'a> {
    level: u8,
    text: &'a str,
    id: &'a str,
}

impl<'a> Heading<'a> {
    fn new(h: &'a crate::parse::markdown::Heading) -> Self {
        Heading {
            level: h.level,
            text: &h.text,
            id: &h.id,
        }
    }
}

#[derive(Serialize)]
struct History<'a> {
    changes: Each<'a, model::Change, Change<'a>>,
    uncommitted: bool,
    partial: bool,
}

impl<'a> History<'a> {
    fn new(h: &'a model::FileHistory) -> Self {
        let model::FileHistory {
            changes,
            uncommitted,
            partial,
        } = h;
        History {
            changes: Each(changes, Change::new),
            uncommitted: *uncommitted,
            partial: *partial,
        }
    }
}

#[derive(Serialize)]
struct Change<'a> {
    commit: &'a str,
    short: &'a str,
    date: Date,
    author: &'a str,
    subject: &'a str,
}

impl<'a> Change<'a> {
    fn new(c: &'a model::Change) -> Self {
        let model::Change {
            commit,
            short,
            date,
            author,
            subject,
        } = c;
        Change {
            commit,
            short,
            date: *date,
            author,
            subject,
        }
    }
}

/// A list written as it is walked: nothing is copied into a list of its own first (at
/// 10,000 journeys that would be every step again).
struct Each<'a, T, U>(&'a [T], fn(&'a T) -> U);

impl<T, U: Serialize> Serialize for Each<'_, T, U> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(self.1))
    }
}
