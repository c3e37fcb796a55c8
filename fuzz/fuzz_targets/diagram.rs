//! Diagram layouts and the SVG writer on journeys made from the input: read as a journey
//! file (TOML or YAML frontmatter, the site's channels resolved) and as a Mermaid
//! journey. Each is drawn as a map, funnel, strip and comparison (and a persona file as
//! an empathy map), and every SVG must parse as XML.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use cxmap::config::Config;
use cxmap::diagram::{self, Diagram, Labels};
use cxmap::load::{self, SourceKind};
use cxmap::mermaid::{self, Header};
use cxmap::model::Journey;
use cxmap::model::resolve::{self, Doc};
use libfuzzer_sys::fuzz_target;

static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    let text = r##"title = "Fuzz"
[channels.web]
label = "Website"
colour = "#2b6cb0"
icon = "🌐"
[channels.store]
label = "Store"
"##;
    Config::parse(text, Path::new("cxmap.toml"), &mut Vec::new())
});
static LABELS: LazyLock<[Labels; 2]> = LazyLock::new(|| {
    let catalan = cxmap::i18n::Strings::load(
        &["ca".to_string()],
        &[],
        &mut cxmap::diag::Diagnostics::new(),
    );
    [Labels::default(), catalan.labels("ca")]
});

fn svg(d: Option<Diagram>) {
    if let Some(d) = d {
        assert!(
            d.width.is_finite() && d.height.is_finite(),
            "{} x {}",
            d.width,
            d.height
        );
        cxmap_fuzz::check_svg(&diagram::svg::write(&d));
    }
}

fn draw(j: &Journey, labels: &Labels) {
    svg(diagram::journey(j, &CONFIG, labels));
    svg(diagram::funnel(j, labels));
    svg(diagram::strip(j, labels));
    svg(diagram::compare(j, j, labels));
}

fuzz_target!(|data: &[u8]| {
    let labels = &LABELS[data.len() % 2];
    for (kind, rel) in [
        (SourceKind::Journey, "journeys/fuzz.md"),
        (SourceKind::Persona, "personas/fuzz.md"),
    ] {
        let Some(source) = load::content_from_bytes(kind, Path::new(rel), data.to_vec()) else {
            return;
        };
        match resolve::read_doc(&source, &CONFIG).0 {
            Some(Doc::Journey(doc)) => draw(&doc.journey, labels),
            Some(Doc::Persona(p)) => svg(diagram::empathy(&p, labels)),
            _ => {}
        }
    }
    if let Some(text) = cxmap_fuzz::text(data) {
        let parsed = mermaid::parse(text, Header::Optional);
        draw(&mermaid::to_journey(&parsed.journey, "fuzz"), labels);
    }
});
