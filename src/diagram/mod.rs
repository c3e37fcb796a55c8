//! Journey → [`Diagram`] (a typed layout in user units) → SVG text.
//!
//! The layout is pure: the same journey gives the same shapes. Columns are stages
//! (under phase bands), a card per step, one row per lane the journey uses (actions,
//! touchpoints, thoughts, emotion, pains, opportunities, backstage). Text is measured
//! with the bundled font and wrapped; rows and cards grow to fit, nothing is clipped.

pub mod font;
pub mod svg;

use crate::config::Config;
use crate::model::{Journey, Priority, Severity};
use font::{Weight, wrap};

/// A laid-out diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagram {
    /// Total width.
    pub width: f32,
    /// Total height.
    pub height: f32,
    /// Short accessible name.
    pub title: String,
    /// Longer accessible description.
    pub desc: String,
    /// Prefix for every id in the SVG, unique per diagram.
    pub id_prefix: String,
    /// What to draw, back to front.
    pub shapes: Vec<Shape>,
}

/// Text alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Left-aligned at x.
    Start,
    /// Centred on x.
    Middle,
}

/// A drawing primitive.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A rectangle.
    Rect {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Corner radius.
        rx: f32,
        /// CSS class for themes.
        class: &'static str,
        /// Default fill.
        fill: String,
        /// Default stroke.
        stroke: Option<String>,
    },
    /// Lines of text, top-down.
    Text {
        /// Anchor x.
        x: f32,
        /// Baseline of the first line.
        y: f32,
        /// The lines.
        lines: Vec<String>,
        /// Font size.
        size: f32,
        /// Weight.
        weight: Weight,
        /// Alignment.
        anchor: Anchor,
        /// CSS class.
        class: &'static str,
        /// Default fill.
        fill: String,
    },
    /// A straight line.
    Line {
        /// Start x.
        x1: f32,
        /// Start y.
        y1: f32,
        /// End x.
        x2: f32,
        /// End y.
        y2: f32,
        /// CSS class.
        class: &'static str,
        /// Default stroke.
        stroke: String,
        /// Dashed.
        dashed: bool,
    },
    /// A polyline through points.
    Polyline {
        /// The points.
        points: Vec<(f32, f32)>,
        /// CSS class.
        class: &'static str,
        /// Default stroke.
        stroke: String,
    },
    /// A circle.
    Circle {
        /// Centre x.
        cx: f32,
        /// Centre y.
        cy: f32,
        /// Radius.
        r: f32,
        /// CSS class.
        class: &'static str,
        /// Default fill.
        fill: String,
        /// Default stroke.
        stroke: String,
    },
}

/// Lane and legend words, so themes and languages can change them.
#[derive(Debug, Clone)]
pub struct Labels {
    /// Lane names: actions, touchpoints, thoughts, emotion, pains, opportunities, backstage.
    pub lanes: [String; 7],
    /// "Moment of truth".
    pub moment_of_truth: String,
    /// "evidence".
    pub evidence: String,
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            lanes: [
                "Actions",
                "Touchpoints",
                "Thinks",
                "Emotion",
                "Pains",
                "Opportunities",
                "Backstage",
            ]
            .map(String::from),
            moment_of_truth: "Moment of truth".into(),
            evidence: "evidence".into(),
        }
    }
}

const PAD: f32 = 16.0;
const GUTTER: f32 = 120.0;
const CARD_W: f32 = 184.0;
const COL_GAP: f32 = 10.0;
const STAGE_GAP: f32 = 18.0;
const TEXT: f32 = 13.0;
const LINE: f32 = 17.0;
const CELL_PAD: f32 = 10.0;
const EMOTION_H: f32 = 150.0;

const INK: &str = "#1f2933";
const MUTED: &str = "#52606d";
const LINE_GREY: &str = "#cbd2d9";
const PAIN: &str = "#b54708";
const OPPORTUNITY: &str = "#03785a";
const CURVE: &str = "#0b5cad";
const MOMENT: &str = "#b7791f";

/// What a row of one step shows.
struct Cell {
    lines: Vec<String>,
    fill: &'static str,
    moment: bool,
}

