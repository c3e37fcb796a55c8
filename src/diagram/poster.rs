//! Journey → poster SVG: the map framed for a wall or a slide deck.
//!
//! A poster is one SVG: a header (state, title, summary, personas, scenario), the
//! journey map from [`crate::diagram::journey`] nested as it is, a legend that explains
//! the emotion scale and the markers (the map's own when it has one, else the
//! poster's), and a footer (owner, status, review date, site).
//! The poster is at least [`MIN_WIDTH`] wide and grows with the map; all text is
//! measured with the bundled font and wrapped, never clipped, and escaped by
//! [`crate::diagram::svg::write`].
//!
//! Posters are drawn with the bundled Inter only (see `crate::export`), so characters
//! Inter has no glyph for would show as empty boxes. The few marker symbols the map uses
//! that Inter lacks are drawn with the closest symbol it has ([`printable`]).

use std::sync::LazyLock;

use super::font::{self, Weight, wrap};
use super::palette::{
    self, INK, LANE as PANEL, LINE as LINE_GREY, MOMENT, MUTED, OPPORTUNITY, PAIN,
};
use super::{Anchor, Diagram, Labels, Shape, emotion_style, fill, rect, svg};
use crate::model::{Journey, Site};
use crate::text::capitalise;

/// The narrowest poster, so a map of two or three steps still gets a readable header.
pub const MIN_WIDTH: f32 = 960.0;

const MARGIN: f32 = 48.0;
/// The map draws its own padding around its lanes; the poster lets it stick out into
/// the margin so lanes line up with the header text.
const MAP_INSET: f32 = 16.0;
/// Paragraphs wider than this are hard to read, however wide the map is.
const MEASURE: f32 = 1100.0;

// The map's palette, so the poster and its legend show what the map shows.
const ACCENT: &str = palette::CURVE;
const AVATAR: &str = palette::STAGE;

/// Marker symbols the map uses that the bundled font has no glyph for, and the closest
/// symbol it has.
const STAND_INS: [(char, char); 2] = [
    ('✕', '✗'), // U+2715 multiplication x → U+2717 ballot x
    ('➜', '→'), // U+279C heavy round-tipped arrow → U+2192 rightwards arrow
];

static FACE: LazyLock<Option<ttf_parser::Face<'static>>> =
    LazyLock::new(|| ttf_parser::Face::parse(font::REGULAR, 0).ok());

/// `text` with the marker symbols the bundled font lacks replaced by its closest ones.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match STAND_INS.iter().find(|(from, _)| *from == c) {
            Some((_, to)) if !has_glyph(c) => *to,
            _ => c,
        })
        .collect()
}

fn has_glyph(c: char) -> bool {
    FACE.as_ref().is_some_and(|f| f.glyph_index(c).is_some())
}

/// The poster's horizontal measures: the whole width, the width between the margins,
/// and the width of a paragraph.
#[derive(Clone, Copy)]
struct Frame {
    width: f32,
    inner: f32,
    measure: f32,
}

/// The poster of a journey as a standalone SVG; `None` when it has no stages (no map).
pub fn journey(site: &Site, j: &Journey, labels: &Labels) -> Option<String> {
    let mut map = super::journey(j, &site.config, labels)?;
    printable_map(&mut map);

    let width = MIN_WIDTH.max(map.width - 2.0 * MAP_INSET + 2.0 * MARGIN);
    let inner = width - 2.0 * MARGIN;
    let measure = inner.min(MEASURE);
    let frame = Frame {
        width,
        inner,
        measure,
    };
    let mut shapes = vec![
        rect(0.0, 0.0, width, 0.0, 0.0, "cx-poster", "#ffffff", None), // height set below
        rect(0.0, 0.0, width, 10.0, 0.0, "cx-poster-band", ACCENT, None),
    ];
    let mut y = header(&mut shapes, site, j, labels, frame);
    if !j.personas.is_empty() {
        y = personas(&mut shapes, site, j, labels, y, frame);
    }
    if let Some(scenario) = &j.scenario {
        y = scenario_text(&mut shapes, scenario, labels, y, frame);
    }

    // The map, nested as it is.
    y = map_rule(&mut shapes, y, width);
    let map_at = (MARGIN - MAP_INSET, y);
    y += map.height + 16.0;

    // The legend: the map's own when it draws one (it lists the marks this journey
    // uses), else the poster's, so there is always exactly one.
    let map_has_legend = map.shapes.iter().any(
        |s| matches!(s, Shape::Rect { class, .. } if class.split(' ').any(|c| c == "cx-legend")),
    );
    if !map_has_legend {
        y = legend(&mut shapes, y, width, labels);
    }

    y = footer(&mut shapes, site, j, labels, y, frame);
    let height = y + 24.0;
    if let Some(Shape::Rect { h, .. }) = shapes.first_mut() {
        *h = height;
    }
    Some(assemble(&map, shapes, (width, height), map_at, j, labels))
}

