//! A Mermaid journey diagram ([`MermaidJourney`]) as a [`Journey`], and drawn.
//!
//! [`render_block`] draws the text of a ```` ```journey ```` fence with the same layout
//! as a journey page: sections are stages, tasks are steps, scores are emotions, and the
//! actors, which have no persona files, are kept in `extra.actors` and named in the
//! diagram's description. Fences are read (and their problems reported) with the file;
//! [`draw_fences`] draws them when a page shows the body, with the site's words for the
//! body's language.

use crate::config::Config;
use crate::diagram;
use crate::html::{Html, escape};
use crate::model::{Journey, JourneyId, JourneyState, Stage, Step};
use crate::parse::markdown::Fence;
use crate::parse::mermaid::{MermaidJourney, Parsed, Problem, parse_fence, unique_id};

/// The journey a diagram describes: sections become stages (the name's slug as the id,
/// made unique), tasks become steps (action = task, emotion = score). Actors have no
/// persona files here: the journey's `extra.actors` lists them all, a step's
/// `extra.actors` the ones doing it.
pub fn to_journey(m: &MermaidJourney, id: &str) -> Journey {
    let mut ids: Vec<String> = Vec::new();
    let stages: Vec<Stage> = m
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let id = unique_id(&s.name, i, &mut ids);
            Stage {
                id,
                name: s.name.clone(),
                goal: None,
                phase: None,
                dropoff: None,
                metrics: Vec::new(),
                steps: s
                    .tasks
                    .iter()
                    .map(|t| Step {
                        action: t.name.clone(),
                        touchpoint: None,
                        channel: None,
                        channel_label: None,
                        channel_colour: None,
                        emotion: t.score,
                        thought: None,
                        pains: Vec::new(),
                        opportunities: Vec::new(),
                        backstage: Vec::new(),
                        moment_of_truth: false,
                        evidence: Vec::new(),
                        extra: actors_json(t.actors.iter().map(String::as_str)),
                    })
                    .collect(),
                section_html: None,
                extra: serde_json::Value::Null,
            }
        })
        .collect();
    Journey {
        id: JourneyId(id.to_string()),
        source: Default::default(),
        lang: String::new(),
        translations: Vec::new(),
        title: m
            .title
            .clone()
            .or_else(|| m.acc_title.clone())
            .unwrap_or_default(),
        personas: Vec::new(),
        summary: m.acc_descr.clone(),
        scenario: None,
        state: JourneyState::Current,
        baseline: None,
        futures: Vec::new(),
        model: None,
        owner: None,
        status: None,
        tags: Vec::new(),
        reviewed: None,
        stale: false,
        history: None,
        earlier: Vec::new(),
        stages: stages.into(),
        body_html: Default::default(),
        headings: Vec::new(),
        fences: Vec::new(),
        body_text: String::new(),
        extra: actors_json(m.actors()),
    }
}

fn actors_json<'a>(actors: impl IntoIterator<Item = &'a str>) -> serde_json::Value {
    let list: Vec<serde_json::Value> = actors.into_iter().map(Into::into).collect();
    if list.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::json!({ "actors": list })
    }
}

/// A fenced block, drawn.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    /// The diagram in its scrollable wrapper; `None` when there is nothing to draw (the
    /// block then stays a code block).
    pub html: Option<String>,
    /// Problems, with spans into the block's text.
    pub problems: Vec<Problem>,
}

