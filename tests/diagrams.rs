//! Diagrams of representative journeys (`tests/fixtures/diagrams`): SVG snapshots, and
//! the promises that hold for every diagram — well-formed, ids unique on every page,
//! text never wider than its box, the same bytes every time.

mod common;

use std::collections::BTreeSet;

use cxmap::diagram::evolution::Version;
use cxmap::diagram::{self, Labels, Shape, font};

fn site() -> cxmap::model::Site {
    let outcome = cxmap::check(&common::fixture("diagrams")).unwrap();
    assert!(
        !outcome.diagnostics.has_errors(),
        "{}",
        outcome.diagnostics.render(false)
    );
    outcome.site.unwrap()
}

fn journey_svg(slug: &str) -> String {
    let site = site();
    let j = site.journeys.iter().find(|j| j.id.0 == slug).unwrap();
    diagram::svg::write(&diagram::journey(j, &site.config, &Labels::default()).unwrap())
}

#[test]
fn map_snapshots() {
    for slug in ["short", "no-emotion", "all-lanes", "twelve-stages"] {
        insta::assert_snapshot!(format!("map_{slug}"), journey_svg(slug));
    }
}

#[test]
fn other_diagram_snapshots() {
    let site = site();
    let labels = Labels::default();
    let j = site
        .journeys
        .iter()
        .find(|j| j.id.0 == "all-lanes")
        .unwrap();
    insta::assert_snapshot!(
        "funnel",
        diagram::svg::write(&diagram::funnel(j, &labels).unwrap())
    );
    insta::assert_snapshot!(
        "strip",
        diagram::svg::write(&diagram::strip(j, &Labels::default()).unwrap())
    );
    let p = &site.personas[0];
    insta::assert_snapshot!(
        "empathy",
        diagram::svg::write(&diagram::empathy(p, &labels).unwrap())
    );
    insta::assert_snapshot!(
        "heatmap",
        diagram::svg::write(&diagram::heatmap(&site, &labels).unwrap())
    );
}

#[test]
fn lanes_a_journey_does_not_use_are_left_out() {
    let short = journey_svg("short");
    for lane in [
        "cx-lane-touchpoints",
        "cx-lane-thoughts",
        "cx-lane-pains",
        "cx-lane-opportunities",
        "cx-lane-backstage",
        "cx-phase",
    ] {
        assert!(!short.contains(lane), "{lane} in a journey without it");
    }
    let all = journey_svg("all-lanes");
    for lane in [
        "cx-lane-touchpoints",
        "cx-lane-thoughts",
        "cx-lane-emotion",
        "cx-lane-pains",
        "cx-lane-opportunities",
        "cx-lane-backstage",
        "cx-phase",
        "cx-legend",
        "cx-moment",
    ] {
        assert!(all.contains(lane), "{lane} missing");
    }
    let none = journey_svg("no-emotion");
    assert!(!none.contains("cx-curve") && !none.contains("cx-lane-emotion"));
}

#[test]
fn text_never_overflows_its_box() {
    let site = site();
    for j in &site.journeys {
        let d = diagram::journey(j, &site.config, &Labels::default()).unwrap();
        assert_text_fits(&j.id.0, &d);
        assert!(d.width > 0.0 && d.height > 0.0);
    }
}

/// Every text that starts inside a card, stage or phase box stays inside it,
/// horizontally and vertically.
fn assert_text_fits(name: &str, d: &diagram::Diagram) {
    let boxes: Vec<(f32, f32, f32, f32)> = d
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Rect {
                x, y, w, h, class, ..
            } if class.starts_with("cx-card")
                || class.starts_with("cx-stage")
                || class.starts_with("cx-phase") =>
            {
                Some((*x, *y, *w, *h))
            }
            _ => None,
        })
        .collect();
    for shape in &d.shapes {
        let Some((left, right, _, bottom)) = text_extent(shape) else {
            continue;
        };
        let Shape::Text { x, y, lines, .. } = shape else {
            continue;
        };
        let Some(&(bx, by, bw, bh)) = boxes
            .iter()
            .find(|(bx, by, bw, bh)| *x >= *bx && *x <= bx + bw && *y >= *by && *y <= by + bh)
        else {
            continue;
        };
        assert!(
            left >= bx - 0.5 && right <= bx + bw + 0.5,
            "{name}: `{}` overflows its box",
            lines.join(" ")
        );
        assert!(bottom <= by + bh, "{name}: text below its box");
    }
}

/// Every text lies within the diagram.
fn assert_text_within(name: &str, d: &diagram::Diagram) {
    for shape in &d.shapes {
        let Some((left, right, top, bottom)) = text_extent(shape) else {
            continue;
        };
        assert!(
            left >= 0.0 && right <= d.width && top >= 0.0 && bottom <= d.height,
            "{name}: {shape:?} sticks out of {} × {}",
            d.width,
            d.height
        );
    }
}