/// Replaces the marker symbols the bundled font lacks in every text of the map.
fn printable_map(map: &mut Diagram) {
    for shape in &mut map.shapes {
        if let Shape::Text { lines, .. } = shape {
            for line in lines.iter_mut() {
                *line = printable(line);
            }
        }
    }
}

/// The header: what kind of map (site title and state), the journey's title and its
/// summary. Returns the top of what follows.
fn header(shapes: &mut Vec<Shape>, site: &Site, j: &Journey, labels: &Labels, f: Frame) -> f32 {
    let kind = &labels.poster.kinds[j.state.rank()];
    let eyebrow = format!("{} · {kind}", site.config.title);
    let mut y = paragraph(
        shapes,
        10.0 + 30.0,
        &eyebrow,
        f.inner,
        14.0,
        Weight::SemiBold,
        "cx-poster-eyebrow",
        ACCENT,
    );
    y += 10.0;
    y = paragraph(
        shapes,
        y,
        &j.title,
        f.inner,
        36.0,
        Weight::SemiBold,
        "cx-poster-title",
        INK,
    );
    if let Some(summary) = &j.summary {
        y = paragraph(
            shapes,
            y + 4.0,
            summary,
            f.measure,
            19.0,
            Weight::Regular,
            "cx-poster-summary",
            MUTED,
        );
    }
    y + 20.0
}

/// The personas: a heading, then each persona as an initials badge with name and role,
/// flowing across rows. Returns the top of what follows.
fn personas(
    shapes: &mut Vec<Shape>,
    site: &Site,
    j: &Journey,
    labels: &Labels,
    top: f32,
    f: Frame,
) -> f32 {
    let heading = &labels.poster.persona[usize::from(j.personas.len() != 1)];
    let mut y = heading_text(shapes, MARGIN, top, heading);
    let mut x = MARGIN;
    let mut row_h: f32 = 0.0;
    for id in &j.personas {
        let persona = site.persona(id);
        let name = persona.map_or_else(|| id.0.clone(), |p| p.name.clone());
        let initials = persona.map_or_else(|| name.chars().take(1).collect(), |p| p.initials());
        let text_w = (f.inner - 56.0).min(360.0);
        let name_lines = wrap(&printable(&name), text_w, 16.0, Weight::SemiBold);
        let role_lines = persona
            .and_then(|p| p.role.as_deref())
            .map_or_else(Vec::new, |r| {
                wrap(&printable(r), text_w, 13.0, Weight::Regular)
            });
        let w = 56.0
            + name_lines
                .iter()
                .map(|l| font::width(l, 16.0, Weight::SemiBold))
                .chain(
                    role_lines
                        .iter()
                        .map(|l| font::width(l, 13.0, Weight::Regular)),
                )
                .fold(0.0, f32::max);
        let h = (name_lines.len() as f32 * lh(16.0) + role_lines.len() as f32 * lh(13.0)).max(44.0);
        if x > MARGIN && x + w > f.width - MARGIN {
            x = MARGIN;
            y += row_h + 12.0;
            row_h = 0.0;
        }
        persona_badge(shapes, x, y, &initials, name_lines, role_lines);
        x += w + 36.0;
        row_h = row_h.max(h);
    }
    y + row_h + 22.0
}

/// One persona with its top left corner at (`x`, `y`): a round avatar with the
/// initials, the name beside it and the role below the name.
fn persona_badge(
    shapes: &mut Vec<Shape>,
    x: f32,
    y: f32,
    initials: &str,
    name_lines: Vec<String>,
    role_lines: Vec<String>,
) {
    shapes.push(Shape::Circle {
        cx: x + 22.0,
        cy: y + 22.0,
        r: 21.0,
        class: "cx-poster-avatar",
        fill: AVATAR.into(),
        stroke: AVATAR.into(),
    });
    shapes.push(Shape::Text {
        x: x + 22.0,
        y: y + 27.0,
        lines: vec![printable(initials)],
        size: 15.0,
        weight: Weight::SemiBold,
        anchor: Anchor::Middle,
        class: "cx-poster-initials",
        fill: ACCENT.into(),
    });
    let name_n = name_lines.len() as f32;
    shapes.push(text(
        x + 56.0,
        y + 17.0,
        name_lines,
        16.0,
        Weight::SemiBold,
        "cx-poster-persona",
        INK,
    ));
    if !role_lines.is_empty() {
        shapes.push(text(
            x + 56.0,
            y + 17.0 + name_n * lh(16.0),
            role_lines,
            13.0,
            Weight::Regular,
            "cx-poster-role",
            MUTED,
        ));
    }
}

