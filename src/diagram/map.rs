//! The journey map: stage columns under phase bands, a card per step, a row per lane
//! the journey uses, the emotion curve, and a legend of what the marks mean.

use super::font::{Weight, width, wrap};
use super::palette::*;
use super::{Anchor, Diagram, Labels, Shape, emotion_style, id_prefix, line_height, rect, text};
use crate::config::Config;
use crate::model::{Journey, Priority, Severity, Step};
use crate::text::capitalise;

const PAD: f32 = 16.0;
const GUTTER: f32 = 120.0;
const CARD_W: f32 = 184.0;
const COL_GAP: f32 = 10.0;
const STAGE_GAP: f32 = 18.0;
const TEXT: f32 = 13.0;
const CELL_PAD: f32 = 10.0;
const ROW_GAP: f32 = 8.0;
const EMOTION_H: f32 = 150.0;
const CHIP: f32 = 14.0;

/// A text lane: its index in [`Labels::lanes`], its classes, and how a step fills it.
struct Lane {
    label: usize,
    lane_class: &'static str,
    text_class: &'static str,
    cards: bool,
}

const ACTIONS: Lane = Lane {
    label: 0,
    lane_class: "cx-lane cx-lane-actions",
    text_class: "cx-card-text",
    cards: true,
};
const TOUCHPOINTS: Lane = Lane {
    label: 1,
    lane_class: "cx-lane cx-lane-touchpoints",
    text_class: "cx-cell-text cx-text-touchpoint",
    cards: false,
};
const THOUGHTS: Lane = Lane {
    label: 2,
    lane_class: "cx-lane cx-lane-thoughts",
    text_class: "cx-cell-text cx-text-thought",
    cards: false,
};
const PAINS: Lane = Lane {
    label: 4,
    lane_class: "cx-lane cx-lane-pains",
    text_class: "cx-cell-text cx-text-pain",
    cards: false,
};
const OPPORTUNITIES: Lane = Lane {
    label: 5,
    lane_class: "cx-lane cx-lane-opportunities",
    text_class: "cx-cell-text cx-text-opportunity",
    cards: false,
};
const BACKSTAGE: Lane = Lane {
    label: 6,
    lane_class: "cx-lane cx-lane-backstage",
    text_class: "cx-cell-text cx-text-backstage",
    cards: false,
};

/// What one step shows in one lane.
#[derive(Default)]
struct Cell {
    lines: Vec<String>,
    fill: &'static str,
    moment: bool,
    /// A channel colour drawn as a dot before the text.
    chip: Option<String>,
}

/// Lays a journey out; `None` when it has no stages.
pub fn journey(j: &Journey, config: &Config, labels: &Labels) -> Option<Diagram> {
    if j.stages.is_empty() {
        return None;
    }
    let (stage_x, positions, width) = columns(j);
    let mut shapes = Vec::new();
    let mut y = PAD;

    y = phase_bands(&mut shapes, j, &stage_x, y);
    y = stage_headers(&mut shapes, j, &stage_x, y);

    let steps: Vec<&Step> = j.steps().map(|(_, s)| s).collect();
    let cells = |f: &dyn Fn(&Step) -> Cell| steps.iter().map(|s| f(s)).collect::<Vec<Cell>>();
    let lanes_above: [(&Lane, Vec<Cell>); 3] = [
        (&ACTIONS, cells(&|s| action_cell(s, labels))),
        (&TOUCHPOINTS, cells(&|s| touchpoint_cell(s, config))),
        (&THOUGHTS, cells(&|s| thought_cell(s, labels))),
    ];
    for (lane, cells) in lanes_above {
        y = text_lane(&mut shapes, y, width, lane, labels, cells, &positions);
    }

    let has_emotion = steps.iter().any(|s| s.emotion.is_some());
    if has_emotion {
        y = emotion_lane(&mut shapes, y, width, labels, &steps, &positions);
    }

    let lanes_below: [(&Lane, Vec<Cell>); 3] = [
        (&PAINS, cells(&|s| pain_cell(s, labels))),
        (&OPPORTUNITIES, cells(&|s| opportunity_cell(s, labels))),
        (&BACKSTAGE, cells(&backstage_cell)),
    ];
    for (lane, cells) in lanes_below {
        y = text_lane(&mut shapes, y, width, lane, labels, cells, &positions);
    }

    y = legend(&mut shapes, y, width, labels, j, config, has_emotion);

    Some(Diagram {
        width,
        height: y - ROW_GAP + PAD,
        title: j.title.clone(),
        desc: description(j, &steps, labels),
        id_prefix: id_prefix(&j.id.0),
        class: "cx-map",
        shapes,
    })
}

