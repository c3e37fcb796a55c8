//! Current against future: the mean emotion of each stage in a current-state map and
//! in the future-state map that improves it, stage by stage, with the change.

use super::font::{Weight, wrap};
use super::palette::*;
use super::{Anchor, Diagram, Labels, Shape, emotion_style, id_prefix, line_height, rect, text};
use crate::model::{Journey, Stage};

const PAD: f32 = 16.0;
const GUTTER: f32 = 110.0;
const COL: f32 = 150.0;
const CHART_H: f32 = 170.0;

/// One stage of the comparison: its name and each map's mean emotion there.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Stage id (shared by both maps when the stage is in both).
    pub id: String,
    /// Stage name (the future map's when both have it).
    pub name: String,
    /// Mean emotion in the current map, when it has this stage with scores.
    pub current: Option<f64>,
    /// Mean emotion in the future map.
    pub future: Option<f64>,
    /// Pain points in this stage: current, future.
    pub pains: (usize, usize),
}

impl Row {
    /// Future minus current, when both have scores.
    pub fn delta(&self) -> Option<f64> {
        Some(self.future? - self.current?)
    }
}

/// The mean emotion of a stage's steps, `None` when none has a score.
pub(crate) fn mean(stage: &Stage) -> Option<f64> {
    crate::model::mean_emotion(stage.steps.iter().filter_map(|s| s.emotion))
}

fn pains(stage: &Stage) -> usize {
    stage.steps.iter().map(|s| s.pains.len()).sum()
}

/// Stages matched by id: the future map's stages in order, then stages only the current
/// map has.
pub fn rows(current: &Journey, future: &Journey) -> Vec<Row> {
    let mut rows: Vec<Row> = future
        .stages
        .iter()
        .map(|f| {
            let c = current.stages.iter().find(|c| c.id == f.id);
            Row {
                id: f.id.clone(),
                name: f.name.clone(),
                current: c.and_then(mean),
                future: mean(f),
                pains: (c.map_or(0, pains), pains(f)),
            }
        })
        .collect();
    for c in current.stages.iter() {
        if !future.stages.iter().any(|f| f.id == c.id) {
            rows.push(Row {
                id: c.id.clone(),
                name: c.name.clone(),
                current: mean(c),
                future: None,
                pains: (pains(c), 0),
            });
        }
    }
    rows
}

/// The comparison chart; `None` when no stage has scores in both maps.
pub fn compare(current: &Journey, future: &Journey, labels: &Labels) -> Option<Diagram> {
    let rows = rows(current, future);
    if rows.iter().all(|r| r.delta().is_none()) {
        return None;
    }
    let mut shapes = Vec::new();
    let (head, width) = stage_columns(&mut shapes, &rows);
    let top = PAD + head + 8.0;
    scale(&mut shapes, top, width);
    curves(&mut shapes, &rows, top);
    changes(&mut shapes, &rows, top, labels);
    let ly = legend(&mut shapes, top, current, future, labels);
    lane_labels(&mut shapes, top, labels);
    let deltas: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r.delta()
                .map(|d| format!("{} {}", r.name, labels.one_decimal(d, true)))
        })
        .collect();
    Some(Diagram {
        width,
        height: ly + 18.0 + PAD,
        title: super::fill(
            &labels.compare_title,
            &[("future", &future.title), ("current", &current.title)],
        ),
        desc: super::fill(&labels.compare_desc, &[("changes", &deltas.join("; "))]),
        id_prefix: id_prefix(&format!("{}-compare", future.id.0)),
        class: "cx-compare",
        shapes,
    })
}

/// A column per stage, its panel behind the chart and its name wrapped at the top.
/// Returns the height of the names and the width of the chart.
fn stage_columns(shapes: &mut Vec<Shape>, rows: &[Row]) -> (f32, f32) {
    let names: Vec<Vec<String>> = rows
        .iter()
        .map(|r| wrap(&r.name, COL - 16.0, 12.0, Weight::SemiBold))
        .collect();
    let head = 10.0 + names.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_height(12.0);
    let width = 2.0 * PAD + GUTTER + rows.len() as f32 * COL;
    for (i, n) in names.into_iter().enumerate() {
        let x = PAD + GUTTER + i as f32 * COL;
        shapes.push(rect(
            x + 4.0,
            PAD,
            COL - 8.0,
            head + CHART_H + 34.0,
            6.0,
            "cx-stage",
            STAGE,
            None,
        ));
        shapes.push(text(
            x + COL / 2.0,
            PAD + 16.0,
            n,
            12.0,
            Weight::SemiBold,
            Anchor::Middle,
            "cx-stage-name",
            INK,
        ));
    }
    (head, width)
}

/// The height of emotion `e` in a chart whose top is `top`.
fn emotion_y(top: f32, e: f64) -> f32 {
    top + 12.0 + (5.0 - e as f32) * (CHART_H - 24.0) / 4.0
}

