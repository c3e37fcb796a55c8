//! Markdown bodies to HTML, by transforming pulldown-cmark events (never by rewriting
//! the produced HTML).
//!
//! What goes in: a body and a way to tell whether a heading names a stage. What comes
//! out: the narrative HTML and, per stage, the HTML of the section under its heading.
//! Every heading gets an id; links with a `javascript:`-like scheme are dropped; raw
//! HTML is sanitized with ammonia unless the site sets `unsafe_html = true`.
//!
//! Parsing draws nothing. A ```` ```journey ```` fence (or a ```` ```mermaid ```` one
//! holding a journey) is parsed here ([`super::mermaid`]), its problems coming
//! back in [`Rendered::problems`] with spans into the file, and becomes a placeholder
//! word in the HTML and a [`Fence`] in [`Rendered::fences`]; the page that shows the body
//! draws it in the word's place, with the site's words for the body's language (see
//! `diagram::mermaid::draw_fences`), its ids prefixed `cx-<page>-m<N>-` so two
//! diagrams on one page never share one. The SVG must not go through ammonia, which
//! would strip it, and sanitizing the Markdown in pieces around it would break the lists
//! and quotes it may sit in: so the whole body is sanitized with the word in it. The
//! word holds a hash of the body, so the body cannot contain it, and it is kept only
//! where it stands as text (ammonia escapes `<` and `>` in attribute values, so the last
//! `<` or `>` before it tells), never inside an attribute. With `unsafe_html` the word
//! stays wherever it is, as the diagram did. A block with nothing to draw stays a code
//! block.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::html::Html;
use crate::parse::mermaid::{self, Problem};
use crate::slug::slugify;

/// How to render, and where the body comes from.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions<'a> {
    /// Keep raw HTML as written (the site's `unsafe_html`).
    pub unsafe_html: bool,
    /// Byte offset of the body in its file, so problems point into the file.
    pub body_offset: usize,
    /// The slug of the page the body is shown on; namespaces the ids of its diagrams.
    pub page: &'a str,
}

impl<'a> RenderOptions<'a> {
    /// Options for a body of the page `page` that starts at byte `body_offset` of its
    /// file; `unsafe_html` is the site's.
    pub fn new(page: &'a str, body_offset: usize, unsafe_html: bool) -> Self {
        RenderOptions {
            unsafe_html,
            body_offset,
            page,
        }
    }
}

/// A ```` ```journey ```` fence of a body, read but not drawn: its placeholder word
/// stands in the HTML where the diagram goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    /// The placeholder, in the narrative or a stage section: a word the body cannot
    /// contain, only where it stands as text (with unsafe HTML, wherever the fence was,
    /// and with the line break after it).
    pub token: String,
    /// The Mermaid text of the fence.
    pub text: String,
    /// What every id of its diagram starts with: `cx-<page>-m<N>-`.
    pub id_prefix: String,
    /// Its number on the page, from 1 (names an untitled diagram's scrolling region).
    pub number: usize,
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
    /// Problems in ```` ```journey ```` blocks, with spans into the file.
    pub problems: Vec<Problem>,
    /// The ```` ```journey ```` fences to draw, in the order of the body.
    pub fences: Vec<Fence>,
    /// The whole body (narrative and sections) as plain text, blocks separated by a
    /// space, without raw HTML or diagrams: what the search index reads.
    pub text: String,
}

/// Renders a body with no stage sections.
pub fn render(body: &str, options: RenderOptions<'_>) -> Rendered {
    render_with_sections(body, options, &|_, _| None)
}

