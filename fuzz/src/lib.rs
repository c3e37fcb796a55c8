//! What the fuzz targets share: rendering diagnostics the way `cxmap` prints them, and
//! checking that an SVG is well-formed XML.

use std::path::Path;
use std::sync::Arc;

use cxmap::diag::{Diagnostic, Diagnostics};

/// Renders `list` against `text` (the file they are about), as the command line does,
/// and checks that every span stays inside the file.
pub fn render_diagnostics(file: &Path, text: &str, list: Vec<Diagnostic>) -> String {
    let mut all = Diagnostics::new();
    all.add_source(file, Arc::from(text));
    for d in list {
        if let Some(span) = &d.span {
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "span {span:?} outside a file of {} bytes: {d:?}",
                text.len()
            );
        }
        all.push(d);
    }
    all.sort();
    for d in all.all() {
        let _ = all.location(d);
    }
    all.render(false)
}

/// Panics unless `svg` parses as XML with an `<svg>` root.
pub fn check_svg(svg: &str) {
    let doc = match roxmltree::Document::parse(svg) {
        Ok(doc) => doc,
        Err(e) => panic!("the SVG does not parse: {e}\n{svg}"),
    };
    assert_eq!(doc.root_element().tag_name().name(), "svg", "{svg}");
}

/// The text of the input, or `None` when it is not UTF-8.
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}