/// The width of a card's text.
const TEXT_W: f32 = CARD_W - 2.0 * CELL_PAD;

/// Columns, one per step and at least one per stage: each stage's `(x, width)`, each
/// step's `x`, and the map's width.
fn columns(j: &Journey) -> (Vec<(f32, f32)>, Vec<f32>, f32) {
    let mut stage_x = Vec::new();
    let mut positions = Vec::new();
    let mut x = PAD + GUTTER;
    for stage in j.stages.iter() {
        let cols = stage.steps.len().max(1);
        let w = cols as f32 * CARD_W + (cols - 1) as f32 * COL_GAP;
        stage_x.push((x, w));
        positions.extend((0..stage.steps.len()).map(|i| x + i as f32 * (CARD_W + COL_GAP)));
        x += w + STAGE_GAP;
    }
    (stage_x, positions, x - STAGE_GAP + PAD)
}

/// The action lane: what the customer does, then a moment of truth, the evidence and
/// who acts with them.
fn action_cell(s: &Step, labels: &Labels) -> Cell {
    let mut lines = wrap(&s.action, TEXT_W, TEXT, Weight::Regular);
    if s.moment_of_truth {
        lines.push(format!("★ {}", labels.moment_of_truth));
    }
    if !s.evidence.is_empty() {
        lines.push(format!("◆ {} {}", s.evidence.len(), labels.evidence));
    }
    // Who acts, as Mermaid journeys and their imports record it.
    let actors: Vec<&str> = s
        .extra
        .get("actors")
        .and_then(serde_json::Value::as_array)
        .map(|a| a.iter().filter_map(serde_json::Value::as_str).collect())
        .unwrap_or_default();
    if !actors.is_empty() {
        let line = format!("• {}: {}", labels.with, actors.join(", "));
        lines.extend(wrap(&line, TEXT_W, TEXT, Weight::Regular));
    }
    Cell {
        lines,
        fill: INK,
        moment: s.moment_of_truth,
        chip: None,
    }
}

/// The touchpoint lane: touchpoint and channel, after a dot in the channel's colour.
fn touchpoint_cell(s: &Step, config: &Config) -> Cell {
    let channel = s.channel_label.clone().or_else(|| {
        s.channel
            .as_ref()
            .map(|c| config.channel_label(c).to_string())
    });
    let joined = match (&s.touchpoint, channel) {
        (Some(t), Some(c)) => format!("{t} · {c}"),
        (Some(t), None) => t.clone(),
        (None, Some(c)) => c,
        (None, None) => String::new(),
    };
    let chip = s.channel_colour.clone();
    let room = if chip.is_some() {
        TEXT_W - CHIP
    } else {
        TEXT_W
    };
    Cell {
        lines: wrap(&joined, room, TEXT, Weight::Regular),
        fill: INK,
        moment: false,
        chip,
    }
}

/// The thought lane: the customer's words, quoted.
fn thought_cell(s: &Step, labels: &Labels) -> Cell {
    Cell {
        lines: s.thought.as_deref().map_or_else(Vec::new, |t| {
            wrap(
                &super::fill(&labels.quote, &[("text", t)]),
                TEXT_W,
                TEXT,
                Weight::Regular,
            )
        }),
        fill: MUTED,
        ..Cell::default()
    }
}

/// The pain lane: each pain with its severity.
fn pain_cell(s: &Step, labels: &Labels) -> Cell {
    Cell {
        lines: s
            .pains
            .iter()
            .flat_map(|p| {
                let sev = p
                    .severity
                    .map(|v| format!(" [{}]", severity_word(v, labels)))
                    .unwrap_or_default();
                wrap(&format!("✗ {}{sev}", p.text), TEXT_W, TEXT, Weight::Regular)
            })
            .collect(),
        fill: PAIN,
        ..Cell::default()
    }
}

