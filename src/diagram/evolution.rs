//! A journey's emotion curve now and at earlier revisions, so a reader sees the map
//! improve: the mean emotion of each of today's stages in every version, one line per
//! version, oldest to newest.
//!
//! Stages are today's, in today's order, matched by id in the earlier versions; stages
//! only older versions had are left out, and a stage added later has no point in the
//! versions before it. Now is the strong line in the curve colour with round markers;
//! each earlier version is a thinner, lighter line with its own dash pattern and square
//! markers, so the versions differ by more than colour. Under the chart, each stage's
//! change from the oldest version shown to now, and a legend naming every version.

use super::font::{self, Weight, wrap};
use super::palette::*;
use super::{Anchor, Diagram, Labels, Shape, compare::mean, id_prefix, line_height, rect, text};
use crate::model::Journey;

const PAD: f32 = 16.0;
const GUTTER: f32 = 110.0;
const COL: f32 = 140.0;
const CHART_H: f32 = 180.0;
/// The length of a legend entry's line sample.
const SAMPLE: f32 = 44.0;
/// The strong line's width.
const NOW_WIDTH: f32 = 3.0;
/// An earlier version's line width.
const PAST_WIDTH: f32 = 2.0;

/// How many earlier versions the chart draws at most: the newest ones, each with a dash
/// pattern of its own.
pub const MAX_EARLIER: usize = 4;

/// How an earlier version is drawn, from the one just before now back to the oldest:
/// stroke, dash pattern, the line's class and the markers' class. Older is lighter.
const PAST: [(&str, &str, &str, &str); MAX_EARLIER] = [
    (
        "#52606d",
        "8 4",
        "cx-evolution-line cx-evolution-past cx-evolution-past-1",
        "cx-evolution-marker cx-evolution-past cx-evolution-past-1",
    ),
    (
        "#616e7c",
        "2 3",
        "cx-evolution-line cx-evolution-past cx-evolution-past-2",
        "cx-evolution-marker cx-evolution-past cx-evolution-past-2",
    ),
    (
        "#6e7b88",
        "10 3 2 3",
        "cx-evolution-line cx-evolution-past cx-evolution-past-3",
        "cx-evolution-marker cx-evolution-past cx-evolution-past-3",
    ),
    (
        "#7b8794",
        "4 7",
        "cx-evolution-line cx-evolution-past cx-evolution-past-4",
        "cx-evolution-marker cx-evolution-past cx-evolution-past-4",
    ),
];

/// One version of a journey: how it is labelled and the journey as it was.
#[derive(Debug, Clone)]
pub struct Version<'a> {
    /// The version's name in the legend and the description, written by the caller: a
    /// date, with a short commit id when it has one ("3 April 2026 · 1a2b3c4").
    pub label: String,
    /// The journey as it was in this version.
    pub journey: &'a Journey,
}

/// One of today's stages and its mean emotion in each version.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Stage id (how the stage is found in earlier versions).
    pub id: String,
    /// Stage name, as it is now.
    pub name: String,
    /// Mean emotion in each version: the earlier versions in the order given (oldest
    /// first), now last. `None` where a version lacks the stage or its scores.
    pub scores: Vec<Option<f64>>,
}

impl Row {
    /// The mean emotion now.
    pub fn now(&self) -> Option<f64> {
        self.scores.last().copied().flatten()
    }

    /// Now minus the oldest earlier version that scores this stage; `None` when the
    /// stage has no score now or none before.
    pub fn change(&self) -> Option<f64> {
        let (now, before) = self.scores.split_last()?;
        Some((*now)? - before.iter().find_map(|s| *s)?)
    }
}

/// The mean emotion of each stage of `now` in every version, stage by stage: stages
/// matched by id, in `now`'s order; stages only older versions had are left out.
/// `earlier` is oldest first; each row's `scores` has a column per earlier version, in
/// that order, then one for now.
pub fn rows(now: &Journey, earlier: &[&Journey]) -> Vec<Row> {
    now.stages
        .iter()
        .map(|stage| {
            let mut scores: Vec<Option<f64>> = earlier
                .iter()
                .map(|j| j.stages.iter().find(|s| s.id == stage.id).and_then(mean))
                .collect();
            scores.push(mean(stage));
            Row {
                id: stage.id.clone(),
                name: stage.name.clone(),
                scores,
            }
        })
        .collect()
}

