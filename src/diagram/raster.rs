//! Posters and pages as pictures: poster SVG (or any page SVG cxmap draws) parsed once
//! into a usvg tree, rasterised to PNG by resvg and written as vector PDF by krilla-svg.
//!
//! In: SVG text from [`super::poster`] or the report's page layout. Out: PNG or PDF
//! bytes, or the parsed tree for a document that draws it among other pages. Only the
//! bundled Inter faces and the site's own fonts (`fonts/`, [`font::SiteFonts`], after
//! Inter, for the characters it lacks) are in the font database, never the system's
//! fonts, so a poster looks the same on every machine; no clock or random id reaches
//! the bytes, so the same SVG gives the same file. Nothing here reads or writes a file.

use std::sync::{Arc, LazyLock};

use resvg::{tiny_skia, usvg};

use super::font;
use crate::error::{Error, Result};

/// The longest side of a PNG poster, in pixels; wider maps are drawn at a smaller scale.
pub const MAX_PIXELS: f32 = 16384.0;

/// The fonts a poster may use when the site has none of its own: the bundled Inter
/// faces and nothing else.
static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(bundled);

/// A font database with the bundled Inter faces, the generic families pointing at it.
fn bundled() -> Arc<usvg::fontdb::Database> {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(font::REGULAR.to_vec());
    db.load_font_data(font::SEMIBOLD.to_vec());
    // Generic families resolve to Inter too, so nothing falls through to another font.
    db.set_sans_serif_family(font::FAMILY);
    db.set_serif_family(font::FAMILY);
    db.set_monospace_family(font::FAMILY);
    db.set_cursive_family(font::FAMILY);
    db.set_fantasy_family(font::FAMILY);
    Arc::new(db)
}

/// The fonts posters of one site are drawn with: the bundled Inter first, then the
/// site's own fonts in path order. Made once per export or report and shared.
#[derive(Clone)]
pub struct Fonts {
    db: Arc<usvg::fontdb::Database>,
}

impl Fonts {
    /// The bundled Inter only.
    pub fn bundled() -> Fonts {
        Fonts {
            db: Arc::clone(&FONTS),
        }
    }

    /// The bundled Inter, then `site`'s fonts for what Inter lacks.
    pub fn new(site: &font::SiteFonts) -> Fonts {
        if site.is_empty() {
            return Fonts::bundled();
        }
        let mut db = bundled();
        let inner = Arc::make_mut(&mut db);
        for file in site.files() {
            // Shared, not copied: fontdb keeps the bytes behind the same `Arc`.
            inner.load_font_source(usvg::fontdb::Source::Binary(Arc::clone(file) as _));
        }
        Fonts { db }
    }
}

/// Picks the font for a character the text's own font lacks: among the faces of the
/// database that have it (Inter first, then the site's in path order), the one of the
/// closest weight, so semi-bold headings take a site font's bold face when it has one.
/// usvg's own choice takes the first face that has the character, whatever its weight.
fn fallback(
    c: char,
    used: &[usvg::fontdb::ID],
    db: &mut Arc<usvg::fontdb::Database>,
) -> Option<usvg::fontdb::ID> {
    let weight = used
        .first()
        .and_then(|id| db.face(*id))
        .map_or(400, |f| f.weight.0);
    let mut best: Option<(u16, usvg::fontdb::ID)> = None;
    for face in db.faces() {
        if used.contains(&face.id) {
            continue;
        }
        let distance = face.weight.0.abs_diff(weight);
        if best.is_some_and(|(d, _)| d <= distance) || !has_char(db, face.id, c) {
            continue;
        }
        best = Some((distance, face.id));
    }
    best.map(|(_, id)| id)
}

fn has_char(db: &usvg::fontdb::Database, id: usvg::fontdb::ID, c: char) -> bool {
    db.with_face_data(id, |data, index| {
        ttf_parser::Face::parse(data, index).is_ok_and(|f| f.glyph_index(c).is_some())
    }) == Some(true)
}

/// A poster parsed once, ready to be rasterised or written as PDF.
pub struct Poster {
    tree: usvg::Tree,
}