/// The opportunity lane: each opportunity with its priority and owner.
fn opportunity_cell(s: &Step, labels: &Labels) -> Cell {
    Cell {
        lines: s
            .opportunities
            .iter()
            .flat_map(|o| {
                let mut meta = Vec::new();
                if let Some(p) = o.priority {
                    meta.push(priority_word(p, labels).to_string());
                }
                if let Some(owner) = &o.owner {
                    meta.push(owner.clone());
                }
                let meta = if meta.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", meta.join(" · "))
                };
                wrap(
                    &format!("→ {}{meta}", o.text),
                    TEXT_W,
                    TEXT,
                    Weight::Regular,
                )
            })
            .collect(),
        fill: OPPORTUNITY,
        ..Cell::default()
    }
}

/// The backstage lane: what the organisation does out of sight.
fn backstage_cell(s: &Step) -> Cell {
    Cell {
        lines: s
            .backstage
            .iter()
            .flat_map(|b| wrap(&format!("▪ {b}"), TEXT_W, TEXT, Weight::Regular))
            .collect(),
        fill: MUTED,
        ..Cell::default()
    }
}

/// The map's text description for screen readers: stages, steps, emotion range.
fn description(j: &Journey, steps: &[&Step], labels: &Labels) -> String {
    let emotions: Vec<u8> = steps.iter().filter_map(|s| s.emotion).collect();
    let names: Vec<&str> = j.stages.iter().map(|s| s.name.as_str()).collect();
    let mut desc = super::fill(
        &labels.map_desc,
        &[
            ("title", &j.title),
            ("stages", &j.stages.len().to_string()),
            ("names", &names.join(", ")),
            ("steps", &steps.len().to_string()),
        ],
    );
    if let (Some(lo), Some(hi)) = (emotions.iter().min(), emotions.iter().max()) {
        desc.push(' ');
        desc.push_str(&super::fill(
            &labels.map_desc_emotion,
            &[("low", &lo.to_string()), ("high", &hi.to_string())],
        ));
    }
    desc
}

/// Phase bands over runs of stages with the same phase; names wrap, the band grows.
fn phase_bands(shapes: &mut Vec<Shape>, j: &Journey, stage_x: &[(f32, f32)], y: f32) -> f32 {
    if j.stages.iter().all(|s| s.phase.is_none()) {
        return y;
    }
    let mut runs = Vec::new();
    let mut i = 0;
    while i < j.stages.len() {
        let mut k = i;
        while k + 1 < j.stages.len() && j.stages[k + 1].phase == j.stages[i].phase {
            k += 1;
        }
        if let Some(phase) = &j.stages[i].phase {
            let x0 = stage_x[i].0;
            let x1 = stage_x[k].0 + stage_x[k].1;
            runs.push((x0, x1, wrap(phase, x1 - x0 - 24.0, 12.0, Weight::SemiBold)));
        }
        i = k + 1;
    }
    let lines = runs.iter().map(|r| r.2.len()).max().unwrap_or(1) as f32;
    let h = 10.0 + lines * line_height(12.0);
    for (x0, x1, name) in runs {
        shapes.push(rect(x0, y, x1 - x0, h, 13.0, "cx-phase", PHASE, None));
        shapes.push(text(
            x0 + (x1 - x0) / 2.0,
            y + 5.0 + 12.0,
            name,
            12.0,
            Weight::SemiBold,
            Anchor::Middle,
            "cx-phase-label",
            MUTED,
        ));
    }
    y + h + ROW_GAP
}

