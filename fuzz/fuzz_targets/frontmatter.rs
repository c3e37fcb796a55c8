//! A content file from any bytes: the frontmatter split, the TOML and YAML readers with
//! spans, and the field reader of journeys, personas and pages (`model::read`, through
//! `model::resolve::read_doc`), then the diagnostics as `cxmap` prints them.
#![no_main]

use std::path::Path;

use cxmap::config::Config;
use cxmap::load::{self, SourceKind};
use cxmap::model::resolve;
use cxmap::parse::frontmatter::{self, Format};
use cxmap::parse::node;
use cxmap_fuzz::render_diagnostics;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(text) = cxmap_fuzz::text(data)
        && let Ok(split) = frontmatter::split(text)
    {
        // The offsets point at the parts in the whole file.
        let front_end = split.front_offset + split.front.len();
        assert_eq!(text.get(split.front_offset..front_end), Some(split.front));
        assert_eq!(text.get(split.body_offset..), Some(split.body));
        assert!(text.get(split.open.clone()).is_some());
        let (_, errors) = match split.format {
            Format::Toml => node::from_toml(split.front, split.front_offset),
            Format::Yaml => node::from_yaml(split.front, split.front_offset),
        };
        for e in errors {
            assert!(
                e.span.start <= e.span.end && e.span.end <= text.len(),
                "{e:?}"
            );
        }
    }
    // The same file in a site with one language and in one with three.
    let mut languages = Config::default();
    languages.languages = vec!["es".into(), "ca".into()];
    for config in [Config::default(), languages] {
        for (kind, rel) in [
            (SourceKind::Journey, "journeys/fuzz.es.md"),
            (SourceKind::Persona, "personas/fuzz.md"),
            (SourceKind::Page, "pages/fuzz.md"),
        ] {
            let rel = Path::new(rel);
            let Some(source) = load::content_from_bytes(kind, rel, data.to_vec()) else {
                continue;
            };
            let (_doc, diagnostics) = resolve::read_doc(&source, &config);
            render_diagnostics(&source.rel, &source.text, diagnostics);
        }
    }
});
