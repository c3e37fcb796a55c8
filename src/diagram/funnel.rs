//! The funnel: how many customers are left after each stage, from the stages'
//! `dropoff` shares.

use super::font::{Weight, wrap};
use super::palette::*;
use super::{Anchor, Diagram, Labels, id_prefix, line_height, rect, text};
use crate::model::Journey;

const PAD: f32 = 16.0;
const NAME_W: f32 = 190.0;
const BAR_W: f32 = 420.0;
const FIGURE_W: f32 = 170.0;
const ROW: f32 = 40.0;

/// Lays out the funnel; `None` when no stage of the journey has a `dropoff`.
pub fn funnel(j: &Journey, labels: &Labels) -> Option<Diagram> {
    if j.stages.iter().all(|s| s.dropoff.is_none()) {
        return None;
    }
    let mut shapes = Vec::new();
    let mut y = PAD;
    let mut remaining = 1.0_f64;
    let centre = PAD + NAME_W + BAR_W / 2.0;
    let mut desc = Vec::new();
    for stage in j.stages.iter() {
        let name = wrap(&stage.name, NAME_W - 12.0, 13.0, Weight::SemiBold);
        let h = ROW.max(12.0 + name.len() as f32 * line_height(13.0));
        let w = (BAR_W as f64 * remaining).max(2.0) as f32;
        shapes.push(text(
            PAD,
            y + h / 2.0 + 4.5 - (name.len() as f32 - 1.0) * line_height(13.0) / 2.0,
            name,
            13.0,
            Weight::SemiBold,
            Anchor::Start,
            "cx-funnel-name",
            INK,
        ));
        shapes.push(rect(
            centre - w / 2.0,
            y + 6.0,
            w,
            h - 12.0,
            4.0,
            "cx-funnel-bar",
            CURVE,
            None,
        ));
        let after = remaining * (1.0 - stage.dropoff.unwrap_or(0.0));
        let figure = match stage.dropoff {
            Some(d) => format!("{} → {} (−{})", pct(remaining), pct(after), pct(d)),
            None => pct(remaining),
        };
        desc.push(format!("{}: {}", stage.name, figure));
        shapes.push(text(
            PAD + NAME_W + BAR_W + 12.0,
            y + h / 2.0 + 4.5,
            vec![figure],
            13.0,
            Weight::Regular,
            Anchor::Start,
            "cx-funnel-figure",
            INK,
        ));
        remaining = after;
        y += h;
    }
    shapes.push(text(
        PAD + NAME_W + BAR_W + 12.0,
        y + 18.0,
        vec![format!("{} {}", pct(remaining), labels.remain)],
        13.0,
        Weight::SemiBold,
        Anchor::Start,
        "cx-funnel-figure",
        INK,
    ));
    y += 28.0;
    Some(Diagram {
        width: PAD * 2.0 + NAME_W + BAR_W + FIGURE_W + 12.0,
        height: y + PAD,
        title: super::fill(&labels.funnel_title, &[("title", &j.title)]),
        desc: super::fill(&labels.funnel_desc, &[("stages", &desc.join("; "))]),
        id_prefix: id_prefix(&format!("{}-funnel", j.id.0)),
        class: "cx-funnel",
        shapes,
    })
}

fn pct(share: f64) -> String {
    format!("{} %", (share * 100.0).round() as i64)
}