fn stage_headers(shapes: &mut Vec<Shape>, j: &Journey, stage_x: &[(f32, f32)], y: f32) -> f32 {
    let headers: Vec<(Vec<String>, Vec<String>)> = j
        .stages
        .iter()
        .zip(stage_x)
        .map(|(s, (_, w))| {
            let name = wrap(&s.name, w - 2.0 * CELL_PAD, 15.0, Weight::SemiBold);
            let goal = s.goal.as_deref().map_or_else(Vec::new, |g| {
                wrap(g, w - 2.0 * CELL_PAD, 12.0, Weight::Regular)
            });
            (name, goal)
        })
        .collect();
    let block = |n: &[String], g: &[String]| {
        n.len() as f32 * line_height(15.0)
            + if g.is_empty() {
                0.0
            } else {
                4.0 + g.len() as f32 * line_height(12.0)
            }
    };
    let h = 2.0 * CELL_PAD + headers.iter().map(|(n, g)| block(n, g)).fold(0.0, f32::max);
    for ((name, goal), (sx, sw)) in headers.into_iter().zip(stage_x) {
        shapes.push(rect(*sx, y, *sw, h, 6.0, "cx-stage", STAGE, None));
        let name_h = name.len() as f32 * line_height(15.0);
        shapes.push(text(
            sx + CELL_PAD,
            y + CELL_PAD + 14.0,
            name,
            15.0,
            Weight::SemiBold,
            Anchor::Start,
            "cx-stage-name",
            INK,
        ));
        if !goal.is_empty() {
            shapes.push(text(
                sx + CELL_PAD,
                y + CELL_PAD + name_h + 4.0 + 11.0,
                goal,
                12.0,
                Weight::Regular,
                Anchor::Start,
                "cx-stage-goal",
                MUTED,
            ));
        }
    }
    y + h + ROW_GAP
}

/// One row: a label in the gutter and a cell per step; returns the next row's top.
fn text_lane(
    shapes: &mut Vec<Shape>,
    y: f32,
    width: f32,
    lane: &Lane,
    labels: &Labels,
    cells: Vec<Cell>,
    xs: &[f32],
) -> f32 {
    if cells.iter().all(|c| c.lines.is_empty()) {
        return y;
    }
    let tallest = cells.iter().map(|c| c.lines.len()).max().unwrap_or(0) as f32;
    let h = (2.0 * CELL_PAD + tallest * line_height(TEXT)).max(40.0);
    if !lane.cards {
        shapes.push(rect(
            PAD,
            y,
            width - 2.0 * PAD,
            h,
            6.0,
            lane.lane_class,
            LANE,
            None,
        ));
    }
    let label = wrap(
        &labels.lanes[lane.label],
        GUTTER - 16.0,
        12.0,
        Weight::SemiBold,
    );
    shapes.push(text(
        PAD + 8.0,
        y + 22.0,
        label,
        12.0,
        Weight::SemiBold,
        Anchor::Start,
        "cx-lane-label",
        MUTED,
    ));
    for (cell, x) in cells.into_iter().zip(xs) {
        if lane.cards {
            let (class, stroke) = if cell.moment {
                ("cx-card cx-moment", MOMENT)
            } else {
                ("cx-card", LINE)
            };
            shapes.push(rect(*x, y, CARD_W, h, 6.0, class, "#ffffff", Some(stroke)));
        }
        if cell.lines.is_empty() {
            continue;
        }
        let mut tx = x + CELL_PAD;
        if let Some(colour) = cell.chip {
            shapes.push(Shape::Circle {
                cx: tx + 5.0,
                cy: y + CELL_PAD + TEXT - 4.5,
                r: 5.0,
                class: "cx-channel",
                fill: colour,
                stroke: "#ffffff".into(),
            });
            tx += CHIP;
        }
        shapes.push(text(
            tx,
            y + CELL_PAD + TEXT,
            cell.lines,
            TEXT,
            Weight::Regular,
            Anchor::Start,
            lane.text_class,
            cell.fill,
        ));
    }
    y + h + ROW_GAP
}