/// The emotion scale: the scores 1 to 5 in the gutter and a dashed neutral line.
fn scale(shapes: &mut Vec<Shape>, top: f32, width: f32) {
    for e in 1..=5u8 {
        shapes.push(text(
            PAD + GUTTER - 10.0,
            emotion_y(top, f64::from(e)) + 4.0,
            vec![e.to_string()],
            11.0,
            Weight::Regular,
            Anchor::End,
            "cx-scale",
            MUTED,
        ));
    }
    shapes.push(Shape::Line {
        x1: PAD + GUTTER,
        y1: emotion_y(top, 3.0),
        x2: width - PAD,
        y2: emotion_y(top, 3.0),
        class: "cx-neutral",
        stroke: LINE.into(),
        dashed: true,
    });
}

/// The two curves, current (muted, square markers) and future (accent, circles
/// coloured by emotion), through the stages' mean emotions.
fn curves(shapes: &mut Vec<Shape>, rows: &[Row], top: f32) {
    let series = |pick: &dyn Fn(&Row) -> Option<f64>| -> Vec<(f32, f32, f64)> {
        rows.iter()
            .enumerate()
            .filter_map(|(i, r)| {
                pick(r).map(|v| (PAD + GUTTER + (i as f32 + 0.5) * COL, emotion_y(top, v), v))
            })
            .collect()
    };
    let current_pts = series(&|r| r.current);
    let future_pts = series(&|r| r.future);
    if current_pts.len() > 1 {
        shapes.push(Shape::Polyline {
            points: current_pts.iter().map(|p| (p.0, p.1)).collect(),
            class: "cx-curve cx-curve-current",
            stroke: MUTED.into(),
        });
    }
    if future_pts.len() > 1 {
        shapes.push(Shape::Polyline {
            points: future_pts.iter().map(|p| (p.0, p.1)).collect(),
            class: "cx-curve",
            stroke: CURVE.into(),
        });
    }
    // Current markers are squares (drawn as small rects), future ones circles, so the
    // two series differ by shape as well as colour.
    for (x, y, _) in &current_pts {
        shapes.push(rect(
            x - 5.0,
            y - 5.0,
            10.0,
            10.0,
            1.0,
            "cx-marker-current",
            "#ffffff",
            Some(MUTED),
        ));
    }
    for (x, y, v) in &future_pts {
        let (fill, class) = emotion_style(v.round().clamp(1.0, 5.0) as u8);
        shapes.push(Shape::Circle {
            cx: *x,
            cy: *y,
            r: 7.0,
            class,
            fill: fill.into(),
            stroke: CURVE.into(),
        });
    }
}

/// The change row below the chart: each stage's future minus current, `±0` when about
/// equal, `–` when a map has no score there.
fn changes(shapes: &mut Vec<Shape>, rows: &[Row], top: f32, labels: &Labels) {
    for (i, r) in rows.iter().enumerate() {
        let x = PAD + GUTTER + (i as f32 + 0.5) * COL;
        let label = match r.delta() {
            Some(d) if d.abs() < 0.05 => "±0".to_string(),
            Some(d) => labels.one_decimal(d, true),
            None => "–".to_string(),
        };
        shapes.push(text(
            x,
            top + CHART_H + 20.0,
            vec![label],
            13.0,
            Weight::SemiBold,
            Anchor::Middle,
            "cx-delta",
            INK,
        ));
    }
}

/// The legend: which line is which, in words (each map's state and title). Returns the
/// baseline of its first line.
fn legend(
    shapes: &mut Vec<Shape>,
    top: f32,
    current: &Journey,
    future: &Journey,
    labels: &Labels,
) -> f32 {
    let ly = top + CHART_H + 52.0;
    shapes.push(rect(
        PAD + GUTTER,
        ly - 9.0,
        10.0,
        10.0,
        1.0,
        "cx-marker-current",
        "#ffffff",
        Some(MUTED),
    ));
    shapes.push(text(
        PAD + GUTTER + 16.0,
        ly,
        vec![format!("{}: {}", labels.current, current.title)],
        12.0,
        Weight::Regular,
        Anchor::Start,
        "cx-legend-text",
        INK,
    ));
    shapes.push(Shape::Circle {
        cx: PAD + GUTTER + 5.0,
        cy: ly + 14.0,
        r: 5.0,
        class: "cx-emotion cx-emotion-neutral",
        fill: EMOTION[1].into(),
        stroke: CURVE.into(),
    });
    shapes.push(text(
        PAD + GUTTER + 16.0,
        ly + 18.0,
        vec![format!("{}: {}", labels.future, future.title)],
        12.0,
        Weight::Regular,
        Anchor::Start,
        "cx-legend-text",
        INK,
    ));
    ly
}

/// The lane labels in the gutter: the change row and the emotion chart.
fn lane_labels(shapes: &mut Vec<Shape>, top: f32, labels: &Labels) {
    shapes.push(text(
        PAD,
        top + CHART_H + 20.0,
        vec![labels.change.clone()],
        12.0,
        Weight::SemiBold,
        Anchor::Start,
        "cx-lane-label",
        MUTED,
    ));
    shapes.push(text(
        PAD,
        top + 16.0,
        vec![labels.lanes[3].clone()],
        12.0,
        Weight::SemiBold,
        Anchor::Start,
        "cx-lane-label",
        MUTED,
    ));
}