/// A text's left and right edges, the top of its first line (cap height, roughly) and
/// the baseline of its last.
fn text_extent(shape: &Shape) -> Option<(f32, f32, f32, f32)> {
    let Shape::Text {
        x,
        y,
        lines,
        size,
        weight,
        anchor,
        ..
    } = shape
    else {
        return None;
    };
    let w = lines
        .iter()
        .map(|line| font::width(line, *size, *weight))
        .fold(0.0, f32::max);
    let (left, right) = match anchor {
        diagram::Anchor::Start => (*x, x + w),
        diagram::Anchor::Middle => (x - w / 2.0, x + w / 2.0),
        diagram::Anchor::End => (x - w, *x),
    };
    let bottom = y + (lines.len() as f32 - 1.0) * diagram::line_height(*size);
    Some((left, right, y - size * 0.75, bottom))
}

#[test]
fn evolution_of_three_versions() {
    let outcome = cxmap::check(&common::fixture("evolution")).unwrap();
    assert!(
        !outcome.diagnostics.has_errors(),
        "{}",
        outcome.diagnostics.render(false)
    );
    let site = outcome.site.unwrap();
    let by = |slug: &str| site.journeys.iter().find(|j| j.id.0 == slug).unwrap();
    let version = |label: &str, slug: &str| Version {
        label: label.into(),
        journey: by(slug),
    };
    let now = version("3 April 2026 · 9f1c2e7", "renewal");
    let earlier = [
        version("12 November 2025 · 1a2b3c4", "renewal-2025-11"),
        version("2 February 2026 · 5d6e7f8", "renewal-2026-02"),
    ];
    let labels = Labels::default();
    let d = diagram::evolution(&now, &earlier, &labels).unwrap();
    assert_text_fits("evolution", &d);
    assert_text_within("evolution", &d);
    let svg = diagram::svg::write(&d);

    // Ids are unique and namespaced, also beside the same journey's map on its page.
    let map = diagram::svg::write(&diagram::journey(by("renewal"), &site.config, &labels).unwrap());
    let mut ids = BTreeSet::new();
    for text in [&svg, &map] {
        let doc = roxmltree::Document::parse(text).unwrap();
        for id in doc.descendants().filter_map(|n| n.attribute("id")) {
            assert!(ids.insert(id.to_string()), "duplicate id `{id}`");
        }
    }
    assert!(ids.contains("cx-renewal-evolution-title"), "{ids:?}");
    assert!(
        svg.contains("aria-labelledby=\"cx-renewal-evolution-title cx-renewal-evolution-desc\"")
    );

    // Every element carries a `cx-*` class.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    for node in doc.descendants().filter(|n| n.is_element()) {
        if matches!(node.tag_name().name(), "title" | "desc" | "tspan") {
            continue;
        }
        let class = node.attribute("class").unwrap_or("");
        assert!(
            class.split(' ').any(|c| c.starts_with("cx-")),
            "<{}> without a cx-* class",
            node.tag_name().name()
        );
    }

    // A line per version in the chart and in the legend, the legend oldest to newest;
    // the renamed stage keeps its past.
    assert_eq!(
        svg.matches("<polyline class=\"cx-evolution-line").count(),
        6
    );
    let shapes = &svg[svg.find("</desc>").unwrap()..];
    let legend: Vec<usize> = ["12 November 2025", "2 February 2026", "3 April 2026"]
        .iter()
        .map(|label| shapes.find(&format!(">{label}")).unwrap())
        .collect();
    assert!(legend.is_sorted(), "{legend:?}");
    assert!(
        d.desc.contains(
            "Check the renewal offer against other quotes 1.5 → 2.5 → 3.5; Pay 2.0 → 3.0 → 5.0"
        ),
        "{}",
        d.desc
    );
    assert!(d.desc.contains("Reminder – → – → 4.0;"), "{}", d.desc);
    insta::assert_snapshot!("evolution", svg);
}

#[test]
fn every_svg_is_well_formed_and_ids_are_unique_on_every_page() {
    for root in [
        common::fixture("diagrams"),
        common::example("retail"),
        common::example("clinic"),
    ] {
        let files = common::render(&root);
        for (path, bytes) in &files {
            let text = String::from_utf8_lossy(bytes);
            if path.ends_with(".svg") {
                roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            }
            if path.ends_with(".html") {
                let doc = scraper::Html::parse_document(&text);
                let mut ids = BTreeSet::new();
                for el in doc.select(&scraper::Selector::parse("[id]").unwrap()) {
                    let id = el.value().attr("id").unwrap();
                    assert!(ids.insert(id.to_string()), "{path}: duplicate id `{id}`");
                }
                for svg in doc.select(&scraper::Selector::parse("svg").unwrap()) {
                    let labelled = svg.value().attr("aria-labelledby").unwrap_or("");
                    for id in labelled.split_whitespace() {
                        assert!(
                            ids.contains(id),
                            "{path}: aria-labelledby points at missing `{id}`"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_same_journey_gives_the_same_bytes() {
    assert_eq!(journey_svg("twelve-stages"), journey_svg("twelve-stages"));
}
