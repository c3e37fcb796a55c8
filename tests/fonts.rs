//! Text in any script: the site's own fonts (`fonts/`) draw what the bundled Inter
//! lacks in posters and report PDFs, wrapping measures them, and characters no font
//! has are a warning.
//!
//! The fixture `scripts` has a journey partly in Hebrew and a subset of DejaVu Sans
//! (its licence next to it) with only the Hebrew letters the journey uses; the
//! Japanese in one stage name is in no font.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cxmap::diagram::font::{self, SiteFonts, Weight};
use cxmap::diagram::raster::{Fonts, Poster};
use cxmap::export::{self, Format, Request};

const SITE: &str = "scripts";

fn site_fonts(root: &Path) -> SiteFonts {
    let files = cxmap::load::fonts(root, &mut cxmap::diag::Diagnostics::new()).unwrap();
    assert_eq!(files.len(), 1, "the licence file is not a font");
    let (fonts, problems) = SiteFonts::new(&files);
    assert!(problems.is_empty());
    fonts
}

fn export(root: &Path, format: Format) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let request = Request {
        out: Some(dir.path().to_path_buf()),
        scale: 1.0,
        ..Request::new(format)
    };
    let outcome = export::run(root, &request, &|_| {}).expect("export");
    assert!(!outcome.diagnostics.has_errors());
    let path = outcome.written[0].clone();
    (dir, path)
}

#[test]
fn site_fonts_draw_what_inter_lacks() {
    let fonts = Fonts::new(&site_fonts(&common::fixture(SITE)));
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="20" font-family="Inter" font-size="14">Hi שלום</text></svg>"#;
    let glyphs = |poster: &Poster| {
        let mut out = Vec::new();
        for node in poster.tree().root().children() {
            if let resvg::usvg::Node::Text(text) = node {
                for span in text.layouted() {
                    out.extend(span.positioned_glyphs.iter().map(|g| (g.id.0, g.font)));
                }
            }
        }
        out
    };
    let with = glyphs(&Poster::parse_with(svg, &fonts).unwrap());
    // "Hi", a space and four Hebrew letters, none of them `.notdef` (glyph 0).
    assert_eq!(with.len(), 7, "{with:?}");
    assert!(with.iter().all(|(id, _)| *id != 0), "{with:?}");
    let inter = with[0].1;
    assert_eq!(with.iter().filter(|(_, f)| *f != inter).count(), 4);
    // Without the site's fonts the Hebrew letters are boxes.
    let without = glyphs(&Poster::parse(svg).unwrap());
    assert!(without.iter().any(|(id, _)| *id == 0), "{without:?}");
}

#[test]
fn wrapping_measures_with_the_site_font_and_leaves_latin_alone() {
    let fonts = Arc::new(site_fonts(&common::fixture(SITE)));
    let latin = "Reads the offer";
    let hebrew = "הזמנה חדשה";
    let before = (
        font::width(latin, 13.0, Weight::Regular),
        font::width(hebrew, 13.0, Weight::Regular),
    );
    let after = font::with_site_fonts(&fonts, || {
        (
            font::width(latin, 13.0, Weight::Regular),
            font::width(hebrew, 13.0, Weight::Regular),
        )
    });
    assert_eq!(
        before.0.to_bits(),
        after.0.to_bits(),
        "Latin measured as ever"
    );
    assert_ne!(before.1, after.1, "Hebrew measured with DejaVu's advances");
    // The scope ends with the call.
    assert_eq!(
        font::width(hebrew, 13.0, Weight::Regular).to_bits(),
        before.1.to_bits()
    );
}

#[test]
fn pdf_poster_has_the_text_and_embeds_the_site_font() {
    let (_dir, pdf) = export(&common::fixture(SITE), Format::Pdf);
    let text = common::pdftotext(&pdf);
    for word in ["שלום", "הזמנה", "תודה"] {
        assert!(text.contains(word), "`{word}` not in the PDF text:\n{text}");
    }
    let out = std::process::Command::new("pdffonts")
        .arg(&pdf)
        .output()
        .expect("`pdffonts` runs (poppler-utils)");
    let fonts = String::from_utf8_lossy(&out.stdout);
    let dejavu = fonts
        .lines()
        .find(|l| l.contains("DejaVuSans"))
        .unwrap_or_else(|| panic!("the site font is not in the PDF:\n{fonts}"));
    // A subset (`ABCDEF+` prefix), embedded: columns `emb sub` are `yes yes`.
    assert!(dejavu.split_whitespace().next().unwrap().contains('+'));
    assert!(dejavu.contains("yes yes"), "{dejavu}");
}

#[test]
fn report_pdf_has_the_text_and_embeds_the_site_font() {
    let root = common::fixture(SITE);
    let (report, _) = cxmap::report::build(
        &root,
        &cxmap::report::Request::new(cxmap::report::Format::Pdf),
    )
    .unwrap();
    let bytes = cxmap::report::pdf::write(&report.expect("a report")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, bytes).unwrap();
    let text = common::pdftotext(&path);
    assert!(text.contains("שלום"), "{text}");
    let out = std::process::Command::new("pdffonts")
        .arg(&path)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("DejaVuSans"));
}

#[test]
fn posters_with_site_fonts_are_the_same_bytes_every_time() {
    let root = common::fixture(SITE);
    for format in [Format::Png, Format::Pdf] {
        let (_a, first) = export(&root, format);
        let (_b, second) = export(&root, format);
        assert_eq!(
            std::fs::read(first).unwrap(),
            std::fs::read(second).unwrap()
        );
    }
}

#[test]
fn a_character_no_font_has_is_a_warning_from_check_and_build() {
    let root = common::fixture(SITE);
    let checked = cxmap::check(&root).unwrap().diagnostics;
    let text = checked.render(false);
    let warnings: Vec<&str> = text
        .split("\n\n")
        .filter(|w| w.contains("no font can draw"))
        .collect();
    insta::assert_snapshot!(warnings.join("\n\n"));
    // Hebrew has a font: only the Japanese is named.
    assert_eq!(warnings.len(), 1);
    assert_eq!(checked.warning_count(), 1, "{text}");
    let out = tempfile::tempdir().unwrap();
    let built = cxmap::build(&root, Some(&out.path().join("public"))).unwrap();
    assert_eq!(built.diagnostics.render(false), text);
}

#[test]
fn without_the_site_fonts_hebrew_is_named_too() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture(SITE), dir.path());
    std::fs::remove_dir_all(dir.path().join("fonts")).unwrap();
    let text = cxmap::check(dir.path()).unwrap().diagnostics.render(false);
    assert!(
        text.contains("`title` has characters no font can draw"),
        "{text}"
    );
    assert!(text.contains("ש (U+05E9)"), "{text}");
    assert!(text.contains("`stages[0].steps[0].thought`"), "{text}");
}