/// Parses a ```` ```journey ```` block and draws it; `id_prefix` namespaces every id of
/// the SVG and must be unique on the page; `number` (the block's, counting from 1 on its
/// page) names an untitled diagram's scrolling region, so no two regions share a name.
pub fn render_block(
    text: &str,
    config: &Config,
    labels: &diagram::Labels,
    id_prefix: &str,
    number: usize,
) -> Block {
    let Parsed {
        journey: m,
        problems,
    } = parse_fence(text);
    if m.sections.is_empty() {
        return Block {
            html: None,
            problems,
        };
    }
    let journey = to_journey(&m, "");
    let Some(mut d) = diagram::journey(&journey, config, labels) else {
        return Block {
            html: None,
            problems,
        };
    };
    d.id_prefix = id_prefix.to_string();
    let name = m.title.clone().or_else(|| m.acc_title.clone());
    d.title = m
        .acc_title
        .clone()
        .or_else(|| m.title.clone())
        .unwrap_or_else(|| labels.block_title.clone());
    match &m.acc_descr {
        Some(descr) => d.desc = descr.clone(),
        None => {
            let actors = m.actors();
            if !actors.is_empty() {
                d.desc.push(' ');
                d.desc.push_str(&diagram::fill(
                    &labels.block_actors,
                    &[("actors", &actors.join(", "))],
                ));
            }
        }
    }
    let label = match &name {
        Some(n) => diagram::fill(&labels.block_region, &[("title", n)]),
        None => diagram::fill(&labels.block_region_untitled, &[("n", &number.to_string())]),
    };
    let html = format!(
        "<div class=\"map-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">\n{}\n</div>\n",
        escape(&label),
        diagram::svg::write(&d)
    );
    Block {
        html: Some(html),
        problems,
    }
}