/// Renders a body; `attach(text, explicit_id)` names the stage a heading starts, if any.
pub fn render_with_sections(
    body: &str,
    options: RenderOptions<'_>,
    attach: &dyn Fn(&str, Option<&str>) -> Option<usize>,
) -> Rendered {
    if let Some(at) = too_deep(body) {
        let at = options.body_offset + at;
        return Rendered {
            problems: vec![Problem {
                severity: crate::diag::Severity::Error,
                span: at..at,
                message: format!("the text is nested more than {MAX_NESTING} levels deep"),
                label: "this level is one too many".into(),
                help: Some(
                    "flatten the lists, block quotes or HTML elements around this line".into(),
                ),
            }],
            ..Rendered::default()
        };
    }
    let parser = Parser::new_ext(body, markdown_options()).into_offset_iter();
    let mut diagrams = Diagrams::new(body, options);
    let mut events: Vec<Event<'_>> = diagrams.replace(body, parser).map(safe_links).collect();
    if !options.unsafe_html {
        events = inert_raw_text(events)
            .into_iter()
            .map(mark_footnotes)
            .collect();
    }
    let text = body_text(&events);
    let (narrative, sections, headings) = cut_sections(events, options, attach);
    Rendered {
        narrative: to_html(narrative, options, &diagrams.fences),
        sections: sections
            .into_iter()
            .map(|(k, v)| (k, to_html(v, options, &diagrams.fences)))
            .collect(),
        headings,
        problems: diagrams.problems,
        fences: diagrams.fences,
        text,
    }
}

/// A body's events cut up: the narrative, the section of each stage, and the
/// narrative's headings.
type Cut<'b> = (
    Vec<Event<'b>>,
    BTreeMap<usize, Vec<Event<'b>>>,
    Vec<Heading>,
);

/// The events of a body cut into the narrative and the sections under the headings
/// `attach` names a stage for, with ids on the other headings.
fn cut_sections<'b>(
    events: Vec<Event<'b>>,
    options: RenderOptions<'_>,
    attach: &dyn Fn(&str, Option<&str>) -> Option<usize>,
) -> Cut<'b> {
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
            // Sanitized bodies mark the ids cxmap made (see `OURS`); the classes written
            // after a heading (`{.x}`) are the writer's and are dropped with raw HTML's.
            let start = Event::Start(Tag::Heading {
                level: *level,
                id: Some(CowStr::from(if options.unsafe_html {
                    id.clone()
                } else {
                    format!("{}{id}", *OURS)
                })),
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
    (narrative, sections, headings)
}

/// Events with their ranges in the body.
type Spanned<'b> = Vec<(Event<'b>, Range<usize>)>;

/// The ```` ```journey ```` blocks of one body.
struct Diagrams<'o> {
    options: RenderOptions<'o>,
    /// The placeholder word, without the block number.
    token: String,
    /// The blocks to draw, each with its placeholder.
    fences: Vec<Fence>,
    problems: Vec<Problem>,
    /// Blocks seen so far.
    count: usize,
}

