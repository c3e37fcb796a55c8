//! A Markdown body, rendered sanitised (the default) and with `unsafe_html`, with stage
//! sections cut out, and the ```` ```journey ```` fences it holds drawn.
#![no_main]

use cxmap::config::Config;
use cxmap::diagram::{Labels, mermaid::draw_fences};
use cxmap::parse::markdown::{self, RenderOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(body) = cxmap_fuzz::text(data) else {
        return;
    };
    let config = Config::default();
    let safe = RenderOptions {
        page: "fuzz",
        body_offset: 7,
        ..RenderOptions::default()
    };
    let out = markdown::render(body, safe);
    // Fences are drawn where the body is shown, as rendering does.
    let drawn = draw_fences(&out.narrative, &out.fences, &config, &Labels::default());
    let html = drawn.as_str().to_ascii_lowercase();
    assert!(
        !html.contains("<script"),
        "a script survived sanitising: {html}"
    );
    for p in &out.problems {
        assert!(p.span.end <= body.len() + 7, "{p:?}");
    }

    // Headings whose text starts with "stage" start a stage section.
    let stage = |text: &str, id: Option<&str>| -> Option<usize> {
        let word = id.unwrap_or(text);
        word.strip_prefix("stage").map(|rest| rest.len() % 4)
    };
    let out = markdown::render_with_sections(body, safe, &stage);
    for section in out.sections.values() {
        let section = section.as_str().to_ascii_lowercase();
        assert!(
            !section.contains("<script"),
            "a script survived sanitising: {section}"
        );
    }

    let unsafe_html = RenderOptions {
        unsafe_html: true,
        ..safe
    };
    markdown::render(body, unsafe_html);
    markdown::render(body, RenderOptions::default());
});