/// The curve through every scored step, a marker per step with its score written in,
/// and the neutral line at 3.
fn emotion_lane(
    shapes: &mut Vec<Shape>,
    y: f32,
    width: f32,
    labels: &Labels,
    steps: &[&Step],
    xs: &[f32],
) -> f32 {
    shapes.push(rect(
        PAD,
        y,
        width - 2.0 * PAD,
        EMOTION_H,
        6.0,
        "cx-lane cx-lane-emotion",
        LANE,
        None,
    ));
    shapes.push(text(
        PAD + 8.0,
        y + 22.0,
        vec![labels.lanes[3].clone()],
        12.0,
        Weight::SemiBold,
        Anchor::Start,
        "cx-lane-label",
        MUTED,
    ));
    let ey = |e: u8| y + 20.0 + f32::from(5 - e) * (EMOTION_H - 40.0) / 4.0;
    for e in 1..=5u8 {
        shapes.push(text(
            PAD + GUTTER - 12.0,
            ey(e) + 4.0,
            vec![e.to_string()],
            11.0,
            Weight::Regular,
            Anchor::Middle,
            "cx-scale",
            MUTED,
        ));
    }
    shapes.push(Shape::Line {
        x1: PAD + GUTTER,
        y1: ey(3),
        x2: width - PAD,
        y2: ey(3),
        class: "cx-neutral",
        stroke: LINE.into(),
        dashed: true,
    });
    // Runs of consecutive scored steps; an unscored step breaks the curve.
    let mut runs: Vec<Vec<(f32, f32)>> = vec![Vec::new()];
    for (s, px) in steps.iter().zip(xs) {
        match s.emotion {
            Some(e) => runs
                .last_mut()
                .map(|r| r.push((px + CARD_W / 2.0, ey(e))))
                .unwrap_or(()),
            None => runs.push(Vec::new()),
        }
    }
    for points in runs.into_iter().filter(|r| r.len() > 1) {
        shapes.push(Shape::Polyline {
            points,
            class: "cx-curve",
            stroke: CURVE.into(),
        });
    }
    for (s, px) in steps.iter().zip(xs) {
        if let Some(e) = s.emotion {
            let (fill, class) = emotion_style(e);
            let cx = px + CARD_W / 2.0;
            shapes.push(Shape::Circle {
                cx,
                cy: ey(e),
                r: 11.0,
                class,
                fill: fill.into(),
                stroke: CURVE.into(),
            });
            shapes.push(text(
                cx,
                ey(e) + 4.5,
                vec![e.to_string()],
                12.0,
                Weight::SemiBold,
                Anchor::Middle,
                "cx-emotion-score",
                INK,
            ));
        }
    }
    y + EMOTION_H + ROW_GAP
}

/// The legend: only the marks this journey uses, laid out left to right, wrapping.
fn legend(
    shapes: &mut Vec<Shape>,
    y: f32,
    width: f32,
    labels: &Labels,
    j: &Journey,
    config: &Config,
    has_emotion: bool,
) -> f32 {
    let items = legend_items(labels, j, has_emotion);
    let _ = config;
    if items.is_empty() {
        return y;
    }
    let (placed, row) = legend_layout(items, width);
    let h = 16.0 + (row + 1.0) * LEGEND_ROW;
    shapes.push(rect(
        PAD,
        y,
        width - 2.0 * PAD,
        h,
        6.0,
        "cx-legend",
        "#ffffff",
        Some(LINE),
    ));
    shapes.push(text(
        PAD + 8.0,
        y + 8.0 + 16.0,
        vec![labels.legend.clone()],
        12.0,
        Weight::SemiBold,
        Anchor::Start,
        "cx-lane-label",
        MUTED,
    ));
    for (x, row, marker, label) in placed {
        let cy = y + 8.0 + row * LEGEND_ROW + 12.0;
        legend_marker(shapes, x, cy, marker);
        shapes.push(text(
            x + 22.0,
            cy + 4.0,
            vec![label],
            12.0,
            Weight::Regular,
            Anchor::Start,
            "cx-legend-text",
            INK,
        ));
    }
    y + h + ROW_GAP
}

/// The height of a row of the legend.
const LEGEND_ROW: f32 = 24.0;