/// How a version's line is drawn.
#[derive(Clone, Copy)]
enum Style {
    /// Now: strong, solid, round markers.
    Now,
    /// An earlier version, by its place in [`PAST`] (0: just before now).
    Past(usize),
}

/// A version the chart draws: its label, style and mean emotion per row.
struct Series<'a> {
    label: &'a str,
    style: Style,
    values: Vec<Option<f64>>,
}

/// The mean emotion of each stage of `now` and of each earlier version (oldest first),
/// stage by stage: stages matched by id, in `now`'s order; stages only older versions
/// had are left out. Versions with no score in today's stages are not drawn, and of the
/// earlier ones only the newest [`MAX_EARLIER`]. `None` when fewer than two versions
/// have any score.
pub fn evolution(now: &Version<'_>, earlier: &[Version<'_>], labels: &Labels) -> Option<Diagram> {
    let journeys: Vec<&Journey> = earlier.iter().map(|v| v.journey).collect();
    let rows = rows(now.journey, &journeys);
    let series = series(&rows, now, earlier);
    if series.len() < 2 {
        return None;
    }
    let mut shapes = Vec::new();
    let width = 2.0 * PAD + GUTTER + rows.len() as f32 * COL;
    let head = stage_heads(&mut shapes, &rows);
    // The chart: its ground, the scale, the neutral line (solid: dashes mean earlier
    // versions here).
    let top = PAD + head + 8.0;
    chart(&mut shapes, top, rows.len(), width, labels);
    curves(&mut shapes, &series, top);
    let change_y = top + CHART_H + 20.0;
    change_row(&mut shapes, &series, rows.len(), change_y, labels);
    let bottom = legend(&mut shapes, &series, width, change_y + 32.0);
    let (first, last) = (&series[0], &series[series.len() - 1]);
    Some(Diagram {
        width,
        height: bottom + 6.0 + PAD,
        title: super::fill(&labels.evolution_title, &[("title", &now.journey.title)]),
        desc: super::fill(
            &labels.evolution_desc,
            &[
                ("oldest", first.label),
                ("now", last.label),
                ("changes", &changes(&rows, &series, labels).join("; ")),
            ],
        ),
        id_prefix: id_prefix(&format!("{}-evolution", now.journey.id.0)),
        class: "cx-evolution",
        shapes,
    })
}