/// The scenario: a heading and the paragraph. Returns the top of what follows.
fn scenario_text(
    shapes: &mut Vec<Shape>,
    scenario: &str,
    labels: &Labels,
    top: f32,
    f: Frame,
) -> f32 {
    let y = heading_text(shapes, MARGIN, top, &labels.poster.scenario);
    let y = paragraph(
        shapes,
        y,
        scenario,
        f.measure,
        16.0,
        Weight::Regular,
        "cx-poster-scenario",
        INK,
    );
    y + 22.0
}

/// The rule across the poster above the map. Returns the top of the map.
fn map_rule(shapes: &mut Vec<Shape>, y: f32, width: f32) -> f32 {
    shapes.push(Shape::Line {
        x1: MARGIN,
        y1: y,
        x2: width - MARGIN,
        y2: y,
        class: "cx-poster-rule",
        stroke: LINE_GREY.into(),
        dashed: false,
    });
    y + 8.0
}

/// The footer: who owns the map, its status, review date and tags, and where it comes
/// from (site and path). Returns the bottom of its last line.
fn footer(
    shapes: &mut Vec<Shape>,
    site: &Site,
    j: &Journey,
    labels: &Labels,
    top: f32,
    f: Frame,
) -> f32 {
    let Frame { width, inner, .. } = f;
    let meta = footer_meta(j, labels);
    let source = format!("{} · journeys/{}", site.config.title, j.id.0);
    let source_w = font::width(&printable(&source), 13.0, Weight::Regular);
    let y = top + 22.0;
    let meta_lines = wrap(
        &printable(&meta.join("  ·  ")),
        (inner - source_w - 32.0).max(inner / 2.0),
        13.0,
        Weight::Regular,
    );
    let meta_n = meta_lines.len() as f32;
    let meta_w = meta_lines
        .iter()
        .map(|l| font::width(l, 13.0, Weight::Regular))
        .fold(0.0, f32::max);
    if !meta_lines.is_empty() {
        shapes.push(text(
            MARGIN,
            y,
            meta_lines,
            13.0,
            Weight::Regular,
            "cx-poster-meta",
            MUTED,
        ));
    }
    // The source goes right-aligned when it fits beside the meta lines, else below them.
    let source_lines = wrap(&printable(&source), inner, 13.0, Weight::Regular);
    if meta_w + 32.0 + source_w <= inner && source_lines.len() == 1 {
        shapes.push(text(
            width - MARGIN - source_w,
            y,
            source_lines,
            13.0,
            Weight::Regular,
            "cx-poster-source",
            MUTED,
        ));
        y + meta_n.max(1.0) * lh(13.0)
    } else {
        let top = y + meta_n * lh(13.0);
        let n = source_lines.len() as f32;
        shapes.push(text(
            MARGIN,
            top,
            source_lines,
            13.0,
            Weight::Regular,
            "cx-poster-source",
            MUTED,
        ));
        top + n * lh(13.0)
    }
}

/// The footer's facts about the map, each in the words of the labels: owner, status,
/// review date, tags (those the journey has).
fn footer_meta(j: &Journey, labels: &Labels) -> Vec<String> {
    let mut meta = Vec::new();
    if let Some(owner) = &j.owner {
        meta.push(fill(&labels.poster.owner, &[("owner", owner)]));
    }
    if let Some(status) = &j.status {
        meta.push(fill(&labels.poster.status, &[("status", status)]));
    }
    if let Some(reviewed) = &j.reviewed {
        meta.push(fill(
            &labels.poster.reviewed,
            &[("date", &labels.date(*reviewed))],
        ));
    }
    if !j.tags.is_empty() {
        meta.push(fill(&labels.poster.tags, &[("tags", &j.tags.join(", "))]));
    }
    meta
}