impl Poster {
    /// Parses poster SVG with the bundled fonts only.
    pub fn parse(svg: &str) -> Result<Poster> {
        Poster::parse_with(svg, &Fonts::bundled())
    }

    /// Parses poster SVG with `fonts`: the bundled Inter, then the site's own.
    pub fn parse_with(svg: &str, fonts: &Fonts) -> Result<Poster> {
        let options = usvg::Options {
            font_family: font::FAMILY.to_string(),
            fontdb: Arc::clone(&fonts.db),
            font_resolver: usvg::FontResolver {
                select_font: usvg::FontResolver::default_font_selector(),
                select_fallback: Box::new(fallback),
            },
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &options).map_err(|e| Error::Export {
            message: format!("the poster SVG cannot be read: {e}"),
        })?;
        Ok(Poster { tree })
    }

    /// The parsed tree, for documents that draw it among other pages (the report).
    pub fn tree(&self) -> &usvg::Tree {
        &self.tree
    }

    /// Width and height in SVG units (PDF points).
    pub fn size(&self) -> (f32, f32) {
        (self.tree.size().width(), self.tree.size().height())
    }

    /// The poster as PNG, `scale` pixels per unit (less when the longer side would pass
    /// [`MAX_PIXELS`]). No text chunk is added: what marks a file as cxmap's is the
    /// writer's business (`write::mark_png`).
    pub fn png(&self, scale: f32) -> Result<Vec<u8>> {
        let (w, h) = self.size();
        let scale = scale.min(MAX_PIXELS / w.max(h));
        let (pw, ph) = ((w * scale).ceil() as u32, (h * scale).ceil() as u32);
        let mut pixmap = tiny_skia::Pixmap::new(pw, ph).ok_or_else(|| Error::Export {
            message: format!("a {pw}×{ph} pixel poster is too large to draw"),
        })?;
        resvg::render(
            &self.tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        let png = pixmap.encode_png().map_err(|e| Error::Export {
            message: format!("the poster cannot be encoded as PNG: {e}"),
        })?;
        Ok(png)
    }

    /// The poster as a one-page vector PDF, one point per unit, with `title` and `lang`
    /// (an RFC 3066 tag) in its metadata. No creation date is written, and the document
    /// id is a hash of the content, so the bytes depend on the poster only.
    pub fn pdf(&self, title: &str, lang: &str) -> Result<Vec<u8>> {
        use krilla::Document;
        use krilla::geom::Size;
        use krilla::metadata::Metadata;
        use krilla::page::PageSettings;
        use krilla_svg::{SurfaceExt, SvgSettings};

        let (w, h) = self.size();
        let failed = |what: &str| Error::Export {
            message: format!("the poster cannot be written as PDF: {what}"),
        };
        let mut document = Document::new();
        let settings = PageSettings::from_wh(w, h).ok_or_else(|| failed("empty page"))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let size = Size::from_wh(w, h).ok_or_else(|| failed("empty page"))?;
        surface
            .draw_svg(&self.tree, size, SvgSettings::default())
            .ok_or_else(|| failed("the SVG cannot be drawn"))?;
        surface.finish();
        page.finish();
        document.set_metadata(
            Metadata::new()
                .title(title.to_string())
                .language(lang.to_string())
                // How an earlier poster is recognised, and replaced without asking.
                .creator("cxmap".to_string()),
        );
        document.finish().map_err(|e| failed(&format!("{e:?}")))
    }
}

/// Poster SVG → PNG at `scale` pixels per unit.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>> {
    Poster::parse(svg)?.png(scale)
}

/// Poster SVG → vector PDF with `title` and `lang` in its metadata.
pub fn pdf(svg: &str, title: &str, lang: &str) -> Result<Vec<u8>> {
    Poster::parse(svg)?.pdf(title, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poster_fonts_are_the_bundled_ones_only() {
        let families: Vec<String> = FONTS
            .faces()
            .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
            .collect();
        assert_eq!(FONTS.len(), 2);
        assert!(families.iter().all(|f| f == font::FAMILY), "{families:?}");
    }
}