/// The versions drawn, oldest first: the newest [`MAX_EARLIER`] earlier versions with a
/// score, then now when it has one.
fn series<'a>(rows: &[Row], now: &'a Version<'_>, earlier: &'a [Version<'_>]) -> Vec<Series<'a>> {
    let column = |k: usize| -> Vec<Option<f64>> { rows.iter().map(|r| r.scores[k]).collect() };
    let scored = |k: usize| rows.iter().any(|r| r.scores[k].is_some());
    let mut shown: Vec<usize> = (0..earlier.len()).filter(|&k| scored(k)).collect();
    shown.drain(..shown.len().saturating_sub(MAX_EARLIER));
    let mut series: Vec<Series> = shown
        .iter()
        .enumerate()
        .map(|(i, &k)| Series {
            label: &earlier[k].label,
            style: Style::Past(shown.len() - 1 - i),
            values: column(k),
        })
        .collect();
    if scored(earlier.len()) {
        series.push(Series {
            label: &now.label,
            style: Style::Now,
            values: column(earlier.len()),
        });
    }
    series
}

/// The centre of stage `i`'s column.
fn x_of(i: usize) -> f32 {
    PAD + GUTTER + (i as f32 + 0.5) * COL
}

/// The height of emotion `e` in a chart whose top is at `top`.
fn ey(top: f32, e: f64) -> f32 {
    top + 12.0 + (5.0 - e as f32) * (CHART_H - 24.0) / 4.0
}

/// A header per stage, its name wrapped; returns the headers' height.
fn stage_heads(shapes: &mut Vec<Shape>, rows: &[Row]) -> f32 {
    let names: Vec<Vec<String>> = rows
        .iter()
        .map(|r| wrap(&r.name, COL - 16.0, 12.0, Weight::SemiBold))
        .collect();
    let head = 12.0 + names.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_height(12.0);
    for (i, n) in names.into_iter().enumerate() {
        let x = PAD + GUTTER + i as f32 * COL;
        shapes.push(rect(
            x + 4.0,
            PAD,
            COL - 8.0,
            head,
            6.0,
            "cx-stage cx-evolution-stage",
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
    head
}

/// The chart's ground, the emotion scale and the neutral line.
fn chart(shapes: &mut Vec<Shape>, top: f32, stages: usize, width: f32, labels: &Labels) {
    let ey = |e: f64| ey(top, e);
    shapes.push(rect(
        PAD + GUTTER,
        top,
        stages as f32 * COL,
        CHART_H,
        6.0,
        "cx-evolution-chart",
        LANE,
        None,
    ));
    shapes.push(text(
        PAD,
        top + 16.0,
        wrap(&labels.lanes[3], GUTTER - 34.0, 12.0, Weight::SemiBold),
        12.0,
        Weight::SemiBold,
        Anchor::Start,
        "cx-lane-label",
        MUTED,
    ));
    for e in 1..=5u8 {
        shapes.push(text(
            PAD + GUTTER - 10.0,
            ey(f64::from(e)) + 4.0,
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
        y1: ey(3.0),
        x2: width - PAD,
        y2: ey(3.0),
        class: "cx-neutral cx-evolution-neutral",
        stroke: LINE.into(),
        dashed: false,
    });
}

/// Each version's line and markers.
fn curves(shapes: &mut Vec<Shape>, series: &[Series], top: f32) {
    let ey = |e: f64| ey(top, e);
    // Lines, oldest first so now is on top; a line breaks where a version lacks a stage.
    for s in series {
        let mut run: Vec<(f32, f32)> = Vec::new();
        for (i, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => run.push((x_of(i), ey(*v))),
                None => line(shapes, std::mem::take(&mut run), s.style),
            }
        }
        line(shapes, run, s.style);
    }
    for s in series {
        for (i, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                marker(shapes, x_of(i), ey(*v), *v, s.style);
            }
        }
    }
}

/// The change from the oldest version shown to now, per stage.
fn change_row(
    shapes: &mut Vec<Shape>,
    series: &[Series],
    stages: usize,
    change_y: f32,
    labels: &Labels,
) {
    let last = &series[series.len() - 1];
    shapes.push(text(
        PAD,
        change_y,
        vec![labels.change.clone()],
        12.0,
        Weight::SemiBold,
        Anchor::Start,
        "cx-lane-label",
        MUTED,
    ));
    for i in 0..stages {
        let change = match last.style {
            Style::Now => series[..series.len() - 1]
                .iter()
                .find_map(|s| s.values[i])
                .zip(last.values[i])
                .map(|(before, now)| now - before),
            Style::Past(_) => None,
        };
        let label = match change {
            Some(d) if d.abs() < 0.05 => "±0".to_string(),
            Some(d) => labels.one_decimal(d, true),
            None => "–".to_string(),
        };
        shapes.push(text(
            x_of(i),
            change_y,
            vec![label],
            13.0,
            Weight::SemiBold,
            Anchor::Middle,
            "cx-delta cx-evolution-delta",
            INK,
        ));
    }
}

/// The legend, oldest to newest, in rows as wide as the chart, from `y`; returns the
/// baseline of its last line.
fn legend(shapes: &mut Vec<Shape>, series: &[Series], width: f32, y: f32) -> f32 {
    let lh = line_height(12.0);
    let max_text = (width - 2.0 * PAD - SAMPLE - 8.0).max(40.0);
    let (mut x, mut y) = (PAD, y);
    let mut row_lines = 1usize;
    let mut bottom = y;
    for s in series {
        let weight = match s.style {
            Style::Now => Weight::SemiBold,
            Style::Past(_) => Weight::Regular,
        };
        let lines = wrap(s.label, max_text, 12.0, weight);
        let text_w = lines
            .iter()
            .map(|l| font::width(l, 12.0, weight))
            .fold(0.0, f32::max);
        let entry_w = SAMPLE + 8.0 + text_w;
        if x > PAD && x + entry_w > width - PAD {
            x = PAD;
            y += row_lines as f32 * lh + 8.0;
            row_lines = 1;
        }
        line(shapes, vec![(x, y - 4.0), (x + SAMPLE, y - 4.0)], s.style);
        marker(shapes, x + SAMPLE / 2.0, y - 4.0, 3.0, s.style);
        row_lines = row_lines.max(lines.len());
        bottom = bottom.max(y + lines.len().saturating_sub(1) as f32 * lh);
        shapes.push(text(
            x + SAMPLE + 8.0,
            y,
            lines,
            12.0,
            weight,
            Anchor::Start,
            "cx-legend-text cx-evolution-legend",
            INK,
        ));
        x += entry_w + 24.0;
    }
    bottom
}

/// Per stage with a score: its name and its mean emotion in each version shown.
fn changes(rows: &[Row], series: &[Series], labels: &Labels) -> Vec<String> {
    let one = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| labels.one_decimal(v, false));
    rows.iter()
        .enumerate()
        .filter(|(i, _)| series.iter().any(|s| s.values[*i].is_some()))
        .map(|(i, r)| {
            let values: Vec<String> = series.iter().map(|s| one(s.values[i])).collect();
            format!("{} {}", r.name, values.join(" → "))
        })
        .collect()
}

/// A version's line through `points` (nothing for fewer than two).
fn line(shapes: &mut Vec<Shape>, points: Vec<(f32, f32)>, style: Style) {
    if points.len() < 2 {
        return;
    }
    shapes.push(match style {
        Style::Now => Shape::Series {
            points,
            class: "cx-evolution-line cx-evolution-now",
            stroke: CURVE.into(),
            width: NOW_WIDTH,
            dash: None,
        },
        Style::Past(d) => Shape::Series {
            points,
            class: PAST[d].2,
            stroke: PAST[d].0.into(),
            width: PAST_WIDTH,
            dash: Some(PAST[d].1),
        },
    });
}

/// A version's marker at a stage mean `v`: now a circle filled by the emotion, an
/// earlier version a small open square.
fn marker(shapes: &mut Vec<Shape>, x: f32, y: f32, v: f64, style: Style) {
    shapes.push(match style {
        Style::Now => {
            let (fill, class) = match v.round().clamp(1.0, 5.0) as u8 {
                1 | 2 => (
                    EMOTION[0],
                    "cx-evolution-marker cx-evolution-now cx-emotion-low",
                ),
                3 => (
                    EMOTION[1],
                    "cx-evolution-marker cx-evolution-now cx-emotion-neutral",
                ),
                _ => (
                    EMOTION[2],
                    "cx-evolution-marker cx-evolution-now cx-emotion-high",
                ),
            };
            Shape::Circle {
                cx: x,
                cy: y,
                r: 6.0,
                class,
                fill: fill.into(),
                stroke: CURVE.into(),
            }
        }
        Style::Past(d) => rect(
            x - 4.0,
            y - 4.0,
            8.0,
            8.0,
            1.0,
            PAST[d].3,
            "#ffffff",
            Some(PAST[d].0),
        ),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Stage, Step};

    /// A journey with stages (id, name, emotion scores), made from a one-step Mermaid
    /// diagram so that it has every field the model has.
    fn journey(stages: &[(&str, &str, &[u8])]) -> Journey {
        let parsed = crate::parse::mermaid::parse(
            "journey\ntitle Renewal\nsection S\nActs: 3: Me\n",
            crate::parse::mermaid::Header::Required,
        );
        let mut j = super::super::mermaid::to_journey(&parsed.journey, "renewal");
        let stage = j.stages[0].clone();
        j.stages = stages
            .iter()
            .map(|(id, name, scores)| Stage {
                id: id.to_string(),
                name: name.to_string(),
                steps: scores
                    .iter()
                    .map(|e| Step {
                        emotion: Some(*e),
                        ..stage.steps[0].clone()
                    })
                    .collect(),
                ..stage.clone()
            })
            .collect::<Vec<_>>()
            .into();
        j
    }

    fn version<'a>(label: &str, journey: &'a Journey) -> Version<'a> {
        Version {
            label: label.into(),
            journey,
        }
    }

    #[test]
    fn stages_are_matched_by_id_in_the_order_of_now() {
        let old = journey(&[("pay", "Payment", &[2]), ("find", "Find", &[1, 2])]);
        let now = journey(&[("find", "Discover", &[3, 4]), ("pay", "Pay", &[4])]);
        let rows = rows(&now, &[&old]);
        let got: Vec<(&str, &str, &[Option<f64>])> = rows
            .iter()
            .map(|r| (r.id.as_str(), r.name.as_str(), r.scores.as_slice()))
            .collect();
        assert_eq!(
            got,
            [
                ("find", "Discover", &[Some(1.5), Some(3.5)][..]),
                ("pay", "Pay", &[Some(2.0), Some(4.0)][..]),
            ]
        );
    }

    #[test]
    fn a_stage_added_later_has_no_old_point_and_a_removed_one_is_left_out() {
        let oldest = journey(&[("find", "Find", &[2]), ("wait", "Wait", &[1])]);
        let middle = journey(&[("find", "Find", &[3]), ("pay", "Pay", &[2])]);
        let now = journey(&[("find", "Find", &[4]), ("pay", "Pay", &[4])]);
        let rows = rows(&now, &[&oldest, &middle]);
        assert_eq!(rows.len(), 2, "the stage only the oldest had is left out");
        assert_eq!(rows[1].scores, [None, Some(2.0), Some(4.0)]);
        // The change is counted from the oldest version that has the stage.
        assert_eq!(rows[0].change(), Some(2.0));
        assert_eq!(rows[1].change(), Some(2.0));

        let labels = Labels::default();
        let d = evolution(
            &version("Now", &now),
            &[
                version("1 May 2025", &oldest),
                version("1 June 2025", &middle),
            ],
            &labels,
        )
        .unwrap();
        // The oldest version has one point (Find), so no line of its own; a marker.
        let oldest_markers = d
            .shapes
            .iter()
            .filter(
                |s| matches!(s, Shape::Rect { class, .. } if class.contains("cx-evolution-past-2")),
            )
            .count();
        assert_eq!(oldest_markers, 2, "one in the chart, one in the legend");
        assert!(d.desc.contains("Pay – → 2.0 → 4.0"), "{}", d.desc);
        assert!(d.desc.contains("(1 May 2025 → Now)"), "{}", d.desc);
    }

    #[test]
    fn fewer_than_two_scored_versions_draw_nothing() {
        let labels = Labels::default();
        let now = journey(&[("find", "Find", &[4])]);
        let unscored = journey(&[("find", "Find", &[])]);
        let gone = journey(&[("wait", "Wait", &[2])]);
        assert!(evolution(&version("Now", &now), &[], &labels).is_none());
        assert!(
            evolution(
                &version("Now", &now),
                &[version("a", &unscored), version("b", &gone)],
                &labels
            )
            .is_none(),
            "neither earlier version scores a stage that is still there"
        );
        assert!(evolution(&version("Now", &now), &[version("a", &now)], &labels).is_some());
    }

    #[test]
    fn the_change_runs_from_the_oldest_score_to_now() {
        let a = journey(&[("find", "Find", &[1]), ("pay", "Pay", &[3])]);
        let b = journey(&[("find", "Find", &[2])]);
        let now = journey(&[
            ("find", "Find", &[4, 5]),
            ("pay", "Pay", &[]),
            ("new", "New", &[3]),
        ]);
        let rows = rows(&now, &[&a, &b]);
        assert_eq!(rows[0].change(), Some(3.5));
        assert_eq!(rows[0].now(), Some(4.5));
        assert_eq!(rows[1].change(), None, "no score now");
        assert_eq!(rows[2].change(), None, "no score before");
    }

    #[test]
    fn only_the_newest_earlier_versions_are_drawn_each_with_its_own_dashes() {
        let labels = Labels::default();
        let js: Vec<Journey> = (1..=6)
            .map(|e| journey(&[("a", "A", &[e.min(5)]), ("b", "B", &[3])]))
            .collect();
        let earlier: Vec<Version> = js[..5]
            .iter()
            .enumerate()
            .map(|(i, j)| version(&format!("v{i}"), j))
            .collect();
        let d = evolution(&version("Now", &js[5]), &earlier, &labels).unwrap();
        let texts: Vec<String> = d
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { class, lines, .. } if class.contains("cx-evolution-legend") => {
                    Some(lines.join(" "))
                }
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["v1", "v2", "v3", "v4", "Now"]);
        let mut dashes: Vec<Option<&str>> = d
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Series { dash, class, .. } if !class.is_empty() => Some(*dash),
                _ => None,
            })
            .collect();
        dashes.sort();
        dashes.dedup();
        assert_eq!(dashes.len(), MAX_EARLIER + 1, "{dashes:?}");
    }
}