/// What the legend explains, in order: the emotion scale (when the map has scores), the
/// channels the steps use, then each kind of mark the steps use (moment of truth,
/// evidence, pain, opportunity, backstage).
fn legend_items(labels: &Labels, j: &Journey, has_emotion: bool) -> Vec<(Marker, String)> {
    let steps: Vec<&Step> = j.steps().map(|(_, s)| s).collect();
    // (marker, marker colour, text)
    let mut items: Vec<(Marker, String)> = Vec::new();
    if has_emotion {
        for e in [1u8, 3, 5] {
            items.push((
                Marker::Emotion(e),
                format!("{e} {}", labels.emotions[e as usize]),
            ));
        }
        items.push((Marker::Dash, format!("3 = {}", labels.neutral)));
    }
    let mut channels: Vec<(String, String)> = steps
        .iter()
        .filter_map(|s| Some((s.channel_label.clone()?, s.channel_colour.clone()?)))
        .collect();
    channels.sort();
    channels.dedup();
    for (label, colour) in channels {
        items.push((Marker::Dot(colour), label));
    }
    let uses = |f: &dyn Fn(&Step) -> bool| steps.iter().any(|s| f(s));
    if uses(&|s| s.moment_of_truth) {
        items.push((
            Marker::Glyph("★", MOMENT, "cx-legend-mark cx-mark-moment"),
            labels.moment_of_truth.clone(),
        ));
    }
    if uses(&|s| !s.evidence.is_empty()) {
        items.push((
            Marker::Glyph("◆", INK, "cx-legend-mark cx-mark-evidence"),
            capitalise(&labels.evidence),
        ));
    }
    if uses(&|s| !s.pains.is_empty()) {
        items.push((
            Marker::Glyph("✗", PAIN, "cx-legend-mark cx-mark-pain"),
            labels.pain.clone(),
        ));
    }
    if uses(&|s| !s.opportunities.is_empty()) {
        items.push((
            Marker::Glyph("→", OPPORTUNITY, "cx-legend-mark cx-mark-opportunity"),
            labels.opportunity.clone(),
        ));
    }
    if uses(&|s| !s.backstage.is_empty()) {
        items.push((
            Marker::Glyph("▪", MUTED, "cx-legend-mark cx-mark-backstage"),
            labels.backstage.clone(),
        ));
    }
    items
}

/// Where each legend item goes: its left edge and row, flowing left to right and
/// wrapping before the right padding. Returns the items placed and the last row.
fn legend_layout(
    items: Vec<(Marker, String)>,
    width: f32,
) -> (Vec<(f32, f32, Marker, String)>, f32) {
    let right = width - PAD - 8.0;
    let mut x = PAD + GUTTER;
    let mut row = 0.0;
    let mut placed = Vec::new();
    for (marker, label) in items {
        let w = 22.0 + width_of(&label) + 18.0;
        if x + w > right && x > PAD + GUTTER {
            x = PAD + GUTTER;
            row += 1.0;
        }
        placed.push((x, row, marker, label));
        x += w;
    }
    (placed, row)
}

/// One legend marker, its left edge at `x` and centred on `cy`: an emotion circle, the
/// dashed neutral line, a channel dot or a mark's symbol.
fn legend_marker(shapes: &mut Vec<Shape>, x: f32, cy: f32, marker: Marker) {
    match marker {
        Marker::Emotion(e) => {
            let (fill, class) = emotion_style(e);
            shapes.push(Shape::Circle {
                cx: x + 8.0,
                cy,
                r: 8.0,
                class,
                fill: fill.into(),
                stroke: CURVE.into(),
            });
        }
        Marker::Dash => shapes.push(Shape::Line {
            x1: x,
            y1: cy,
            x2: x + 16.0,
            y2: cy,
            class: "cx-neutral",
            stroke: MUTED.into(),
            dashed: true,
        }),
        Marker::Dot(colour) => shapes.push(Shape::Circle {
            cx: x + 8.0,
            cy,
            r: 5.0,
            class: "cx-channel",
            fill: colour,
            stroke: "#ffffff".into(),
        }),
        Marker::Glyph(g, colour, class) => shapes.push(text(
            x + 8.0,
            cy + 4.5,
            vec![g.to_string()],
            13.0,
            Weight::Regular,
            Anchor::Middle,
            class,
            colour,
        )),
    }
}

/// A mark the legend explains.
enum Marker {
    Emotion(u8),
    Dash,
    Dot(String),
    /// A symbol, its default colour and its class.
    Glyph(&'static str, &'static str, &'static str),
}

fn width_of(label: &str) -> f32 {
    width(label, 12.0, Weight::Regular)
}

fn severity_word(s: Severity, labels: &Labels) -> &str {
    labels.severities.get(s.rank()).map_or("", String::as_str)
}

fn priority_word(p: Priority, labels: &Labels) -> &str {
    labels.priorities.get(p.rank()).map_or("", String::as_str)
}
