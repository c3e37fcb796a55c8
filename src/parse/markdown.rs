//! Markdown bodies to HTML, by transforming pulldown-cmark events (never by rewriting
//! the produced HTML).
//!
//! What goes in: a body and a way to tell whether a heading names a stage. What comes
//! out: the narrative HTML and, per stage, the HTML of the section under its heading.
//! Every heading gets an id; links with a `javascript:`-like scheme are dropped; raw
//! HTML is sanitized with ammonia unless the site sets `unsafe_html = true`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::html::Html;
use crate::slug::slugify;

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Keep raw HTML as written (the site's `unsafe_html`).
    pub unsafe_html: bool,
}

/// A heading of the body, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The heading's text.
    pub text: String,
    /// Its id attribute.
    pub id: String,
}

/// A rendered body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    /// Everything that is not attached to a stage.
    pub narrative: Html,
    /// Sections attached to stages, by stage index.
    pub sections: BTreeMap<usize, Html>,
    /// Headings of the narrative, in order.
    pub headings: Vec<Heading>,
}

/// Renders a body with no stage sections.
pub fn render(body: &str, options: RenderOptions) -> Rendered {
    render_with_sections(body, options, &|_, _| None)
}

/// Renders a body; `attach(text, explicit_id)` names the stage a heading starts, if any.
pub fn render_with_sections(
    body: &str,
    options: RenderOptions,
    attach: &dyn Fn(&str, Option<&str>) -> Option<usize>,
) -> Rendered {
    let parser = Parser::new_ext(body, markdown_options());
    let events: Vec<Event<'_>> = parser.map(safe_links).collect();

    let mut narrative: Vec<Event<'_>> = Vec::new();
    let mut sections: BTreeMap<usize, Vec<Event<'_>>> = BTreeMap::new();
    let mut headings = Vec::new();
    let mut used_ids = BTreeSet::new();
    let mut current: Option<(usize, HeadingLevel)> = None;

    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &events[i]
        {
            let end = events[i..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(events.len(), |p| i + p);
            let inner = &events[i + 1..end.min(events.len())];
            let text = plain_text(inner);
            let explicit = id.as_deref();
            if let Some((_, open_level)) = current
                && *level <= open_level
            {
                current = None;
            }
            if current.is_none()
                && let Some(stage) = attach(text.trim(), explicit)
            {
                current = Some((stage, *level));
                sections.entry(stage).or_default();
                i = end + 1;
                continue;
            }
            let base = explicit.map_or_else(|| slugify(&text), slugify);
            let id = unique_id(
                if base.is_empty() {
                    "section".into()
                } else {
                    base
                },
                &mut used_ids,
            );
            let start = Event::Start(Tag::Heading {
                level: *level,
                id: Some(CowStr::from(id.clone())),
                classes: classes.clone(),
                attrs: attrs.clone(),
            });
            let target = match current {
                Some((stage, _)) => sections.entry(stage).or_default(),
                None => {
                    headings.push(Heading {
                        level: *level as u8,
                        text: text.trim().to_string(),
                        id,
                    });
                    &mut narrative
                }
            };
            target.push(start);
            target.extend(inner.iter().cloned());
            if end < events.len() {
                target.push(events[end].clone());
            }
            i = end + 1;
            continue;
        }
        match current {
            Some((stage, _)) => sections.entry(stage).or_default().push(events[i].clone()),
            None => narrative.push(events[i].clone()),
        }
        i += 1;
    }

    Rendered {
        narrative: to_html(narrative, options),
        sections: sections
            .into_iter()
            .map(|(k, v)| (k, to_html(v, options)))
            .collect(),
        headings,
    }
}

fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn unique_id(base: String, used: &mut BTreeSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut out = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Whether a URL uses a scheme that runs code or hides content.
pub fn is_dangerous_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "file:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

fn safe_links(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if is_dangerous_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed(""),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if is_dangerous_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed(""),
            title,
            id,
        }),
        other => other,
    }
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"]);
    b.add_tag_attributes("input", ["type", "checked", "disabled"]);
    b.add_tags(["input"]);
    b.link_rel(Some("noopener noreferrer"));
    b
});

fn to_html(events: Vec<Event<'_>>, options: RenderOptions) -> Html {
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    if options.unsafe_html {
        Html::from_trusted(out)
    } else {
        Html::from_trusted(SANITIZER.clean(&out).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(body: &str) -> String {
        render(body, RenderOptions::default())
            .narrative
            .as_str()
            .to_string()
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let out = html("Hi <script>alert(1)</script><img src=x onerror=alert(1)>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("onerror"), "{out}");
    }

    #[test]
    fn javascript_links_never_survive_even_unsafe() {
        let body = "[click](javascript:alert(1)) [ok](https://example.com)";
        let safe = html(body);
        let unsafe_ = render(body, RenderOptions { unsafe_html: true }).narrative;
        for out in [safe.as_str(), unsafe_.as_str()] {
            assert!(!out.contains("javascript"), "{out}");
            assert!(out.contains("https://example.com"), "{out}");
        }
    }

    #[test]
    fn unsafe_html_keeps_raw_html() {
        let out = render(
            "<div class=\"x\" onclick=\"f()\">a</div>",
            RenderOptions { unsafe_html: true },
        );
        assert!(out.narrative.as_str().contains("onclick"));
    }

    #[test]
    fn headings_get_unique_ids() {
        let out = html("# Intro\n\n## Intro\n\n## Own {#custom}\n");
        assert!(out.contains("<h1 id=\"intro\">"), "{out}");
        assert!(out.contains("<h2 id=\"intro-1\">"), "{out}");
        assert!(out.contains("<h2 id=\"custom\">"), "{out}");
    }

    #[test]
    fn stage_sections_are_cut_out_of_the_narrative() {
        let body = "Intro.\n\n## Discovery\n\nFound it.\n\n### Detail\n\nMore.\n\n## Other\n\nTail.\n\n## Pay {#purchase}\n\nPaid.\n";
        let out = render_with_sections(
            body,
            RenderOptions::default(),
            &|text, id| match (text, id) {
                ("Discovery", _) => Some(0),
                (_, Some("purchase")) => Some(1),
                _ => None,
            },
        );
        let n = out.narrative.as_str();
        assert!(
            n.contains("Intro.") && n.contains("Tail.") && !n.contains("Found it"),
            "{n}"
        );
        let s0 = out.sections[&0].as_str();
        assert!(
            s0.contains("Found it.") && s0.contains("More.") && !s0.contains("Tail"),
            "{s0}"
        );
        assert!(out.sections[&1].as_str().contains("Paid."));
        assert_eq!(
            out.headings
                .iter()
                .map(|h| h.text.as_str())
                .collect::<Vec<_>>(),
            ["Other"]
        );
    }

    #[test]
    fn template_syntax_is_just_text() {
        let out = html("{{ config.title }} {% raw %}");
        assert!(out.contains("{{ config.title }}"), "{out}");
    }
}