/// Whether a ```` ```mermaid ```` block holds a user-journey diagram: its first
/// statement, after blank lines, comments, directives and a `---` frontmatter, is
/// `journey`.
fn is_mermaid_journey(inner: &[(Event<'_>, Range<usize>)]) -> bool {
    let text: String = inner
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let mut in_frontmatter = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if i == 0 && line == "---" {
            in_frontmatter = true;
            continue;
        }
        if in_frontmatter {
            in_frontmatter = line != "---";
            continue;
        }
        if line.is_empty() || line.starts_with("%%") || line.starts_with('#') {
            continue;
        }
        return line.split([' ', ';', '\t']).next() == Some("journey");
    }
    false
}

impl<'o> Diagrams<'o> {
    fn new(body: &str, options: RenderOptions<'o>) -> Self {
        // FNV-1a: stable, and enough to keep the word out of any real body.
        let hash = body.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        Diagrams {
            options,
            token: format!("cxmap-diagram-{hash:016x}-"),
            fences: Vec::new(),
            problems: Vec::new(),
            count: 0,
        }
    }

    /// Replaces each ```` ```journey ```` block of `events` with a placeholder for its
    /// diagram.
    fn replace<'b>(
        &mut self,
        body: &'b str,
        events: impl Iterator<Item = (Event<'b>, Range<usize>)>,
    ) -> std::vec::IntoIter<Event<'b>> {
        let mut out = Vec::new();
        // The open block: the fence's range, its start event and text events.
        let mut block: Option<(Range<usize>, Spanned<'b>, bool)> = None;
        for (event, range) in events {
            if let Some((fence, inner, mermaid)) = &mut block {
                if matches!(event, Event::End(TagEnd::CodeBlock)) {
                    let fence = fence.clone();
                    let inner = std::mem::take(inner);
                    // A ```mermaid fence is ours only when it holds a journey diagram.
                    let ours = !*mermaid || is_mermaid_journey(&inner);
                    block = None;
                    let placeholder = if ours {
                        self.read(body, fence, &inner)
                    } else {
                        None
                    };
                    match placeholder {
                        Some(html) => out.push(Event::Html(html.into())),
                        None => {
                            out.extend(inner.into_iter().map(|(e, _)| e));
                            out.push(event);
                        }
                    }
                } else {
                    inner.push((event, range));
                }
                continue;
            }
            if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &event
                && let Some(lang @ ("journey" | "mermaid")) = info.split_whitespace().next()
            {
                let mermaid = lang == "mermaid";
                block = Some((range.clone(), vec![(event, range)], mermaid));
                continue;
            }
            out.push(event);
        }
        // A fence is always closed by the parser; keep anything left as it was.
        if let Some((_, inner, _)) = block {
            out.extend(inner.into_iter().map(|(e, _)| e));
        }
        out.into_iter()
    }

    /// Reads one block (`inner`: its start event and text events); the placeholder to
    /// put in its place, or `None` to keep the code block.
    fn read(
        &mut self,
        body: &str,
        fence: Range<usize>,
        inner: &[(Event<'_>, Range<usize>)],
    ) -> Option<String> {
        self.count += 1;
        // The block's text, and where each piece of it is in the body (pieces lose the
        // indentation and `>` of lists and quotes around the fence).
        let mut text = String::new();
        let mut pieces: Vec<(usize, Range<usize>)> = Vec::new();
        for (event, range) in inner {
            if let Event::Text(t) = event {
                pieces.push((text.len(), range.clone()));
                text.push_str(t);
            }
        }
        let to_body = |at: usize| -> usize {
            match pieces.iter().rev().find(|(start, _)| *start <= at) {
                Some((start, range)) => {
                    let exact = body.get(range.clone()) == text.get(*start..*start + range.len());
                    if exact {
                        (range.start + at - start).min(range.end)
                    } else {
                        range.start
                    }
                }
                None => fence.start,
            }
        };
        let page = slugify(self.options.page);
        let prefix = if page.is_empty() {
            format!("cx-m{}-", self.count)
        } else {
            format!("cx-{page}-m{}-", self.count)
        };
        let parsed = mermaid::parse_fence(&text);
        let offset = self.options.body_offset;
        for mut p in parsed.problems {
            let start = to_body(p.span.start);
            let end = to_body(p.span.end).max(start);
            p.span = offset + start..offset + end;
            self.problems.push(p);
        }
        // Sections without tasks are drawn too, as Mermaid draws them.
        if parsed.journey.sections.is_empty() {
            return None;
        }
        let word = format!("{}{}-", self.token, self.count);
        // Sanitized HTML gets the word as a block of its own, replaced by the diagram.
        // With unsafe HTML the word and its line break stand exactly for the diagram
        // (which ends with one, so the HTML after it is written alike).
        let (token, placeholder) = if self.options.unsafe_html {
            (format!("{word}\n"), format!("{word}\n"))
        } else {
            (word.clone(), format!("\n{word}\n"))
        };
        self.fences.push(Fence {
            token,
            text,
            id_prefix: prefix,
            number: self.count,
        });
        Some(placeholder)
    }
}

/// How deep a body may nest lists, block quotes, emphasis and HTML elements: the depth
/// browsers build (Chromium stops at 512). The sanitizer's HTML parser takes time in the
/// square of the depth (a few hundred kilobytes of `>` took minutes and gigabytes), so a
/// deeper body is an error, not a hang.
pub const MAX_NESTING: usize = 512;

/// The byte of `body` where its nesting first goes deeper than [`MAX_NESTING`]: Markdown
/// elements, and in raw HTML the elements left open (neither void, self-closing nor
/// closed by their next sibling like `<p>` and `<li>`; an end tag closes the nearest
/// open element of its name, as the HTML parser does). One pass, linear.
fn too_deep(body: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut open: Vec<String> = Vec::new();
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(at) = html_too_deep(&html, depth, &mut open) {
                    return Some(range.start + at.min(range.len()));
                }
            }
            _ => {}
        }
        if depth + open.len() > MAX_NESTING {
            return Some(range.start);
        }
    }
    None
}