/// The poster's SVG: the map's settings with the poster's size, title, description and
/// shapes, and the map itself nested at `map_at`.
fn assemble(
    map: &Diagram,
    shapes: Vec<Shape>,
    (width, height): (f32, f32),
    map_at: (f32, f32),
    j: &Journey,
    labels: &Labels,
) -> String {
    // The poster takes the map's settings and replaces what it draws.
    let mut poster = map.clone();
    poster.width = width;
    poster.height = height;
    poster.title = j.title.clone();
    poster.desc = fill(&labels.poster.desc, &[("map", &lower_first(&map.desc))]);
    poster.id_prefix = format!("cx-poster-{}-", crate::slug::slugify(&j.id.0));
    poster.shapes = shapes;
    let outer = svg::write(&poster);
    let body = outer.strip_suffix("</svg>").unwrap_or(&outer);
    format!(
        "{body}<g transform=\"translate({} {})\">\n{}\n</g>\n</svg>",
        svg::num(map_at.0),
        svg::num(map_at.1),
        svg::write(map)
    )
}

/// The legend panel: emotion scale and markers, flowing across rows. Returns the next top.
fn legend(shapes: &mut Vec<Shape>, top: f32, width: f32, labels: &Labels) -> f32 {
    let left = MARGIN;
    let right = width - MARGIN;
    let panel = shapes.len();
    shapes.push(rect(
        left,
        top,
        right - left,
        0.0,
        8.0,
        "cx-poster-legend",
        PANEL,
        None,
    ));
    let y = heading_text(shapes, left + 20.0, top + 20.0, &labels.poster.how_to_read) + 4.0;
    let x0 = left + 20.0;
    let x = legend_scale(shapes, x0, y, labels);
    let y = legend_markers(shapes, (x0, x), y, right, labels);
    let bottom = y + LEGEND_ROW + 14.0;
    if let Some(Shape::Rect { h, .. }) = shapes.get_mut(panel) {
        *h = bottom - top;
    }
    bottom
}

/// The height of a row of the poster's legend.
const LEGEND_ROW: f32 = 30.0;
/// The space between two entries of the poster's legend.
const LEGEND_GAP: f32 = 36.0;

/// The legend's emotion scale at (`x`, `y`): the lane's name, five markers as the map
/// draws them and what the ends mean. Returns where the next entry starts.
fn legend_scale(shapes: &mut Vec<Shape>, x: f32, y: f32, labels: &Labels) -> f32 {
    let scale_w = font::width(&labels.lanes[3], 13.0, Weight::SemiBold) + 12.0 + 5.0 * 28.0;
    let ends = printable(&format!(
        "1 {} … 5 {}",
        labels.emotions[1].to_lowercase(),
        labels.emotions[5].to_lowercase()
    ));
    let ends_w = font::width(&ends, 13.0, Weight::Regular);
    shapes.push(text(
        x,
        y + 19.0,
        vec![printable(&labels.lanes[3])],
        13.0,
        Weight::SemiBold,
        "cx-poster-legend-label",
        INK,
    ));
    let mut cx = x + font::width(&labels.lanes[3], 13.0, Weight::SemiBold) + 12.0 + 11.0;
    for e in 1..=5u8 {
        let (fill, class) = emotion_style(e);
        shapes.push(Shape::Circle {
            cx,
            cy: y + 15.0,
            r: 11.0,
            class,
            fill: fill.into(),
            stroke: ACCENT.into(),
        });
        shapes.push(Shape::Text {
            x: cx,
            y: y + 19.5,
            lines: vec![e.to_string()],
            size: 12.0,
            weight: Weight::SemiBold,
            anchor: Anchor::Middle,
            class: "cx-emotion-score",
            fill: INK.into(),
        });
        cx += 28.0;
    }
    shapes.push(text(
        x + scale_w + 4.0,
        y + 19.0,
        vec![ends],
        13.0,
        Weight::Regular,
        "cx-poster-legend-text",
        MUTED,
    ));
    x + scale_w + 4.0 + ends_w + LEGEND_GAP
}

