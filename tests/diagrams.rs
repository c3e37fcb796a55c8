//! Diagrams of representative journeys (`tests/fixtures/diagrams`): SVG snapshots, and
//! the promises that hold for every diagram — well-formed, ids unique on every page,
//! text never wider than its box, the same bytes every time.

mod common;

use std::collections::BTreeSet;

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
                continue;
            };
            // Every text that starts inside a box stays inside it, horizontally and vertically.
            let Some(&(bx, by, bw, bh)) = boxes
                .iter()
                .find(|(bx, by, bw, bh)| *x >= *bx && *x <= bx + bw && *y >= *by && *y <= by + bh)
            else {
                continue;
            };
            for line in lines {
                let w = font::width(line, *size, *weight);
                let (left, right) = match anchor {
                    diagram::Anchor::Start => (*x, x + w),
                    diagram::Anchor::Middle => (x - w / 2.0, x + w / 2.0),
                    diagram::Anchor::End => (x - w, *x),
                };
                assert!(
                    left >= bx - 0.5 && right <= bx + bw + 0.5,
                    "{}: `{line}` overflows its box",
                    j.id.0
                );
            }
            let bottom = y + (lines.len() as f32 - 1.0) * diagram::line_height(*size);
            assert!(bottom <= by + bh, "{}: text below its box", j.id.0);
        }
        assert!(d.width > 0.0 && d.height > 0.0);
    }
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
