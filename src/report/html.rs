//! The report as one self-contained HTML file: styles, fonts and diagrams inline, so it
//! opens from disk or a mail attachment with no request to any other file or host, and
//! prints from a browser as the same pages (A4, a landscape page per journey, page
//! numbers).
//!
//! The markup is written here rather than by a theme template: [`Report`] is plain data
//! already in order, both report writers lay it out in Rust from the same model, and a
//! report must stay self-contained whatever a site's theme links to. Every piece of
//! text goes through [`e`] (escaped); only the diagrams, SVG that cxmap drew and
//! escaped itself, are inserted as they are.

use std::fmt::{self, Write as _};

use super::{JourneySection, PersonaSection, Report};
use crate::error::Result;

/// The report's style sheet (the default theme's look, light scheme, print rules).
const STYLE: &str = include_str!("html.css");

/// The report as HTML.
pub fn write(report: &Report) -> Result<String> {
    let mut out = String::with_capacity(
        800_000 + report.journeys.len() * 60_000 + report.personas.len() * 20_000,
    );
    Writer {
        r: report,
        out: &mut out,
    }
    .document();
    Ok(out)
}

/// Text escaped for HTML content and attribute values.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::html::escape(self.0))
    }
}

fn e(text: &str) -> Escaped<'_> {
    Escaped(text)
}

