//! A Mermaid `journey` diagram: parsed as a `.mmd` file and as a fence, every problem
//! printed as a diagnostic, and the fence drawn (`mermaid::render_block`) into SVG that
//! must parse as XML.
#![no_main]

use std::path::Path;

use cxmap::config::Config;
use cxmap::diagram::Labels;
use cxmap::mermaid::{self, Header};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = cxmap_fuzz::text(data) else {
        return;
    };
    let file = Path::new("journeys/fuzz.mmd");
    for header in [Header::Required, Header::Optional] {
        let parsed = mermaid::parse(text, header);
        let mut diagnostics = Vec::new();
        for p in &parsed.problems {
            // Spans are ranges of whole characters in the text.
            assert!(text.get(p.span.clone()).is_some(), "{p:?}");
            diagnostics.push(p.to_diagnostic(file, 0));
        }
        cxmap_fuzz::render_diagnostics(file, text, diagnostics);
        let journey = mermaid::to_journey(&parsed.journey, "fuzz");
        assert_eq!(journey.stages.len(), parsed.journey.sections.len());
    }

    let block = mermaid::render_block(text, &Config::default(), &Labels::default(), "cx-f-", 1);
    for p in &block.problems {
        assert!(text.get(p.span.clone()).is_some(), "{p:?}");
    }
    if let Some(html) = &block.html {
        // The wrapper and the SVG in it are one well-formed element.
        let doc = roxmltree::Document::parse(html)
            .unwrap_or_else(|e| panic!("the diagram does not parse: {e}\n{html}"));
        assert_eq!(doc.root_element().tag_name().name(), "div");
        let start = html.find("<svg").expect("an <svg> element");
        let end = html.rfind("</svg>").expect("the end of the <svg> element") + "</svg>".len();
        cxmap_fuzz::check_svg(&html[start..end]);
    }
});