/// The legend's markers, each a coloured symbol (a moment of truth: a small card) and
/// a word, starting at `x` on the row at `y` and wrapping back to `x0` before `right`.
/// Returns the top of the last row.
fn legend_markers(
    shapes: &mut Vec<Shape>,
    (x0, x): (f32, f32),
    y: f32,
    right: f32,
    labels: &Labels,
) -> f32 {
    let (mut x, mut y) = (x, y);
    let items = [
        ('✗', PAIN, labels.lanes[4].as_str(), false),
        ('→', OPPORTUNITY, labels.lanes[5].as_str(), false),
        ('★', INK, labels.moment_of_truth.as_str(), true),
        ('◆', INK, labels.evidence.as_str(), false),
        ('▪', MUTED, labels.lanes[6].as_str(), false),
    ];
    for (symbol, colour, word, card) in items {
        let word = capitalise(&printable(word));
        let symbol = printable(&symbol.to_string());
        let sym_w = if card {
            26.0
        } else {
            font::width(&symbol, 15.0, Weight::Regular) + 8.0
        };
        let w = sym_w + font::width(&word, 13.0, Weight::Regular);
        if x > x0 && x + w > right - 20.0 {
            x = x0;
            y += LEGEND_ROW;
        }
        if card {
            // A moment of truth is a card with a gold border and a star.
            shapes.push(rect(
                x,
                y + 4.0,
                20.0,
                22.0,
                4.0,
                "cx-card cx-moment",
                "#ffffff",
                Some(MOMENT),
            ));
            shapes.push(Shape::Text {
                x: x + 10.0,
                y: y + 20.0,
                lines: vec![symbol],
                size: 13.0,
                weight: Weight::Regular,
                anchor: Anchor::Middle,
                class: "cx-poster-legend-symbol",
                fill: colour.into(),
            });
        } else {
            shapes.push(text(
                x,
                y + 20.0,
                vec![symbol],
                15.0,
                Weight::Regular,
                "cx-poster-legend-symbol",
                colour,
            ));
        }
        shapes.push(text(
            x + sym_w,
            y + 19.0,
            vec![word],
            13.0,
            Weight::Regular,
            "cx-poster-legend-text",
            INK,
        ));
        x += w + LEGEND_GAP;
    }
    y
}

/// A small upper-case heading; returns the top of what follows.
fn heading_text(shapes: &mut Vec<Shape>, x: f32, y: f32, heading: &str) -> f32 {
    shapes.push(text(
        x,
        y + 12.0,
        vec![heading.to_uppercase()],
        12.0,
        Weight::SemiBold,
        "cx-poster-heading",
        MUTED,
    ));
    y + 12.0 + 10.0
}

/// Wrapped text whose top is `y`; returns the bottom of its last line.
#[allow(clippy::too_many_arguments)]
fn paragraph(
    shapes: &mut Vec<Shape>,
    y: f32,
    content: &str,
    max: f32,
    size: f32,
    weight: Weight,
    class: &'static str,
    fill: &str,
) -> f32 {
    let lines = wrap(&printable(content), max, size, weight);
    let n = lines.len() as f32;
    if n == 0.0 {
        return y;
    }
    // The baseline sits about 0.8 em below the top of the line box; later lines follow
    // the SVG writer's line height.
    let first = y + (lh(size) - size) / 2.0 + size * 0.8;
    shapes.push(text(MARGIN, first, lines, size, weight, class, fill));
    y + n * lh(size)
}

/// The line height the SVG writer uses for `size`.
fn lh(size: f32) -> f32 {
    (size * 1.3).round()
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_lowercase().chain(chars).collect::<String>()
    })
}

/// Left-aligned text: the poster's only alignment.
fn text(
    x: f32,
    y: f32,
    lines: Vec<String>,
    size: f32,
    weight: Weight,
    class: &'static str,
    fill: &str,
) -> Shape {
    super::text(x, y, lines, size, weight, Anchor::Start, class, fill)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_inter_lacks_get_stand_ins() {
        assert_eq!(
            printable("✕ Long wait ➜ Call-back"),
            "✗ Long wait → Call-back"
        );
        assert_eq!(printable("★ ◆ ▪ María"), "★ ◆ ▪ María");
        for (_, to) in STAND_INS {
            assert!(has_glyph(to), "{to}");
        }
    }

    #[test]
    fn own_legend_explains_every_marker_within_the_poster() {
        let labels = Labels::default();
        let mut shapes = Vec::new();
        let bottom = legend(&mut shapes, 100.0, MIN_WIDTH, &labels);
        assert!(bottom > 100.0);
        let texts: Vec<String> = shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { lines, .. } => Some(lines.join(" ")),
                _ => None,
            })
            .collect();
        for word in [
            &labels.lanes[4],
            &labels.lanes[5],
            &labels.moment_of_truth,
            &labels.lanes[6],
        ] {
            assert!(texts.contains(&capitalise(word)), "{word}: {texts:?}");
        }
        for e in 1..=5 {
            assert!(texts.contains(&e.to_string()), "{e}");
        }
        for s in &shapes {
            if let Shape::Text { x, lines, size, .. } = s {
                let w = lines
                    .iter()
                    .map(|l| font::width(l, *size, Weight::Regular))
                    .fold(0.0, f32::max);
                assert!(x + w <= MIN_WIDTH - MARGIN, "{lines:?} sticks out");
            }
        }
    }
}