/// A CSS string literal holding `text` (quotes, backslashes, line breaks and `<` escaped,
/// so it can neither end the string nor the `<style>` element).
fn css_string(text: &str) -> String {
    let mut s = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => {
                let _ = write!(s, "\\{:x} ", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(s, "\\{:x} ", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Standard base64 (for the fonts' data URLs).
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The id of a journey's page and of a persona's profile (distinct from the diagrams'
/// own `cx-` ids).
fn journey_id(j: &JourneySection) -> String {
    format!("journey-{}", j.id)
}

fn persona_id(index: usize) -> String {
    format!("persona-{}", index + 1)
}

struct Writer<'a> {
    r: &'a Report,
    out: &'a mut String,
}

impl<'a> Writer<'a> {
    /// A word of the document, by key (the key itself if a site's strings lack it).
    fn w(&self, key: &'static str) -> &'a str {
        self.r.words.get(key).map_or(key, String::as_str)
    }

    fn put(&mut self, args: fmt::Arguments<'_>) {
        let _ = self.out.write_fmt(args);
    }

    fn document(&mut self) {
        let r = self.r;
        self.put(format_args!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{} · {}</title>\n",
            e(&r.lang),
            e(&r.title),
            e(self.w("report.kind")),
        ));
        if let Some(d) = r.description.as_deref().filter(|d| !d.trim().is_empty()) {
            self.put(format_args!(
                "<meta name=\"description\" content=\"{}\">\n",
                e(d)
            ));
        }
        self.put(format_args!(
            "<meta name=\"generator\" content=\"cxmap\">\n"
        ));
        self.style();
        self.out.push_str("</head>\n<body>\n<main>\n");
        self.cover();
        self.figures();
        if !r.journeys.is_empty() {
            self.journeys();
        }
        self.pains();
        self.opportunities();
        if !r.personas.is_empty() {
            self.personas();
        }
        if r.changes.is_some() {
            self.changes();
        }
        self.out.push_str("</main>\n</body>\n</html>\n");
    }

    fn style(&mut self) {
        self.out.push_str("<style>\n");
        for (weight, bytes) in [
            (400, crate::diagram::font::REGULAR),
            (600, crate::diagram::font::SEMIBOLD),
        ] {
            self.put(format_args!(
                "@font-face {{ font-family: Inter; font-weight: {weight}; font-style: normal; \
                 src: url(\"data:font/otf;base64,{}\") format(\"opentype\"); }}\n",
                base64(bytes)
            ));
        }
        self.out.push_str(STYLE);
        // Page numbers in the language's words: "Page {page} of {pages}".
        let pattern = self.w("report.page").to_string();
        let mut content = Vec::new();
        let mut rest = pattern.as_str();
        while let Some(at) = rest.find('{') {
            let (before, after) = rest.split_at(at);
            let (counter, len) = if after.starts_with("{pages}") {
                ("counter(pages)", "{pages}".len())
            } else if after.starts_with("{page}") {
                ("counter(page)", "{page}".len())
            } else {
                ("", 0)
            };
            if len == 0 {
                break;
            }
            if !before.is_empty() {
                content.push(css_string(before));
            }
            content.push(counter.to_string());
            rest = &after[len..];
        }
        if !rest.is_empty() {
            content.push(css_string(rest));
        }
        if content.is_empty() {
            content.push("counter(page)".into());
        }
        self.put(format_args!(
            "@page {{ @bottom-right {{ content: {}; font-family: var(--cx-font); font-size: 8pt; color: #52606d; }} }}\n",
            content.join(" ")
        ));
        self.out.push_str("</style>\n");
    }

    fn cover(&mut self) {
        let r = self.r;
        self.put(format_args!(
            "<header class=\"cover\" id=\"cover\">\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n",
            e(self.w("report.kind")),
            e(&r.title)
        ));
        if let Some(d) = r.description.as_deref().filter(|d| !d.trim().is_empty()) {
            self.put(format_args!("<p class=\"lead\">{}</p>\n", e(d)));
        }
        self.out.push_str("<ul class=\"cover-facts\">\n");
        if let Some(date) = &r.date {
            let line = self.w("report.content_of").replace("{date}", date);
            self.put(format_args!("<li>{}</li>\n", e(&line)));
        }
        self.put(format_args!("<li>{}</li>\n", e(&r.selection)));
        self.out.push_str("</ul>\n");

        // Contents.
        self.put(format_args!(
            "<nav class=\"contents\" aria-labelledby=\"contents-heading\">\n\
             <h2 id=\"contents-heading\">{}</h2>\n<ol>\n",
            e(self.w("report.contents"))
        ));
        self.put(format_args!(
            "<li><a href=\"#figures\">{}</a></li>\n",
            e(self.w("report.figures"))
        ));
        if !r.journeys.is_empty() {
            self.put(format_args!(
                "<li><a href=\"#journeys\">{}</a>\n<ol>\n",
                e(self.w("report.journeys_section"))
            ));
            for j in &r.journeys {
                self.put(format_args!(
                    "<li><a href=\"#{}\">{}</a></li>\n",
                    e(&journey_id(j)),
                    e(&j.title)
                ));
            }
            self.out.push_str("</ol>\n</li>\n");
        }
        self.put(format_args!(
            "<li><a href=\"#pains\">{}</a></li>\n<li><a href=\"#opportunities\">{}</a></li>\n",
            e(self.w("report.pains_section")),
            e(self.w("report.opportunities_section"))
        ));
        if !r.personas.is_empty() {
            self.put(format_args!(
                "<li><a href=\"#personas\">{}</a></li>\n",
                e(self.w("report.personas_section"))
            ));
        }
        if r.changes.is_some() {
            self.put(format_args!(
                "<li><a href=\"#changes\">{}</a></li>\n",
                e(self.w("report.changes_section"))
            ));
        }
        self.out.push_str("</ol>\n</nav>\n</header>\n");
    }

    fn figures(&mut self) {
        let f = &self.r.figures;
        self.put(format_args!(
            "<section class=\"report-section figures-section\" id=\"figures\" aria-labelledby=\"figures-heading\">\n\
             <h2 id=\"figures-heading\">{}</h2>\n<dl class=\"figures headline\">\n",
            e(self.w("report.figures"))
        ));
        let mut tiles: Vec<(String, String, &str)> = vec![
            (self.w("common.journeys").into(), f.journeys.to_string(), ""),
            (self.w("common.steps").into(), f.steps.to_string(), ""),
            (self.w("common.personas").into(), f.personas.to_string(), ""),
        ];
        if let Some(m) = &f.mean_emotion {
            tiles.push((self.w("common.mean_emotion").into(), m.clone(), ""));
        }
        tiles.push((
            self.w("common.review_due").into(),
            f.stale.to_string(),
            " class=\"stale\"",
        ));
        for (label, value, class) in &tiles {
            self.put(format_args!(
                "<div{class}><dt>{}</dt><dd>{}</dd></div>\n",
                e(label),
                e(value)
            ));
        }
        self.out.push_str("</dl>\n");

        for (heading, counts, kind) in [
            (self.w("common.pains"), &f.pains, "severity"),
            (self.w("common.opportunities"), &f.opportunities, "priority"),
        ] {
            let total: usize = counts.iter().map(|(_, n)| n).sum();
            let heading = heading.to_string();
            self.put(format_args!(
                "<h3>{} <span class=\"muted\">({total})</span></h3>\n",
                e(&heading)
            ));
            if counts.is_empty() {
                continue;
            }
            self.out.push_str("<dl class=\"figures\">\n");
            for (word, n) in counts {
                let key = self.key_of(kind, word);
                self.put(format_args!(
                    "<div><dt><span class=\"{kind} {kind}-{key}\">{}</span></dt><dd>{n}</dd></div>\n",
                    e(word)
                ));
            }
            self.out.push_str("</dl>\n");
        }
        self.out.push_str("</section>\n");
    }

    /// The styling key of a severity or priority word in the figures (the report keeps
    /// only the words there); `none` when no ranked item carries it.
    fn key_of(&self, kind: &str, word: &str) -> String {
        let key = if kind == "severity" {
            self.r
                .pains
                .iter()
                .find(|p| p.severity == word)
                .map(|p| p.severity_key.clone())
        } else {
            self.r
                .owners
                .iter()
                .flat_map(|o| &o.priorities)
                .find(|p| p.priority == word)
                .map(|p| p.priority_key.clone())
        };
        let key = key.unwrap_or_else(|| "none".into());
        // Keys are ours (`low`…, `none`); anything else must not reach a class name.
        if key.bytes().all(|b| b.is_ascii_lowercase()) {
            key
        } else {
            "none".into()
        }
    }

    fn journeys(&mut self) {
        self.put(format_args!(
            "<section class=\"report-section journeys\" id=\"journeys\" aria-labelledby=\"journeys-heading\">\n\
             <h2 id=\"journeys-heading\">{}</h2>\n",
            e(self.w("report.journeys_section"))
        ));
        for j in &self.r.journeys {
            self.journey(j);
        }
        self.out.push_str("</section>\n");
    }

    fn journey(&mut self, j: &JourneySection) {
        let id = journey_id(j);
        self.put(format_args!(
            "<section class=\"journey-page\" id=\"{id}\" aria-labelledby=\"{id}-heading\">\n\
             <h3 id=\"{id}-heading\">{}</h3>\n",
            e(&j.title)
        ));
        self.put(format_args!(
            "<ul class=\"badges\"><li><span class=\"badge state\">{}</span></li>",
            e(&j.state)
        ));
        if j.stale {
            self.put(format_args!(
                "<li><span class=\"badge stale\">{}</span></li>",
                e(self.w("common.review_due"))
            ));
        }
        self.out.push_str("</ul>\n");
        if let Some(s) = j.summary.as_deref().filter(|s| !s.trim().is_empty()) {
            self.put(format_args!("<p class=\"lead\">{}</p>\n", e(s)));
        }
        self.out.push_str("<dl class=\"facts\">\n");
        if let Some(s) = j.scenario.as_deref().filter(|s| !s.trim().is_empty()) {
            self.put(format_args!(
                "<div class=\"wide\"><dt>{}</dt><dd>{}</dd></div>\n",
                e(self.w("journey.scenario")),
                e(s)
            ));
        }
        if !j.personas.is_empty() {
            self.put(format_args!(
                "<div><dt>{}</dt><dd>{}</dd></div>\n",
                e(self.w("common.personas")),
                e(&j.personas.join(", "))
            ));
        }
        if let Some(o) = j.owner.as_deref().filter(|o| !o.trim().is_empty()) {
            self.put(format_args!(
                "<div><dt>{}</dt><dd>{}</dd></div>\n",
                e(self.w("common.owner")),
                e(o)
            ));
        }
        if let Some(d) = &j.reviewed {
            self.put(format_args!(
                "<div><dt>{}</dt><dd>{}</dd></div>\n",
                e(self.w("journey.last_reviewed")),
                e(d)
            ));
        }
        self.out.push_str("</dl>\n");

        if let Some(svg) = &j.map {
            // On screen the map keeps its size and scrolls sideways (a region the
            // keyboard can reach); on paper it is scaled to the page.
            self.put(format_args!(
                "<div class=\"diagram map\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">{svg}</div>\n",
                e(&j.title)
            ));
        }
        if !j.stages.is_empty() {
            self.stage_table(j);
        }
        if let Some(svg) = &j.funnel {
            self.put(format_args!(
                "<figure class=\"diagram funnel\">{svg}</figure>\n"
            ));
        }
        self.out.push_str("</section>\n");
    }

    fn stage_table(&mut self, j: &JourneySection) {
        let has_dropoff = j.stages.iter().any(|s| s.dropoff.is_some());
        let has_metrics = j.stages.iter().any(|s| !s.metrics.is_empty());
        self.put(format_args!(
            "<table class=\"data stages\">\n<caption>{}</caption>\n<thead>\n<tr>\
             <th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th>\
             <th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th>",
            e(self.w("report.stage_figures")),
            e(self.w("common.stages")),
            e(self.w("common.steps")),
            e(self.w("common.mean_emotion")),
            e(self.w("common.pains")),
        ));
        if has_dropoff {
            self.put(format_args!(
                "<th scope=\"col\" class=\"num\">{}</th>",
                e(self.w("report.dropoff"))
            ));
        }
        if has_metrics {
            self.put(format_args!(
                "<th scope=\"col\">{}</th>",
                e(self.w("report.metrics"))
            ));
        }
        self.out.push_str("</tr>\n</thead>\n<tbody>\n");
        for s in &j.stages {
            self.put(format_args!(
                "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                e(&s.name),
                s.steps,
                e(s.mean_emotion.as_deref().unwrap_or("–")),
                s.pains
            ));
            if has_dropoff {
                self.put(format_args!(
                    "<td class=\"num\">{}</td>",
                    e(s.dropoff.as_deref().unwrap_or("–"))
                ));
            }
            if has_metrics {
                self.out.push_str("<td>");
                if !s.metrics.is_empty() {
                    self.out.push_str("<ul>");
                    for m in &s.metrics {
                        self.put(format_args!("<li>{}</li>", e(m)));
                    }
                    self.out.push_str("</ul>");
                }
                self.out.push_str("</td>");
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody>\n</table>\n");
    }

    fn pains(&mut self) {
        let r = self.r;
        self.put(format_args!(
            "<section class=\"report-section pains\" id=\"pains\" aria-labelledby=\"pains-heading\">\n\
             <h2 id=\"pains-heading\">{}</h2>\n",
            e(self.w("report.pains_section"))
        ));
        if r.pains.is_empty() {
            self.put(format_args!(
                "<p class=\"muted\">{} 0</p>\n</section>\n",
                e(self.w("common.pains"))
            ));
            return;
        }
        self.put(format_args!(
            "<table class=\"data ranked\">\n<caption>{}</caption>\n<thead>\n<tr>\
             <th scope=\"col\" class=\"num\">#</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
             <th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th></tr>\n</thead>\n<tbody>\n",
            e(self.w("report.pains_intro")),
            e(self.w("common.pains")),
            e(self.w("report.severity")),
            e(self.w("common.journeys")),
            e(self.w("common.stages")),
        ));
        for (i, p) in r.pains.iter().enumerate() {
            let severity = if p.severity.is_empty() {
                self.w("report.no_severity").to_string()
            } else {
                p.severity.clone()
            };
            let key = if p.severity_key.bytes().all(|b| b.is_ascii_lowercase()) {
                p.severity_key.as_str()
            } else {
                "none"
            };
            self.put(format_args!(
                "<tr><td class=\"num\">{}</td><td><span class=\"pain-text\">{}</span>",
                i + 1,
                e(&p.text)
            ));
            if !p.places.is_empty() {
                self.out.push_str("<ul class=\"places\">");
                for place in &p.places {
                    self.put(format_args!("<li>{}</li>", e(place)));
                }
                self.out.push_str("</ul>");
            }
            self.put(format_args!(
                "</td><td><span class=\"severity severity-{key}\">{}</span></td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                e(&severity),
                p.journeys,
                p.stages
            ));
        }
        self.out.push_str("</tbody>\n</table>\n</section>\n");
    }

    fn opportunities(&mut self) {
        let r = self.r;
        self.put(format_args!(
            "<section class=\"report-section opportunities\" id=\"opportunities\" aria-labelledby=\"opportunities-heading\">\n\
             <h2 id=\"opportunities-heading\">{}</h2>\n<p class=\"measure\">{}</p>\n",
            e(self.w("report.opportunities_section")),
            e(self.w("report.opportunities_intro")),
        ));
        for group in &r.owners {
            self.put(format_args!(
                "<section class=\"owner-group\">\n<h3>{}</h3>\n",
                e(&group.owner)
            ));
            for p in &group.priorities {
                let key = if p.priority_key.bytes().all(|b| b.is_ascii_lowercase()) {
                    p.priority_key.as_str()
                } else {
                    "none"
                };
                self.put(format_args!(
                    "<div class=\"priority-group\">\n<h4><span class=\"priority priority-{key}\">{}</span> \
                     <span class=\"muted\">({})</span></h4>\n<ul class=\"items\">\n",
                    e(&p.priority),
                    p.items.len()
                ));
                for item in &p.items {
                    self.put(format_args!(
                        "<li class=\"card\"><p class=\"text\">{}</p><p class=\"place\">{}",
                        e(&item.text),
                        e(&item.place)
                    ));
                    if let Some(s) = item.status.as_deref().filter(|s| !s.trim().is_empty()) {
                        self.put(format_args!(" <span class=\"status\">{}</span>", e(s)));
                    }
                    self.out.push_str("</p></li>\n");
                }
                self.out.push_str("</ul>\n</div>\n");
            }
            self.out.push_str("</section>\n");
        }
        self.out.push_str("</section>\n");
    }

    fn personas(&mut self) {
        self.put(format_args!(
            "<section class=\"report-section personas\" id=\"personas\" aria-labelledby=\"personas-heading\">\n\
             <h2 id=\"personas-heading\">{}</h2>\n",
            e(self.w("report.personas_section"))
        ));
        for (i, p) in self.r.personas.iter().enumerate() {
            self.persona(i, p);
        }
        self.out.push_str("</section>\n");
    }

    fn persona(&mut self, index: usize, p: &PersonaSection) {
        let id = persona_id(index);
        self.put(format_args!(
            "<section class=\"persona-page\" id=\"{id}\" aria-labelledby=\"{id}-heading\">\n\
             <h3 id=\"{id}-heading\">{}</h3>\n",
            e(&p.name)
        ));
        if let Some(role) = p.role.as_deref().filter(|s| !s.trim().is_empty()) {
            self.put(format_args!("<p class=\"role\">{}</p>\n", e(role)));
        }
        if let Some(q) = p.quote.as_deref().filter(|s| !s.trim().is_empty()) {
            self.put(format_args!("<blockquote><p>{}</p></blockquote>\n", e(q)));
        }
        if !p.journeys.is_empty() {
            self.put(format_args!(
                "<p><strong>{}:</strong> {}</p>\n",
                e(self.w("report.walks")),
                e(&p.journeys.join(", "))
            ));
        }
        let lists = [
            ("report.goals", &p.goals),
            ("report.needs", &p.needs),
            ("report.frustrations", &p.frustrations),
            ("report.motivations", &p.motivations),
        ];
        if lists.iter().any(|(_, l)| !l.is_empty()) {
            self.out.push_str("<div class=\"profile-grid\">\n");
            for (key, list) in lists {
                if list.is_empty() {
                    continue;
                }
                self.put(format_args!(
                    "<div class=\"card\"><h4>{}</h4><ul>",
                    e(self.w(key))
                ));
                for item in list {
                    self.put(format_args!("<li>{}</li>", e(item)));
                }
                self.out.push_str("</ul></div>\n");
            }
            self.out.push_str("</div>\n");
        }
        if let Some(svg) = &p.empathy {
            self.put(format_args!(
                "<figure class=\"diagram empathy\">{svg}</figure>\n"
            ));
        }
        self.out.push_str("</section>\n");
    }

    fn changes(&mut self) {
        let Some(c) = &self.r.changes else { return };
        self.put(format_args!(
            "<section class=\"report-section changes\" id=\"changes\" aria-labelledby=\"changes-heading\">\n\
             <h2 id=\"changes-heading\">{}</h2>\n",
            e(self.w("report.changes_section"))
        ));
        let key = if c.items.is_empty() {
            "report.no_changes"
        } else {
            "report.changes_since"
        };
        let line = self.w(key).replace("{since}", &c.since);
        self.put(format_args!("<p class=\"measure\">{}</p>\n", e(&line)));
        for (title, statements) in &c.items {
            self.put(format_args!(
                "<section class=\"change\">\n<h3>{}</h3>\n<ul>\n",
                e(title)
            ));
            for s in statements {
                self.put(format_args!("<li>{}</li>\n", e(s)));
            }
            self.out.push_str("</ul>\n</section>\n");
        }
        self.out.push_str("</section>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn css_strings_cannot_end_the_string_or_the_style_element() {
        assert_eq!(css_string("Page "), "\"Page \"");
        assert_eq!(css_string("a\"b</style>"), "\"a\\22 b\\3c /style\\3e \"");
    }
}
