//! Text measurement with the bundled font's own metrics, so wrapping is the same on
//! every machine and matches what resvg draws.

use std::sync::LazyLock;

/// The bundled regular face (Inter, SIL Open Font License).
pub static REGULAR: &[u8] = include_bytes!("../../themes/default/static/fonts/Inter-Regular.otf");
/// The bundled semi-bold face.
pub static SEMIBOLD: &[u8] = include_bytes!("../../themes/default/static/fonts/Inter-SemiBold.otf");

/// The font family name used in SVG and CSS.
pub const FAMILY: &str = "Inter";

struct Metrics {
    /// Advance of the first 0x250 code points in font units (Latin, Latin-1, Latin Ext).
    table: Vec<u16>,
    /// Fallback for characters outside the table or without a glyph.
    fallback: u16,
    units_per_em: f32,
    /// The face, parsed once, for characters past the table.
    face: Option<ttf_parser::Face<'static>>,
}

impl Metrics {
    fn new(data: &'static [u8]) -> Metrics {
        let face = ttf_parser::Face::parse(data, 0).ok();
        let units_per_em = face
            .as_ref()
            .map_or(1000.0, |f| f32::from(f.units_per_em()));
        let advance = |c: char| -> Option<u16> {
            let f = face.as_ref()?;
            f.glyph_hor_advance(f.glyph_index(c)?)
        };
        let fallback = advance('n').unwrap_or((units_per_em * 0.55) as u16);
        let table = (0u32..0x250)
            .map(|cp| char::from_u32(cp).and_then(advance).unwrap_or(fallback))
            .collect();
        Metrics {
            table,
            fallback,
            units_per_em,
            face,
        }
    }

    fn advance(&self, c: char) -> u16 {
        if let Some(a) = self.table.get(c as usize) {
            return *a;
        }
        // Wide scripts (CJK, emoji) are about one em; others fall back to the face.
        if is_wide(c) {
            return self.units_per_em as u16;
        }
        self.face
            .as_ref()
            .and_then(|f| f.glyph_hor_advance(f.glyph_index(c)?))
            .unwrap_or(self.fallback)
    }
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0x1F300..=0x1FAFF | 0x20000..=0x3FFFD)
}

static REGULAR_METRICS: LazyLock<Metrics> = LazyLock::new(|| Metrics::new(REGULAR));
static SEMIBOLD_METRICS: LazyLock<Metrics> = LazyLock::new(|| Metrics::new(SEMIBOLD));

/// Weight of a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// 400
    Regular,
    /// 600
    SemiBold,
}

/// Width of `text` at `size` pixels.
pub fn width(text: &str, size: f32, weight: Weight) -> f32 {
    let m = metrics(weight);
    m.pixels(m.units(text), size)
}

fn metrics(weight: Weight) -> &'static Metrics {
    match weight {
        Weight::Regular => &REGULAR_METRICS,
        Weight::SemiBold => &SEMIBOLD_METRICS,
    }
}

impl Metrics {
    /// Width of `text` in font units: the sum of its characters' advances, so the
    /// width of two pieces adds up to the width of both together.
    fn units(&self, text: &str) -> u32 {
        text.chars().map(|c| self.char_units(c)).sum()
    }

    fn char_units(&self, c: char) -> u32 {
        if c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{FEFF}') {
            0
        } else {
            u32::from(self.advance(c))
        }
    }

    fn pixels(&self, units: u32, size: f32) -> f32 {
        units as f32 / self.units_per_em * size
    }
}

/// Greedy word wrap to `max` pixels; words longer than a line are broken.
///
/// Widths are kept in font units as lines grow (a line's width is the sum of its
/// pieces), so wrapping is linear in the length of the text.
pub fn wrap(text: &str, max: f32, size: f32, weight: Weight) -> Vec<String> {
    let m = metrics(weight);
    let fits = |units: u32| m.pixels(units, size) <= max;
    let space = m.char_units(' ');
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        let mut line_units = 0;
        for word in paragraph.split_whitespace() {
            let word_units = m.units(word);
            let candidate = if line.is_empty() {
                word_units
            } else {
                line_units + space + word_units
            };
            if fits(candidate) {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_units = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if fits(word_units) {
                line = word.to_string();
                line_units = word_units;
            } else {
                // Break the word itself, character by character.
                line_units = 0;
                for c in word.chars() {
                    let next = line_units + m.char_units(c);
                    if !fits(next) && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line.push(c);
                        line_units = m.char_units(c);
                    } else {
                        line.push(c);
                        line_units = next;
                    }
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    if lines.is_empty() && !text.trim().is_empty() {
        lines.push(text.trim().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_text_measures_wider() {
        let a = width("iii", 14.0, Weight::Regular);
        let b = width("WWW", 14.0, Weight::Regular);
        assert!(a > 0.0 && b > a * 2.0, "{a} {b}");
        assert!(width("Abc", 14.0, Weight::SemiBold) > width("Abc", 14.0, Weight::Regular));
    }

    #[test]
    fn wraps_without_losing_words_and_breaks_long_ones() {
        let text = "Searches light laptop on her phone and compares specifications";
        let lines = wrap(text, 120.0, 13.0, Weight::Regular);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        for l in &lines {
            assert!(width(l, 13.0, Weight::Regular) <= 120.0);
        }
        let long = "x".repeat(300);
        let lines = wrap(&long, 100.0, 13.0, Weight::Regular);
        assert!(lines.len() > 3);
        assert_eq!(lines.concat(), long);
    }
}

#[cfg(test)]
mod coverage {
    /// Every symbol a diagram draws by itself must exist in the bundled font, or PNG and
    /// PDF exports (which load only that font) would show empty boxes.
    #[test]
    fn the_bundled_font_has_every_symbol_diagrams_draw() {
        let face = ttf_parser::Face::parse(super::REGULAR, 0).unwrap();
        for c in [
            '✗', '→', '★', '◆', '▪', '•', '“', '”', '«', '»', '’', '·', 'ø', '−', '…', '–',
        ] {
            assert!(
                face.glyph_index(c).is_some(),
                "no glyph for {c} (U+{:04X})",
                c as u32
            );
        }
    }
}
