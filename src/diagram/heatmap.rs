//! The channel × stage heat map across all journeys: in each cell, how many steps
//! happen in that channel and stage, and their mean emotion.

use std::collections::BTreeMap;

use super::font::{Weight, wrap};
use super::palette::*;
use super::{Anchor, Diagram, Labels, emotion_style, id_prefix, line_height, rect, text};
use crate::model::Site;

const PAD: f32 = 16.0;
const ROW_LABEL: f32 = 160.0;
const COL: f32 = 118.0;
const CELL_H: f32 = 48.0;

/// One cell: the steps counted and the sum of their scores.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cell {
    /// Steps in this channel and stage.
    pub steps: usize,
    /// Steps with a score.
    pub scored: usize,
    /// Sum of the scores.
    pub sum: u32,
}

impl Cell {
    /// Mean emotion, when any step has a score.
    pub fn mean(&self) -> Option<f64> {
        (self.scored > 0).then(|| f64::from(self.sum) / self.scored as f64)
    }
}

/// The counts behind the heat map: stage names in order of first appearance (by
/// stage id), channel labels sorted, and the cells by (channel, stage) index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matrix {
    /// (stage id, stage name), in order of first appearance.
    pub stages: Vec<(String, String)>,
    /// Channel labels, sorted.
    pub channels: Vec<String>,
    /// Cells by (channel index, stage index).
    pub cells: BTreeMap<(usize, usize), Cell>,
}

/// Counts steps by channel and stage over the whole site.
pub fn matrix(site: &Site) -> Matrix {
    let mut m = Matrix::default();
    let mut channels: Vec<String> = site
        .journeys
        .iter()
        .flat_map(|j| j.steps().filter_map(|(_, s)| s.channel_label.clone()))
        .collect();
    channels.sort();
    channels.dedup();
    m.channels = channels;
    for j in &site.journeys {
        for stage in j.stages.iter() {
            let col = match m.stages.iter().position(|(id, _)| *id == stage.id) {
                Some(i) => i,
                None => {
                    m.stages.push((stage.id.clone(), stage.name.clone()));
                    m.stages.len() - 1
                }
            };
            for step in &stage.steps {
                let Some(label) = &step.channel_label else {
                    continue;
                };
                let Ok(row) = m.channels.binary_search(label) else {
                    continue;
                };
                let cell = m.cells.entry((row, col)).or_default();
                cell.steps += 1;
                if let Some(e) = step.emotion {
                    cell.scored += 1;
                    cell.sum += u32::from(e);
                }
            }
        }
    }
    m
}

/// Lays out the heat map; `None` when no step names a channel.
pub fn heatmap(site: &Site, labels: &Labels) -> Option<Diagram> {
    let m = matrix(site);
    if m.cells.is_empty() {
        return None;
    }
    let mut shapes = Vec::new();
    let headers: Vec<Vec<String>> = m
        .stages
        .iter()
        .map(|(_, n)| wrap(n, COL - 12.0, 12.0, Weight::SemiBold))
        .collect();
    let head_h = 12.0 + headers.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_height(12.0);
    for (i, h) in headers.into_iter().enumerate() {
        let x = PAD + ROW_LABEL + i as f32 * COL + COL / 2.0;
        shapes.push(text(
            x,
            PAD + 14.0,
            h,
            12.0,
            Weight::SemiBold,
            Anchor::Middle,
            "cx-heat-stage",
            INK,
        ));
    }
    let mut y = PAD + head_h;
    for (row, channel) in m.channels.iter().enumerate() {
        let name = wrap(channel, ROW_LABEL - 16.0, 13.0, Weight::SemiBold);
        let h = CELL_H.max(16.0 + name.len() as f32 * line_height(13.0));
        shapes.push(text(
            PAD,
            y + 20.0,
            name,
            13.0,
            Weight::SemiBold,
            Anchor::Start,
            "cx-heat-channel",
            INK,
        ));
        for col in 0..m.stages.len() {
            let x = PAD + ROW_LABEL + col as f32 * COL;
            match m.cells.get(&(row, col)) {
                Some(cell) => {
                    let (fill, class) = match cell.mean() {
                        Some(mean) => {
                            let score = mean.round() as u8;
                            let class = match score {
                                1 | 2 => "cx-heat-cell cx-emotion-low",
                                3 => "cx-heat-cell cx-emotion-neutral",
                                _ => "cx-heat-cell cx-emotion-high",
                            };
                            (emotion_style(score).0, class)
                        }
                        None => (LANE, "cx-heat-cell"),
                    };
                    shapes.push(rect(
                        x + 2.0,
                        y + 2.0,
                        COL - 4.0,
                        h - 4.0,
                        4.0,
                        class,
                        fill,
                        Some(LINE),
                    ));
                    let word = &labels.steps[usize::from(cell.steps != 1)];
                    let mut lines = vec![format!("{} {word}", cell.steps)];
                    if let Some(mean) = cell.mean() {
                        lines.push(format!("ø {}", labels.one_decimal(mean, false)));
                    }
                    shapes.push(text(
                        x + COL / 2.0,
                        y + 20.0,
                        lines,
                        12.0,
                        Weight::Regular,
                        Anchor::Middle,
                        "cx-heat-text",
                        INK,
                    ));
                }
                None => shapes.push(rect(
                    x + 2.0,
                    y + 2.0,
                    COL - 4.0,
                    h - 4.0,
                    4.0,
                    "cx-heat-empty",
                    "#ffffff",
                    Some(LINE),
                )),
            }
        }
        y += h;
    }
    let cells = m.cells.len();
    Some(Diagram {
        width: 2.0 * PAD + ROW_LABEL + m.stages.len() as f32 * COL,
        height: y + PAD,
        title: labels.heatmap_title.clone(),
        desc: super::fill(
            &labels.heatmap_desc,
            &[
                ("channels", &m.channels.len().to_string()),
                ("stages", &m.stages.len().to_string()),
                ("cells", &cells.to_string()),
            ],
        ),
        id_prefix: id_prefix("heatmap"),
        class: "cx-heatmap",
        shapes,
    })
}
