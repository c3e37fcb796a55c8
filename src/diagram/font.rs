//! Text measurement with the bundled font's own metrics, so wrapping is the same on
//! every machine and matches what resvg draws.
//!
//! A site may add fonts of its own (`fonts/`, [`SiteFonts`]) for the characters Inter
//! lacks (Japanese, Hebrew, emoji…); while a caller draws inside [`with_site_fonts`],
//! those characters are measured with the advance widths of the font that will draw
//! them. Text Inter has is measured exactly as without site fonts.

use std::cell::RefCell;
use std::sync::{Arc, LazyLock};

use crate::diag::Diagnostic;

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
    /// The face's weight (400, 600), to pick the closest site font for what it lacks.
    weight: u16,
}

impl Metrics {
    fn new(data: &'static [u8], weight: u16) -> Metrics {
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
            weight,
        }
    }

    fn advance(&self, c: char) -> u16 {
        if let Some(a) = self.table.get(c as usize) {
            return *a;
        }
        let own = self
            .face
            .as_ref()
            .and_then(|f| f.glyph_hor_advance(f.glyph_index(c)?));
        // What Inter lacks is drawn by a site font when one has it: measure that one.
        if own.is_none()
            && let Some(a) = site_advance(c, self.weight, self.units_per_em)
        {
            return a;
        }
        // Wide scripts (CJK, emoji) are about one em; others fall back to the face.
        if is_wide(c) {
            return self.units_per_em as u16;
        }
        own.unwrap_or(self.fallback)
    }
}

/// Whether the bundled Inter has a glyph for `c`.
pub fn bundled_has(c: char) -> bool {
    REGULAR_METRICS
        .face
        .as_ref()
        .is_some_and(|f| f.glyph_index(c).is_some())
}

/// The fonts of a site's `fonts/` folder, parsed: every face of every file (a `.ttc`
/// holds several), in path order, which is the order they are tried in after Inter.
#[derive(Debug, Clone, Default)]
pub struct SiteFonts {
    files: Vec<Arc<Vec<u8>>>,
    faces: Vec<SiteFace>,
}

#[derive(Debug, Clone)]
struct SiteFace {
    /// Index into `SiteFonts::files`.
    file: usize,
    /// The face's index in its file.
    index: u32,
    weight: u16,
}

impl SiteFonts {
    /// Parses the font files `load` read, as (path from the site root, bytes); a file
    /// that holds no face cxmap can read is skipped with a warning.
    pub fn new(files: &[(String, Vec<u8>)]) -> (SiteFonts, Vec<Diagnostic>) {
        let mut fonts = SiteFonts::default();
        let mut problems = Vec::new();
        for (path, bytes) in files {
            let count = ttf_parser::fonts_in_collection(bytes).unwrap_or(1);
            let faces: Vec<SiteFace> = (0..count)
                .filter_map(|index| {
                    let face = ttf_parser::Face::parse(bytes, index).ok()?;
                    Some(SiteFace {
                        file: fonts.files.len(),
                        index,
                        weight: face.weight().to_number(),
                    })
                })
                .collect();
            if faces.is_empty() {
                problems.push(
                    Diagnostic::warning(path, "not a font cxmap can read; skipped")
                        .help("give TrueType or OpenType fonts (`.ttf`, `.otf`, `.ttc`)"),
                );
                continue;
            }
            fonts.faces.extend(faces);
            fonts.files.push(Arc::new(bytes.clone()));
        }
        (fonts, problems)
    }

    /// Whether the site has no usable font.
    pub fn is_empty(&self) -> bool {
        self.faces.is_empty()
    }

    /// The font files with at least one usable face, in path order, for a font database.
    pub fn files(&self) -> &[Arc<Vec<u8>>] {
        &self.files
    }

    /// Whether one of the site's fonts has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.faces.iter().any(|f| {
            self.parse(f)
                .is_some_and(|face| face.glyph_index(c).is_some())
        })
    }

    fn parse(&self, f: &SiteFace) -> Option<ttf_parser::Face<'_>> {
        ttf_parser::Face::parse(self.files.get(f.file)?, f.index).ok()
    }

    /// The advance of `c` in the site face of the weight closest to `weight` that has
    /// it (the first such face on a tie), scaled to `units_per_em`.
    fn advance(&self, c: char, weight: u16, units_per_em: f32) -> Option<u16> {
        let mut best: Option<(u16, u16)> = None;
        for f in &self.faces {
            let distance = f.weight.abs_diff(weight);
            if best.is_some_and(|(d, _)| d <= distance) {
                continue;
            }
            let Some(face) = self.parse(f) else { continue };
            let Some(advance) = face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g)) else {
                continue;
            };
            let scaled = f32::from(advance) * units_per_em / f32::from(face.units_per_em());
            best = Some((distance, scaled.round().min(f32::from(u16::MAX)) as u16));
        }
        best.map(|(_, a)| a)
    }
}

thread_local! {
    /// The site fonts of the drawing under way on this thread (see [`with_site_fonts`]).
    static SITE_FONTS: RefCell<Option<Arc<SiteFonts>>> = const { RefCell::new(None) };
}

/// Runs `draw` with `fonts` measuring what Inter lacks, on this thread.
///
/// Every layout function measures through [`width`] and [`wrap`]; the fonts are a
/// scope around a drawing rather than a parameter of each, so the dozen diagram
/// layouts keep one signature whether a site has fonts or not. The scope is this
/// thread's only: a caller that draws on several threads opens it on each.
pub fn with_site_fonts<R>(fonts: &Arc<SiteFonts>, draw: impl FnOnce() -> R) -> R {
    /// Puts the earlier fonts back, also when `draw` panics.
    struct Restore(Option<Arc<SiteFonts>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let earlier = self.0.take();
            SITE_FONTS.with(|s| *s.borrow_mut() = earlier);
        }
    }
    let earlier = SITE_FONTS.with(|s| s.borrow_mut().replace(Arc::clone(fonts)));
    let _restore = Restore(earlier);
    draw()
}

fn site_advance(c: char, weight: u16, units_per_em: f32) -> Option<u16> {
    SITE_FONTS.with(|s| {
        s.borrow()
            .as_ref()
            .and_then(|fonts| fonts.advance(c, weight, units_per_em))
    })
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0x1F300..=0x1FAFF | 0x20000..=0x3FFFD)
}

static REGULAR_METRICS: LazyLock<Metrics> = LazyLock::new(|| Metrics::new(REGULAR, 400));
static SEMIBOLD_METRICS: LazyLock<Metrics> = LazyLock::new(|| Metrics::new(SEMIBOLD, 600));

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