/// Lays a journey out; `None` when it has no stages.
pub fn journey(j: &Journey, config: &Config, labels: &Labels) -> Option<Diagram> {
    if j.stages.is_empty() {
        return None;
    }
    let text_w = CARD_W - 2.0 * CELL_PAD;
    // Columns: one per step, at least one per stage.
    let mut stage_x = Vec::new();
    let mut step_x: Vec<Vec<f32>> = Vec::new();
    let mut x = PAD + GUTTER;
    for stage in &j.stages {
        let cols = stage.steps.len().max(1);
        let w = cols as f32 * CARD_W + (cols - 1) as f32 * COL_GAP;
        stage_x.push((x, w));
        step_x.push(
            (0..stage.steps.len())
                .map(|i| x + i as f32 * (CARD_W + COL_GAP))
                .collect(),
        );
        x += w + STAGE_GAP;
    }
    let width = x - STAGE_GAP + PAD;
    let mut shapes = Vec::new();
    let mut y = PAD;

    // Phase bands.
    if j.stages.iter().any(|s| s.phase.is_some()) {
        let mut i = 0;
        while i < j.stages.len() {
            let phase = j.stages[i].phase.clone();
            let mut k = i;
            while k + 1 < j.stages.len() && j.stages[k + 1].phase == phase {
                k += 1;
            }
            if let Some(phase) = phase {
                let x0 = stage_x[i].0;
                let x1 = stage_x[k].0 + stage_x[k].1;
                shapes.push(rect(
                    x0,
                    y,
                    x1 - x0,
                    26.0,
                    13.0,
                    "cx-phase",
                    "#e4e7eb",
                    None,
                ));
                shapes.push(text(
                    x0 + (x1 - x0) / 2.0,
                    y + 17.0,
                    vec![truncate_line(&phase, x1 - x0 - 16.0)],
                    12.0,
                    Weight::SemiBold,
                    Anchor::Middle,
                    "cx-phase-label",
                    MUTED,
                ));
            }
            i = k + 1;
        }
        y += 26.0 + 8.0;
    }

    // Stage headers.
    let headers: Vec<(Vec<String>, Vec<String>)> = j
        .stages
        .iter()
        .zip(&stage_x)
        .map(|(s, (_, w))| {
            let name = wrap(&s.name, w - 2.0 * CELL_PAD, 15.0, Weight::SemiBold);
            let goal = s.goal.as_deref().map_or_else(Vec::new, |g| {
                wrap(g, w - 2.0 * CELL_PAD, 12.0, Weight::Regular)
            });
            (name, goal)
        })
        .collect();
    let header_h = headers
        .iter()
        .map(|(n, g)| {
            2.0 * CELL_PAD
                + n.len() as f32 * 19.0
                + if g.is_empty() {
                    0.0
                } else {
                    4.0 + g.len() as f32 * 16.0
                }
        })
        .fold(0.0, f32::max);
    for ((name, goal), (sx, sw)) in headers.into_iter().zip(&stage_x) {
        shapes.push(rect(
            *sx, y, *sw, header_h, 6.0, "cx-stage", "#d9e8f6", None,
        ));
        let n = name.len() as f32;
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
                y + CELL_PAD + n * 19.0 + 4.0 + 12.0,
                goal,
                12.0,
                Weight::Regular,
                Anchor::Start,
                "cx-stage-goal",
                MUTED,
            ));
        }
    }
    y += header_h + 8.0;

    let steps: Vec<_> = j.steps().collect();
    let positions: Vec<f32> = step_x.iter().flatten().copied().collect();

    // Text lanes before the curve.
    let channel = |c: &str| config.channel_label(c).to_string();
    let lanes: Vec<(usize, Vec<Cell>)> = vec![
        (
            0,
            steps
                .iter()
                .map(|(_, s)| {
                    let mut lines = wrap(&s.action, text_w, TEXT, Weight::Regular);
                    if s.moment_of_truth {
                        lines.push(format!("★ {}", labels.moment_of_truth));
                    }
                    if !s.evidence.is_empty() {
                        lines.push(format!("◆ {} {}", s.evidence.len(), labels.evidence));
                    }
                    Cell {
                        lines,
                        fill: INK,
                        moment: s.moment_of_truth,
                    }
                })
                .collect(),
        ),
        (
            1,
            steps
                .iter()
                .map(|(_, s)| {
                    let joined = match (&s.touchpoint, &s.channel) {
                        (Some(t), Some(c)) => format!("{t} · {}", channel(c)),
                        (Some(t), None) => t.clone(),
                        (None, Some(c)) => channel(c),
                        (None, None) => String::new(),
                    };
                    Cell {
                        lines: wrap(&joined, text_w, TEXT, Weight::Regular),
                        fill: INK,
                        moment: false,
                    }
                })
                .collect(),
        ),
        (
            2,
            steps
                .iter()
                .map(|(_, s)| Cell {
                    lines: s.thought.as_deref().map_or_else(Vec::new, |t| {
                        wrap(&format!("“{t}”"), text_w, TEXT, Weight::Regular)
                    }),
                    fill: MUTED,
                    moment: false,
                })
                .collect(),
        ),
    ];
    for (lane, cells) in &lanes {
        y = text_lane(
            &mut shapes,
            y,
            width,
            &labels.lanes[*lane],
            *lane == 0,
            cells,
            &positions,
        );
    }

    // The emotion curve.
    if steps.iter().any(|(_, s)| s.emotion.is_some()) {
        shapes.push(rect(
            PAD,
            y,
            width - 2.0 * PAD,
            EMOTION_H,
            6.0,
            "cx-lane",
            "#f5f7fa",
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
            stroke: LINE_GREY.into(),
            dashed: true,
        });
        let mut run: Vec<(f32, f32)> = Vec::new();
        let mut runs = Vec::new();
        for ((_, s), px) in steps.iter().zip(&positions) {
            match s.emotion {
                Some(e) => run.push((px + CARD_W / 2.0, ey(e))),
                None => {
                    if !run.is_empty() {
                        runs.push(std::mem::take(&mut run));
                    }
                }
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
        for points in runs.into_iter().filter(|r| r.len() > 1) {
            shapes.push(Shape::Polyline {
                points,
                class: "cx-curve",
                stroke: CURVE.into(),
            });
        }
        for ((_, s), px) in steps.iter().zip(&positions) {
            if let Some(e) = s.emotion {
                let (fill, class) = match e {
                    1 | 2 => ("#fde2d3", "cx-emotion cx-emotion-low"),
                    3 => ("#eef0f2", "cx-emotion cx-emotion-neutral"),
                    _ => ("#d3f2e6", "cx-emotion cx-emotion-high"),
                };
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
        y += EMOTION_H + 8.0;
    }

    // Text lanes after the curve.
    let lanes: Vec<(usize, Vec<Cell>)> = vec![
        (
            4,
            steps
                .iter()
                .map(|(_, s)| Cell {
                    lines: s
                        .pains
                        .iter()
                        .flat_map(|p| {
                            let sev = p
                                .severity
                                .map(|v| format!(" [{}]", severity_word(v)))
                                .unwrap_or_default();
                            wrap(&format!("✕ {}{sev}", p.text), text_w, TEXT, Weight::Regular)
                        })
                        .collect(),
                    fill: PAIN,
                    moment: false,
                })
                .collect(),
        ),
        (
            5,
            steps
                .iter()
                .map(|(_, s)| Cell {
                    lines: s
                        .opportunities
                        .iter()
                        .flat_map(|o| {
                            let mut meta = Vec::new();
                            if let Some(p) = o.priority {
                                meta.push(priority_word(p).to_string());
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
                                &format!("➜ {}{meta}", o.text),
                                text_w,
                                TEXT,
                                Weight::Regular,
                            )
                        })
                        .collect(),
                    fill: OPPORTUNITY,
                    moment: false,
                })
                .collect(),
        ),
        (
            6,
            steps
                .iter()
                .map(|(_, s)| Cell {
                    lines: s
                        .backstage
                        .iter()
                        .flat_map(|b| wrap(&format!("▪ {b}"), text_w, TEXT, Weight::Regular))
                        .collect(),
                    fill: MUTED,
                    moment: false,
                })
                .collect(),
        ),
    ];
    for (lane, cells) in &lanes {
        y = text_lane(
            &mut shapes,
            y,
            width,
            &labels.lanes[*lane],
            false,
            cells,
            &positions,
        );
    }

    let height = y - 8.0 + PAD;
    let emotions: Vec<u8> = steps.iter().filter_map(|(_, s)| s.emotion).collect();
    let mut desc = format!(
        "Journey map of “{}”: {} stages ({}), {} steps.",
        j.title,
        j.stages.len(),
        j.stages
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        steps.len()
    );
    if let (Some(lo), Some(hi)) = (emotions.iter().min(), emotions.iter().max()) {
        desc.push_str(&format!(
            " Emotion ranges from {lo} to {hi} on a scale of 1 to 5."
        ));
    }
    Some(Diagram {
        width,
        height,
        title: j.title.clone(),
        desc,
        id_prefix: format!("cx-{}-", crate::slug::slugify(&j.id.0)),
        shapes,
    })
}

/// One row: a label in the gutter and a cell per step; returns the next row's top.
fn text_lane(
    shapes: &mut Vec<Shape>,
    y: f32,
    width: f32,
    label: &str,
    cards: bool,
    cells: &[Cell],
    xs: &[f32],
) -> f32 {
    if cells.iter().all(|c| c.lines.is_empty()) {
        return y;
    }
    let tallest = cells.iter().map(|c| c.lines.len()).max().unwrap_or(0) as f32;
    let h = (2.0 * CELL_PAD + tallest * LINE).max(40.0);
    if !cards {
        shapes.push(rect(
            PAD,
            y,
            width - 2.0 * PAD,
            h,
            6.0,
            "cx-lane",
            "#f5f7fa",
            None,
        ));
    }
    shapes.push(text(
        PAD + 8.0,
        y + 22.0,
        vec![label.to_string()],
        12.0,
        Weight::SemiBold,
        Anchor::Start,
        "cx-lane-label",
        MUTED,
    ));
    for (cell, x) in cells.iter().zip(xs) {
        if cards {
            let (class, stroke) = if cell.moment {
                ("cx-card cx-moment", MOMENT)
            } else {
                ("cx-card", LINE_GREY)
            };
            shapes.push(rect(
                *x,
                y,
                CARD_W,
                h,
                6.0,
                class,
                "#ffffff",
                Some(stroke.into()),
            ));
        }
        if !cell.lines.is_empty() {
            let class = if cards {
                "cx-card-text"
            } else {
                "cx-cell-text"
            };
            shapes.push(text(
                x + CELL_PAD,
                y + CELL_PAD + TEXT,
                cell.lines.clone(),
                TEXT,
                Weight::Regular,
                Anchor::Start,
                class,
                cell.fill,
            ));
        }
    }
    y + h + 8.0
}

fn severity_word(s: Severity) -> &'static str {
    Severity::ALL
        .iter()
        .find(|(v, _)| *v == s)
        .map_or("", |(_, k)| k)
}

fn priority_word(p: Priority) -> &'static str {
    Priority::ALL
        .iter()
        .find(|(v, _)| *v == p)
        .map_or("", |(_, k)| k)
}

/// Shortens a single line to fit, with an ellipsis (used only for phase bands, whose
/// full names are also in the page).
fn truncate_line(text: &str, max: f32) -> String {
    let lines = wrap(text, max, 12.0, Weight::SemiBold);
    match lines.as_slice() {
        [one] => one.clone(),
        [first, ..] => format!("{first}…"),
        [] => String::new(),
    }
}

#[allow(clippy::too_many_arguments)]
fn rect(
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    rx: f32,
    class: &'static str,
    fill: &str,
    stroke: Option<String>,
) -> Shape {
    Shape::Rect {
        x,
        y,
        w,
        h,
        rx,
        class,
        fill: fill.into(),
        stroke,
    }
}

#[allow(clippy::too_many_arguments)]
fn text(
    x: f32,
    y: f32,
    lines: Vec<String>,
    size: f32,
    weight: Weight,
    anchor: Anchor,
    class: &'static str,
    fill: &str,
) -> Shape {
    Shape::Text {
        x,
        y,
        lines,
        size,
        weight,
        anchor,
        class,
        fill: fill.into(),
    }
}