/// Follows the elements a raw HTML fragment leaves open (`open`, below `depth` Markdown
/// levels); where the nesting first goes too deep.
fn html_too_deep(html: &str, depth: usize, open: &mut Vec<String>) -> Option<usize> {
    const NOT_NESTING: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
        "tbody", "tfoot", "colgroup", "rt", "rp",
    ];
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let close = b.get(i + 1) == Some(&b'/');
        let start = i + 1 + usize::from(close);
        if !b.get(start).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let mut end = start;
        while end < b.len() && b[end].is_ascii_alphanumeric() {
            end += 1;
        }
        let name = html[start..end].to_ascii_lowercase();
        let mut k = end;
        while k < b.len() && b[k] != b'>' && b[k] != b'<' {
            k += 1;
        }
        let self_closing = b.get(k) == Some(&b'>') && b[k - 1] == b'/';
        if NOT_NESTING.contains(&name.as_str()) || self_closing {
            // Nothing stays open.
        } else if close {
            if let Some(at) = open.iter().rposition(|n| *n == name) {
                open.truncate(at);
            }
        } else {
            open.push(name);
            if depth + open.len() > MAX_NESTING {
                return Some(i);
            }
        }
        i = k;
    }
    None
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

/// The text of a whole body: words of adjacent blocks never run together, runs of
/// white space become one space; raw HTML (and so the drawn diagrams) is left out.
fn body_text(events: &[Event<'_>]) -> String {
    let mut raw = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => raw.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => raw.push(' '),
            Event::End(end) if !is_inline(end) => raw.push(' '),
            _ => {}
        }
    }
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a tag stays within a line of text (so its end is no word boundary).
fn is_inline(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
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

/// Elements whose content the HTML parser reads as raw text up to their end tag: one
/// left open (`## Prices <style>`) would take the rest of the body with it.
const RAW_TEXT: &[&str] = &[
    "style",
    "script",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// The name of the raw-text element a tag opens, if it opens one.
fn opens_raw_text(tag: &str) -> Option<&'static str> {
    let rest = tag.trim_start().strip_prefix('<')?;
    let name: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    RAW_TEXT.iter().copied().find(|n| *n == name)
}

/// Raw HTML that opens a raw-text element it does not close becomes text: inline tags
/// (each is an event of its own, so it is never closed within it) and HTML blocks that
/// leave one open.
fn inert_raw_text(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut block: Option<Vec<Event<'_>>> = None;
    for event in events {
        match (event, &mut block) {
            (Event::InlineHtml(h), _) if opens_raw_text(&h).is_some() => {
                out.push(Event::Text(h));
            }
            (e @ Event::Start(Tag::HtmlBlock), None) => block = Some(vec![e]),
            (e @ Event::End(TagEnd::HtmlBlock), Some(_)) => {
                let mut events = block.take().unwrap_or_default();
                events.push(e);
                out.extend(close_or_inert(events));
            }
            (e, Some(b)) => b.push(e),
            (e, None) => out.push(e),
        }
    }
    out.extend(block.into_iter().flat_map(close_or_inert));
    out
}

/// Footnote labels carry the mark of ids cxmap makes (see `OURS`): their anchors and
/// links keep working after the sanitizer.
fn mark_footnotes(event: Event<'_>) -> Event<'_> {
    match event {
        Event::FootnoteReference(label) => {
            Event::FootnoteReference(format!("{}{label}", *OURS).into())
        }
        Event::Start(Tag::FootnoteDefinition(label)) => {
            Event::Start(Tag::FootnoteDefinition(format!("{}{label}", *OURS).into()))
        }
        other => other,
    }
}

/// An HTML block's events as they are, or as text when it leaves a raw-text element open.
fn close_or_inert(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let html: String = events
        .iter()
        .filter_map(|e| match e {
            Event::Html(h) => Some(h.as_ref()),
            _ => None,
        })
        .collect();
    let lower = html.to_ascii_lowercase();
    let left_open = lower.match_indices('<').any(|(at, _)| {
        opens_raw_text(&lower[at..]).is_some_and(|name| !lower[at..].contains(&format!("</{name}")))
    });
    if !left_open {
        return events;
    }
    events
        .into_iter()
        .map(|e| match e {
            Event::Html(h) => Event::Text(h),
            other => other,
        })
        .collect()
}

/// A mark, new in every run of cxmap, that starts the ids cxmap gives headings in a
/// sanitized body. The sanitizer keeps those (without the mark) and gives every other id
/// (raw HTML's) a `user-content-` prefix, as GitHub does, so a body cannot take an id
/// of the page around it (`id="main"`). Nobody can write the mark into a file before
/// the run that makes it, and it never reaches the output.
static OURS: LazyLock<String> = LazyLock::new(|| {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut h = std::hash::RandomState::new().build_hasher();
    h.write_u64(u64::from(std::process::id()));
    format!("cx{:016x}-", h.finish())
});

/// The classes pulldown-cmark writes itself (code block languages, footnotes); a body's
/// own classes are dropped, so raw HTML cannot dress up as the site's header or menu.
fn is_our_class(class: &str) -> bool {
    class.starts_with("language-")
        || matches!(
            class,
            "footnote-definition" | "footnote-reference" | "footnote-definition-label"
        )
}

/// What the sanitizer keeps of an `id` or `class` (every other attribute as it is).
fn filter_attribute<'u>(attribute: &str, value: &'u str) -> Option<std::borrow::Cow<'u, str>> {
    use std::borrow::Cow;
    match attribute {
        "id" => Some(match value.strip_prefix(OURS.as_str()) {
            Some(ours) => Cow::Borrowed(ours),
            None => Cow::Owned(format!("user-content-{value}")),
        }),
        "href" => Some(
            match value
                .strip_prefix('#')
                .and_then(|v| v.strip_prefix(OURS.as_str()))
            {
                Some(ours) => Cow::Owned(format!("#{ours}")),
                None => Cow::Borrowed(value),
            },
        ),
        "class" => {
            let kept: Vec<&str> = value
                .split_whitespace()
                .filter(|c| is_our_class(c))
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"]);
    b.attribute_filter(|_, attribute, value| filter_attribute(attribute, value));
    b.add_tag_attributes("input", ["type", "checked", "disabled"]);
    b.add_tags(["input"]);
    b.link_rel(Some("noopener noreferrer"));
    b
});

/// The HTML of `events`, sanitized unless the site allows unsafe HTML; a fence's
/// placeholder that the sanitized HTML holds inside an attribute is removed there.
fn to_html(events: Vec<Event<'_>>, options: RenderOptions<'_>, fences: &[Fence]) -> Html {
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    if options.unsafe_html {
        return Html::from_trusted(out);
    }
    let mut clean = SANITIZER.clean(&out).to_string();
    for fence in fences {
        let token = fence.token.as_str();
        if let Some(at) = clean.find(token) {
            let before = &clean[..at];
            let in_text = match (before.rfind('<'), before.rfind('>')) {
                (Some(lt), Some(gt)) => gt > lt,
                (Some(_), None) => false,
                (None, _) => true,
            };
            if !in_text {
                clean.replace_range(at..at + token.len(), "");
            }
        }
    }
    Html::from_trusted(clean)
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
        let unsafe_ = render(
            body,
            RenderOptions {
                unsafe_html: true,
                ..RenderOptions::default()
            },
        )
        .narrative;
        for out in [safe.as_str(), unsafe_.as_str()] {
            assert!(!out.contains("javascript"), "{out}");
            assert!(out.contains("https://example.com"), "{out}");
        }
    }

    #[test]
    fn unsafe_html_keeps_raw_html() {
        let out = render(
            "<div class=\"x\" onclick=\"f()\">a</div>",
            RenderOptions {
                unsafe_html: true,
                ..RenderOptions::default()
            },
        );
        assert!(out.narrative.as_str().contains("onclick"));
    }

    #[test]
    fn a_body_cannot_take_the_pages_ids_or_classes() {
        let out = html(
            "<header class=\"site-header\" id=\"main\">Fake</header>\n\n# Real {.site-header}\n\n```rust\nx\n```\n",
        );
        assert!(!out.contains("id=\"main\""), "{out}");
        assert!(out.contains("id=\"user-content-main\""), "{out}");
        assert!(!out.contains("site-header"), "{out}");
        assert!(out.contains("<h1 id=\"real\">"), "{out}");
        assert!(out.contains("class=\"language-rust\""), "{out}");
        assert!(!out.contains(OURS.as_str()), "{out}");
    }

    #[test]
    fn footnotes_keep_their_links_after_sanitizing() {
        let out = html("Said[^q].\n\n[^q]: In the interview.\n");
        assert!(out.contains("href=\"#q\""), "{out}");
        assert!(out.contains("id=\"q\""), "{out}");
        assert!(out.contains("class=\"footnote-reference\""), "{out}");
        assert!(!out.contains(OURS.as_str()), "{out}");
    }

    #[test]
    fn an_unclosed_style_in_a_heading_does_not_swallow_the_body() {
        let out = html("## Prices <style>\n\nThe rest of the story.\n\n<script>\nnever closed\n");
        assert!(out.contains("The rest of the story."), "{out}");
        assert!(out.contains("&lt;style&gt;"), "{out}");
        assert!(!out.contains("<style"), "{out}");
        assert!(!out.contains("<script"), "{out}");
        // A closed element is sanitized as before, not shown as text.
        let closed = html("<style>p{}</style>\n\nText\n");
        assert!(
            !closed.contains("p{}") && closed.contains("Text"),
            "{closed}"
        );
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

    const BLOCK: &str = "```journey\ntitle Day\nsection Go\nTea: 5: Me\n```\n";

    fn page(body: &str) -> Rendered {
        render(
            body,
            RenderOptions {
                page: "method",
                body_offset: 100,
                ..RenderOptions::default()
            },
        )
    }

    #[test]
    fn body_text_keeps_words_apart_and_leaves_out_markup_and_diagrams() {
        let out = page(&format!(
            "# Title\n\nSome *em*phasis and `code`.\nNext line.\n\n- one\n- two\n\n{BLOCK}\n<div>raw</div>\n\n## Stage\n\nLast."
        ));
        assert_eq!(
            out.text,
            "Title Some emphasis and code. Next line. one two Stage Last."
        );
    }

    /// How many of the body's fences have their placeholder in `html`.
    fn placeholders(html: &Html, out: &Rendered) -> usize {
        out.fences
            .iter()
            .filter(|f| html.as_str().contains(&f.token))
            .count()
    }

    #[test]
    fn journey_blocks_become_placeholders_with_their_own_ids() {
        let out = page(&format!(
            "Intro\n\n{BLOCK}\n- in a list\n\n  {}",
            BLOCK.replace('\n', "\n  ")
        ));
        let html = out.narrative.as_str();
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let prefixes: Vec<&str> = out.fences.iter().map(|f| f.id_prefix.as_str()).collect();
        assert_eq!(prefixes, ["cx-method-m1-", "cx-method-m2-"]);
        assert_eq!(out.fences[0].text, "title Day\nsection Go\nTea: 5: Me\n");
        assert_eq!(placeholders(&out.narrative, &out), 2, "{html}");
        assert!(!html.contains("<svg") && !html.contains("<code"), "{html}");
        // The second placeholder stays inside its list item.
        let li = html.find("<li>").unwrap();
        assert!(html[li..].contains(&out.fences[1].token), "{html}");
    }

    #[test]
    fn journey_blocks_are_placeholders_with_unsafe_html_too() {
        let out = render(
            BLOCK,
            RenderOptions {
                unsafe_html: true,
                ..RenderOptions::default()
            },
        );
        assert_eq!(out.fences[0].id_prefix, "cx-m1-");
        assert_eq!(out.narrative.as_str(), out.fences[0].token);
        assert!(out.fences[0].token.ends_with("-\n"));
    }

    #[test]
    fn journey_block_problems_point_into_the_file() {
        let body = "Intro\n\n> ```journey\n> section Go\n> Tea: 7: Me\n> ```\n";
        let out = page(body);
        assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
        let span = out.problems[0].span.clone();
        assert_eq!(&body[span.start - 100..span.end - 100], "7");
        // With errors the diagram is still drawn; the build stops on the error.
        assert_eq!(placeholders(&out.narrative, &out), 1);
    }

    #[test]
    fn mermaid_fences_are_drawn_only_when_they_hold_a_journey() {
        let body = "```mermaid\n%% a comment\njourney\n  title Day\n  section Go\n    Tea: 5: Me\n```\n\n```mermaid\nflowchart LR\n  A --> B\n```\n";
        let out = page(body);
        let html = out.narrative.as_str();
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert_eq!(out.fences.len(), 1);
        assert_eq!(placeholders(&out.narrative, &out), 1, "{html}");
        assert!(
            html.contains("<code class=\"language-mermaid\">flowchart LR"),
            "{html}"
        );
    }

    #[test]
    fn empty_journey_blocks_stay_code() {
        let out = page("```journey\n```\n\n```journey\nnot a task\n```\n");
        let html = out.narrative.as_str();
        assert_eq!(
            html.matches("<code class=\"language-journey\">").count(),
            2,
            "{html}"
        );
        assert!(html.contains("not a task"), "{html}");
        assert!(out.fences.is_empty());
        assert_eq!(out.problems.len(), 2, "{:?}", out.problems);
        assert_eq!(out.problems[0].span, 100..100);
    }

    #[test]
    fn placeholders_never_stay_inside_an_attribute() {
        // An HTML block with an open attribute value swallows the placeholder.
        let out = page(&format!(
            "<div title=\"x\n\n{BLOCK}\n<div lang=\"y\">z</div>\n"
        ));
        let html = out.narrative.as_str();
        assert!(html.contains("<div title=\"x"), "{html}");
        assert_eq!(out.fences.len(), 1);
        assert!(!html.contains("cxmap-diagram-"), "{html}");
        let out = page(&format!("<div class=\"x\">\n\n{BLOCK}\n</div>\n"));
        assert_eq!(
            placeholders(&out.narrative, &out),
            1,
            "{}",
            out.narrative.as_str()
        );
    }

    #[test]
    fn blocks_in_stage_sections_leave_their_placeholder_there() {
        let out = render_with_sections(
            &format!("Intro\n\n{BLOCK}\n## Go\n\n{BLOCK}"),
            RenderOptions::default(),
            &|text, _| (text == "Go").then_some(0),
        );
        assert_eq!(out.fences.len(), 2);
        assert!(out.narrative.as_str().contains(&out.fences[0].token));
        assert!(out.sections[&0].as_str().contains(&out.fences[1].token));
        assert!(!out.narrative.as_str().contains(&out.fences[1].token));
    }

    #[test]
    fn template_syntax_is_just_text() {
        let out = html("{{ config.title }} {% raw %}");
        assert!(out.contains("{{ config.title }}"), "{out}");
    }
}
