//! The stage strip: a compact band of stages with a mini emotion curve, for journey
//! cards on index pages.

use super::palette::*;
use super::{Diagram, Shape, id_prefix, rect};
use crate::model::Journey;

const W: f32 = 280.0;
const H: f32 = 44.0;

/// Lays out the strip; `None` when the journey has no stages.
pub fn strip(j: &Journey, labels: &super::Labels) -> Option<Diagram> {
    if j.stages.is_empty() {
        return None;
    }
    let columns: usize = j.stages.iter().map(|s| s.steps.len().max(1)).sum();
    let col_w = W / columns as f32;
    let mut shapes = Vec::new();
    let mut x = 0.0;
    let mut points = Vec::new();
    let ey = |e: u8| 6.0 + f32::from(5 - e) * (H - 12.0) / 4.0;
    for (i, stage) in j.stages.iter().enumerate() {
        let w = stage.steps.len().max(1) as f32 * col_w;
        let (fill, class) = if i % 2 == 0 {
            (STAGE, "cx-strip-stage")
        } else {
            (PHASE, "cx-strip-stage cx-strip-alt")
        };
        shapes.push(rect(x, 0.0, w, H, 0.0, class, fill, None));
        for (k, step) in stage.steps.iter().enumerate() {
            if let Some(e) = step.emotion {
                points.push((x + (k as f32 + 0.5) * col_w, ey(e)));
            }
        }
        x += w;
    }
    shapes.push(Shape::Line {
        x1: 0.0,
        y1: ey(3),
        x2: W,
        y2: ey(3),
        class: "cx-neutral",
        stroke: MUTED.into(),
        dashed: true,
    });
    if points.len() > 1 {
        shapes.push(Shape::Polyline {
            points: points.clone(),
            class: "cx-curve",
            stroke: CURVE.into(),
        });
    }
    if !points.is_empty() {
        shapes.push(Shape::Dots {
            points,
            r: 2.5,
            class: "cx-strip-dot",
            colour: CURVE.into(),
        });
    }
    let scores: Vec<String> = j
        .steps()
        .filter_map(|(_, s)| s.emotion.map(|e| e.to_string()))
        .collect();
    let names: Vec<&str> = j.stages.iter().map(|s| s.name.as_str()).collect();
    let mut desc = super::fill(&labels.strip_desc, &[("names", &names.join(", "))]);
    if !scores.is_empty() {
        desc.push(' ');
        desc.push_str(&super::fill(
            &labels.strip_desc_emotion,
            &[("scores", &scores.join(", "))],
        ));
    }
    Some(Diagram {
        width: W,
        height: H,
        title: super::fill(&labels.strip_title, &[("title", &j.title)]),
        desc,
        id_prefix: id_prefix(&format!("{}-strip", j.id.0)),
        class: "cx-strip",
        shapes,
    })
}
