//! The empathy map: what a persona says, thinks, does and feels, in four quadrants
//! around them.

use super::font::{Weight, wrap};
use super::palette::*;
use super::{Anchor, Diagram, Labels, Shape, id_prefix, line_height, rect, text};
use crate::model::Persona;

const PAD: f32 = 16.0;
const Q_W: f32 = 320.0;
const GAP: f32 = 10.0;
const INNER: f32 = 16.0;
const TEXT: f32 = 13.0;

/// Lays out the empathy map; `None` when all four quadrants are empty.
pub fn empathy(p: &Persona, labels: &Labels) -> Option<Diagram> {
    if p.empathy.is_empty() {
        return None;
    }
    let quadrants = [
        &p.empathy.says,
        &p.empathy.thinks,
        &p.empathy.does,
        &p.empathy.feels,
    ];
    let bodies: Vec<Vec<String>> = quadrants
        .iter()
        .map(|items| {
            items
                .iter()
                .flat_map(|i| wrap(&format!("• {i}"), Q_W - 2.0 * INNER, TEXT, Weight::Regular))
                .collect()
        })
        .collect();
    let head = 34.0;
    let row_h = |a: usize, b: usize| {
        (head + INNER + bodies[a].len().max(bodies[b].len()).max(1) as f32 * line_height(TEXT))
            .max(130.0)
    };
    let rows = [row_h(0, 1), row_h(2, 3)];
    let mut shapes = Vec::new();
    for (i, body) in bodies.into_iter().enumerate() {
        let col = (i % 2) as f32;
        let row = i / 2;
        let x = PAD + col * (Q_W + GAP);
        let y = PAD + if row == 0 { 0.0 } else { rows[0] + GAP };
        shapes.push(rect(
            x,
            y,
            Q_W,
            rows[row],
            8.0,
            "cx-quadrant",
            LANE,
            Some(LINE),
        ));
        shapes.push(text(
            x + INNER,
            y + 24.0,
            vec![labels.empathy[i].clone()],
            14.0,
            Weight::SemiBold,
            Anchor::Start,
            "cx-quadrant-title",
            INK,
        ));
        if !body.is_empty() {
            shapes.push(text(
                x + INNER,
                y + head + INNER,
                body,
                TEXT,
                Weight::Regular,
                Anchor::Start,
                "cx-quadrant-text",
                INK,
            ));
        }
    }
    let width = 2.0 * PAD + 2.0 * Q_W + GAP;
    let height = 2.0 * PAD + rows[0] + rows[1] + GAP;
    let (cx, cy) = (width / 2.0, PAD + rows[0] + GAP / 2.0);
    shapes.push(Shape::Circle {
        cx,
        cy,
        r: 26.0,
        class: "cx-persona-dot",
        fill: CURVE.into(),
        stroke: "#ffffff".into(),
    });
    shapes.push(text(
        cx,
        cy + 6.0,
        vec![p.initials()],
        16.0,
        Weight::SemiBold,
        Anchor::Middle,
        "cx-persona-initials",
        "#ffffff",
    ));
    let count = |v: &Vec<String>| v.len().to_string();
    Some(Diagram {
        width,
        height,
        title: super::fill(&labels.empathy_title, &[("name", &p.name)]),
        desc: super::fill(
            &labels.empathy_desc,
            &[
                ("name", &p.name),
                ("says", &count(&p.empathy.says)),
                ("thinks", &count(&p.empathy.thinks)),
                ("does", &count(&p.empathy.does)),
                ("feels", &count(&p.empathy.feels)),
            ],
        ),
        id_prefix: id_prefix(&format!("{}-empathy", p.id.0)),
        class: "cx-empathy",
        shapes,
    })
}