/// `html` (a body's narrative or one of its stage sections) with each of `fences` whose
/// placeholder it holds drawn in its place, with `labels` (the site's words for the
/// body's language). The placeholders stand only where a diagram may go (see
/// [`crate::parse::markdown`]); a fence whose placeholder is not there is not drawn.
pub fn draw_fences(
    html: &Html,
    fences: &[Fence],
    config: &Config,
    labels: &diagram::Labels,
) -> Html {
    let mut drawn: Option<String> = None;
    for fence in fences {
        let current = drawn.as_deref().unwrap_or(html.as_str());
        let Some(at) = current.find(&fence.token) else {
            continue;
        };
        let block = render_block(&fence.text, config, labels, &fence.id_prefix, fence.number);
        let mut out = drawn.take().unwrap_or_else(|| html.as_str().to_string());
        out.replace_range(
            at..at + fence.token.len(),
            block.html.as_deref().unwrap_or(""),
        );
        drawn = Some(out);
    }
    drawn.map_or_else(|| html.clone(), Html::from_trusted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::parse::markdown::{RenderOptions, Rendered, render};

    use crate::parse::mermaid::examples::{EXAMPLE, ok};

    #[test]
    fn to_journey_maps_sections_tasks_and_actors() {
        let j = to_journey(
            &ok("journey\ntitle Day\nTea: 5: Me\nsection Go\nA: 2: Me, Cat\nsection Go\nB: 3"),
            "day",
        );
        assert_eq!(j.title, "Day");
        let ids: Vec<&str> = j.stages.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["stage-1", "go", "go-2"]);
        assert_eq!(j.stages[1].steps[0].action, "A");
        assert_eq!(j.stages[1].steps[0].emotion, Some(2));
        assert_eq!(j.stages[1].steps[0].extra["actors"][1], "Cat");
        assert_eq!(j.extra["actors"], serde_json::json!(["Me", "Cat"]));
        assert!(j.stages[2].steps[0].extra.is_null());
    }

    #[test]
    fn blocks_render_with_their_own_ids() {
        let block = render_block(
            EXAMPLE,
            &Config::default(),
            &diagram::Labels::default(),
            "cx-page-m1-",
            1,
        );
        assert!(block.problems.is_empty(), "{:?}", block.problems);
        let html = block.html.unwrap();
        assert!(html.starts_with("<div class=\"map-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Journey map: My working day, scrolls sideways\">"), "{html}");
        assert!(html.contains("id=\"cx-page-m1-title\""), "{html}");
        assert!(html.contains("Actors: Me, Cat."), "{html}");
        assert!(html.contains("Make tea"), "{html}");
    }

    #[test]
    fn empty_blocks_stay_code_with_a_warning() {
        let block = render_block(
            "  \n",
            &Config::default(),
            &diagram::Labels::default(),
            "x-",
            1,
        );
        assert!(block.html.is_none());
        assert_eq!(block.problems[0].severity, Severity::Warning);
        let block = render_block(
            "nonsense",
            &Config::default(),
            &diagram::Labels::default(),
            "x-",
            1,
        );
        assert!(block.html.is_none());
        assert_eq!(block.problems.len(), 1);
        assert_eq!(block.problems[0].severity, Severity::Error);
    }

    #[test]
    fn text_is_escaped_in_the_diagram() {
        let block = render_block(
            "title <script>&\"\nsection <b>\nT<i>: 3: <Me>",
            &Config::default(),
            &diagram::Labels::default(),
            "x-",
            1,
        );
        let html = block.html.unwrap();
        assert!(
            !html.contains("<script") && !html.contains("<b>") && !html.contains("<Me>"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;&amp;&quot;"), "{html}");
    }

    const BLOCK: &str = "```journey\ntitle Day\nsection Go\nTea: 5: Me\n```\n";

    fn page(body: &str) -> Rendered {
        render(
            body,
            RenderOptions {
                page: "method",
                ..RenderOptions::default()
            },
        )
    }

    fn drawn(out: &Rendered) -> String {
        let labels = diagram::Labels::default();
        draw_fences(&out.narrative, &out.fences, &Config::default(), &labels)
            .as_str()
            .to_string()
    }

    #[test]
    fn fences_of_a_body_are_drawn_in_their_places() {
        let out = page(&format!(
            "Intro\n\n{BLOCK}\n- in a list\n\n  {}",
            BLOCK.replace('\n', "\n  ")
        ));
        let html = drawn(&out);
        assert_eq!(html.matches("<svg").count(), 2, "{html}");
        assert!(html.contains("id=\"cx-method-m1-title\""), "{html}");
        assert!(html.contains("id=\"cx-method-m2-title\""), "{html}");
        assert!(
            !html.contains("cxmap-diagram-") && !html.contains("<code"),
            "{html}"
        );
        // The second diagram stays inside its list item.
        let li = html.find("<li>").unwrap();
        assert!(html[li..].contains("cx-method-m2-title"), "{html}");
    }

    #[test]
    fn fences_with_sections_and_no_tasks_are_drawn() {
        let out = page("```journey\ntitle Plan\nsection First<br>look\nsection Order\n```\n");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let html = drawn(&out);
        assert_eq!(html.matches("<svg").count(), 1, "{html}");
        assert!(
            html.contains(">First</tspan>") && html.contains(">look</tspan>"),
            "{html}"
        );
        assert!(html.contains(">Order</text>"), "{html}");
        assert!(
            html.contains("<title id=\"cx-method-m1-title\">Plan</title>"),
            "{html}"
        );
        // A title alone has nothing to draw: a code block, with a warning.
        let out = page("```journey\ntitle Plan\n```\n");
        assert_eq!(out.problems.len(), 1);
        assert!(drawn(&out).contains("<code"));
    }

    #[test]
    fn fences_are_drawn_with_unsafe_html_too() {
        let out = render(
            BLOCK,
            RenderOptions {
                unsafe_html: true,
                ..RenderOptions::default()
            },
        );
        let html = drawn(&out);
        assert!(html.starts_with("<div class=\"map-scroll\""), "{html}");
        assert!(html.contains("id=\"cx-m1-title\""), "{html}");
    }

    #[test]
    fn fences_are_never_drawn_inside_an_attribute() {
        let out = page(&format!(
            "<div title=\"x\n\n{BLOCK}\n<div lang=\"y\">z</div>\n"
        ));
        let html = drawn(&out);
        assert!(html.contains("<div title=\"x"), "{html}");
        assert!(!html.contains("<svg"), "{html}");
        let out = page(&format!("<div class=\"x\">\n\n{BLOCK}\n</div>\n"));
        assert!(drawn(&out).contains("<svg"));
    }

    #[test]
    fn fences_are_drawn_with_the_words_they_are_given() {
        let out = page("```journey\nsection Go\nTea: 5: Me\n```\n");
        let mut labels = diagram::Labels {
            block_region_untitled: "Sketch {n}, scroll it".into(),
            ..diagram::Labels::default()
        };
        labels.lanes[0] = "Doings".into();
        let html = draw_fences(&out.narrative, &out.fences, &Config::default(), &labels);
        assert!(
            html.as_str().contains("aria-label=\"Sketch 1, scroll it\""),
            "{}",
            html.as_str()
        );
        assert!(html.as_str().contains(">Doings<"), "{}", html.as_str());
    }
}
