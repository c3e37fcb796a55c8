//! The report as a vector PDF.
//!
//! Every page is laid out as one SVG (A4: portrait for text sections, landscape for
//! journeys), with text measured by the bundled Inter metrics ([`font::wrap`]; the
//! site's own fonts for what Inter lacks) and
//! wrapped, never clipped: a list or table that does not fit goes on over the next pages,
//! and a map too wide to read at the page's width is printed over several pages (tiles
//! that overlap a little) rather than shrunk out of sight. Diagrams are the report's own
//! SVG, nested as they are. Each page SVG is parsed by usvg with only the bundled fonts
//! and the site's own (`fonts/`; [`crate::diagram::raster::Poster`]), never the system's,
//! and drawn by krilla-svg, so text stays real text:
//! selectable and searchable. The document gets an outline (a bookmark per section, per
//! journey and per persona), a footer with the site's title and "Page N of M", its title
//! and language in the metadata, and no clock: the same report gives the same bytes.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::Report;
use crate::diagram::font::{self, Weight, wrap};
use crate::diagram::palette::{CURVE, INK, LANE, LINE, MUTED, OPPORTUNITY, PAIN};
use crate::diagram::svg::num;
use crate::diagram::{
    line_height,
    poster::printable,
    raster::{Fonts, Poster},
};
use crate::error::{Error, Result};
use crate::html::escape_into;

/// A4 portrait, in points.
pub const PORTRAIT: (f32, f32) = (595.0, 842.0);
/// A4 landscape, in points.
pub const LANDSCAPE: (f32, f32) = (842.0, 595.0);
/// Below this scale a map's words are too small to read on paper: the map then gets
/// pages of its own, printed over several when needed.
pub const MIN_MAP_SCALE: f32 = 0.45;
/// The largest scale a map is printed at over several pages.
const TILE_SCALE: f32 = 0.6;
/// How much neighbouring parts of a map printed over several pages share, in map units.
const TILE_OVERLAP: f32 = 32.0;

const SIDE: f32 = 48.0;
const TOP: f32 = 50.0;
/// Space kept for the footer.
const BOTTOM: f32 = 54.0;

const CRITICAL: &str = "#9b1c1c";
const MEDIUM: &str = "#8a5a00";

/// The report as PDF bytes.
pub fn write(report: &Report) -> Result<Vec<u8>> {
    use krilla::Document;
    use krilla::destination::XyzDestination;
    use krilla::geom::{Point, Size};
    use krilla::metadata::Metadata;
    use krilla::outline::{Outline, OutlineNode};
    use krilla::page::PageSettings;
    use krilla_svg::{SurfaceExt, SvgSettings};

    let (layout, svgs) = font::with_site_fonts(&report.fonts, || {
        let layout = lay_out(report);
        let svgs = layout.svgs(report);
        (layout, svgs)
    });
    let failed = |what: &str| Error::Export {
        message: format!("the report cannot be written as PDF: {what}"),
    };
    let fonts = Fonts::new(&report.fonts);
    let trees = svgs
        .par_iter()
        .map(|svg| Poster::parse_with(svg, &fonts))
        .collect::<Result<Vec<_>>>()?;

    let mut document = Document::new();
    for (page, tree) in layout.pages.iter().zip(&trees) {
        let settings =
            PageSettings::from_wh(page.width, page.height).ok_or_else(|| failed("empty page"))?;
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        let size = Size::from_wh(page.width, page.height).ok_or_else(|| failed("empty page"))?;
        surface
            .draw_svg(tree.tree(), size, SvgSettings::default())
            .ok_or_else(|| failed("a page cannot be drawn"))?;
        surface.finish();
        pdf_page.finish();
    }

    let node = |mark: &Mark| {
        OutlineNode::new(
            mark.title.clone(),
            XyzDestination::new(mark.page, Point::from_xy(0.0, 0.0)),
        )
    };
    let mut outline = Outline::new();
    let mut open: Option<OutlineNode> = None;
    for mark in &layout.marks {
        if mark.level == 0 {
            if let Some(done) = open.take() {
                outline.push_child(done);
            }
            open = Some(node(mark));
        } else if let Some(parent) = open.as_mut() {
            parent.push_child(node(mark));
        } else {
            outline.push_child(node(mark));
        }
    }
    if let Some(done) = open.take() {
        outline.push_child(done);
    }
    document.set_outline(outline);

    let mut metadata = Metadata::new()
        .title(format!(
            "{} — {}",
            report.title,
            word(report, "report.kind")
        ))
        .language(report.lang.clone())
        .creator("cxmap".to_string());
    if let Some(description) = &report.description {
        metadata = metadata.description(description.clone());
    }
    document.set_metadata(metadata);
    document.finish().map_err(|e| failed(&format!("{e:?}")))
}

/// The report's pages as standalone SVG documents, one point per unit, footers
/// included: what [`write`] draws into the PDF (for previews and tests).
pub fn pages(report: &Report) -> Vec<String> {
    lay_out(report).svgs(report)
}

/// A word of the report, or its key when the strings lack it.
fn word<'r>(report: &'r Report, key: &'r str) -> &'r str {
    report.words.get(key).map_or(key, String::as_str)
}

/// One laid-out page: its size and what is drawn on it (SVG elements).
struct Page {
    width: f32,
    height: f32,
    body: String,
}

/// A bookmark: a section (level 0) or an entry in it (level 1), and its page.
struct Mark {
    level: usize,
    title: String,
    page: usize,
}

/// The pages so far, the bookmarks and where the next line goes.
struct Layout {
    pages: Vec<Page>,
    marks: Vec<Mark>,
    y: f32,
}

/// A run of wrapped lines of one style.
struct Lines {
    lines: Vec<String>,
    size: f32,
    weight: Weight,
    fill: &'static str,
}

impl Lines {
    fn new(text: &str, max: f32, size: f32, weight: Weight, fill: &'static str) -> Lines {
        Lines {
            lines: wrap(text, max, size, weight),
            size,
            weight,
            fill,
        }
    }

    fn height(&self) -> f32 {
        self.lines.len() as f32 * line_height(self.size)
    }
}

impl Layout {
    fn new() -> Layout {
        Layout {
            pages: Vec::new(),
            marks: Vec::new(),
            y: TOP,
        }
    }

    fn page(&mut self, (width, height): (f32, f32)) {
        self.pages.push(Page {
            width,
            height,
            body: String::new(),
        });
        self.y = TOP;
    }

    fn current(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page is started first")
    }

    fn size(&self) -> (f32, f32) {
        self.pages.last().map_or(PORTRAIT, |p| (p.width, p.height))
    }

    /// The width between the side margins.
    fn inner(&self) -> f32 {
        self.size().0 - 2.0 * SIDE
    }

    /// The lowest y content may reach.
    fn bottom(&self) -> f32 {
        self.size().1 - BOTTOM
    }

    /// Starts a page of the same size unless `h` fits below; a fresh page always takes it.
    fn room(&mut self, h: f32) {
        if self.y + h > self.bottom() && self.y > TOP {
            let size = self.size();
            self.page(size);
        }
    }

    fn mark(&mut self, level: usize, title: &str) {
        self.marks.push(Mark {
            level,
            title: title.to_string(),
            page: self.pages.len() - 1,
        });
    }

    /// Draws one line of text with its top at `top`.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        x: f32,
        top: f32,
        line: &str,
        size: f32,
        weight: Weight,
        fill: &str,
        end: bool,
    ) {
        let baseline = top + (line_height(size) - size) / 2.0 + size * 0.8;
        let body = &mut self.current().body;
        let _ = write!(
            body,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{fill}\"",
            num(x),
            num(baseline),
            num(size)
        );
        if weight == Weight::SemiBold {
            body.push_str(" font-weight=\"600\"");
        }
        if end {
            body.push_str(" text-anchor=\"end\"");
        }
        body.push('>');
        escape_into(line, body);
        body.push_str("</text>\n");
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: &str) {
        let _ = writeln!(
            self.current().body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>",
            num(x),
            num(y),
            num(w),
            num(h)
        );
    }

    fn rule(&mut self, x: f32, y: f32, w: f32) {
        let _ = writeln!(
            self.current().body,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{LINE}\" stroke-width=\"0.75\"/>",
            num(x),
            num(y),
            num(x + w),
            num(y)
        );
    }

    /// Lines at `x`, flowing onto following pages when the page is full.
    fn lines(&mut self, x: f32, lines: &Lines) {
        let lh = line_height(lines.size);
        for line in &lines.lines {
            self.room(lh);
            let y = self.y;
            self.text(x, y, line, lines.size, lines.weight, lines.fill, false);
            self.y += lh;
        }
    }

    /// A paragraph across the text width.
    fn paragraph(&mut self, text: &str, size: f32, weight: Weight, fill: &'static str) {
        let lines = Lines::new(text, self.inner(), size, weight, fill);
        self.lines(SIDE, &lines);
    }

    /// A section of the report: a new portrait page with its title, bookmarked.
    fn section(&mut self, title: &str) {
        self.page(PORTRAIT);
        self.mark(0, title);
        self.heading(title, 22.0, 0.0);
    }

    /// The muted paragraph that introduces a section, and the space after it.
    fn intro(&mut self, text: &str) {
        self.paragraph(text, 10.0, Weight::Regular, MUTED);
        self.y += 12.0;
    }

    /// A heading, kept with `keep` points of what follows.
    fn heading(&mut self, text: &str, size: f32, keep: f32) {
        let lines = Lines::new(text, self.inner(), size, Weight::SemiBold, INK);
        self.room(lines.height() + keep);
        self.lines(SIDE, &lines);
        self.y += size * 0.4;
    }

    /// A diagram's SVG nested at (`x`, `y`), `scale` points per unit, showing the part
    /// `view` (x, y, width, height in the diagram's units).
    fn diagram(&mut self, svg: &str, x: f32, y: f32, scale: f32, view: (f32, f32, f32, f32)) {
        let nested = nest(svg, view, (x, y, view.2 * scale, view.3 * scale));
        if let Some(nested) = nested {
            let body = &mut self.current().body;
            body.push_str(&nested);
            body.push('\n');
        }
    }

    /// The pages as SVG, each with its footer.
    fn svgs(&self, report: &Report) -> Vec<String> {
        let total = self.pages.len();
        self.pages
            .iter()
            .enumerate()
            .map(|(i, page)| {
                let (w, h) = (page.width, page.height);
                let mut out = String::with_capacity(page.body.len() + 1024);
                let _ = write!(
                    out,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{}, sans-serif\">\n<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
                    font::FAMILY,
                    w = num(w),
                    h = num(h),
                );
                out.push_str(&page.body);
                let mut footer = Layout {
                    pages: vec![Page {
                        width: w,
                        height: h,
                        body: String::new(),
                    }],
                    marks: Vec::new(),
                    y: 0.0,
                };
                let y = h - BOTTOM + 22.0;
                footer.rule(SIDE, y - 6.0, w - 2.0 * SIDE);
                let number = word(report, "report.page")
                    .replace("{page}", &(i + 1).to_string())
                    .replace("{pages}", &total.to_string());
                let number_w = font::width(&number, 8.0, Weight::Regular);
                let title = wrap(&report.title, w - 2.0 * SIDE - number_w - 24.0, 8.0, Weight::Regular);
                for (n, line) in title.iter().enumerate() {
                    footer.text(SIDE, y + n as f32 * 10.0, line, 8.0, Weight::Regular, MUTED, false);
                }
                footer.text(w - SIDE, y, &number, 8.0, Weight::Regular, MUTED, true);
                out.push_str(&footer.pages[0].body);
                out.push_str("</svg>\n");
                out
            })
            .collect()
    }
}

/// The width and height of an SVG document, from its `viewBox` (or `width`/`height`).
fn svg_size(svg: &str) -> Option<(f32, f32)> {
    let start = svg.find("<svg")?;
    let tag = &svg[start..start + svg[start..].find('>')?];
    if let Some(vb) = attribute(tag, "viewBox") {
        let v: Vec<f32> = vb
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        if v.len() == 4 && v[2] > 0.0 && v[3] > 0.0 {
            return Some((v[2], v[3]));
        }
    }
    let w = attribute(tag, "width")?.parse().ok()?;
    let h = attribute(tag, "height")?.parse().ok()?;
    Some((w, h))
}

/// The value of attribute `name` in a start tag.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let len = tag[at..].find('"')?;
    Some(&tag[at..at + len])
}

/// A standalone SVG document as an `<svg>` element nested in a page: any XML
/// declaration dropped, its own position, size and view replaced by `place` (x, y,
/// width, height on the page) and `view` (the part shown, in its units). A nested
/// `<svg>` clips to its box, so a part of a map shows that part only.
fn nest(svg: &str, view: (f32, f32, f32, f32), place: (f32, f32, f32, f32)) -> Option<String> {
    let start = svg.find("<svg")?;
    let svg = &svg[start..];
    let end = svg.find('>')?;
    let (tag, rest) = svg.split_at(end);
    let mut tag = tag.to_string();
    for name in [
        "x",
        "y",
        "width",
        "height",
        "viewBox",
        "preserveAspectRatio",
    ] {
        let key = format!(" {name}=\"");
        if let Some(at) = tag.find(&key)
            && let Some(len) = tag[at + key.len()..].find('"')
        {
            tag.replace_range(at..at + key.len() + len + 1, "");
        }
    }
    let _ = write!(
        tag,
        " x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\" preserveAspectRatio=\"xMinYMin meet\"",
        num(place.0),
        num(place.1),
        num(place.2),
        num(place.3),
        num(view.0),
        num(view.1),
        num(view.2),
        num(view.3)
    );
    Some(format!("{tag}{}", printable(rest)))
}

fn severity_colour(key: &str) -> &'static str {
    use crate::model::Severity;
    match key.parse::<Severity>() {
        Ok(Severity::Critical) => CRITICAL,
        Ok(Severity::High) => PAIN,
        Ok(Severity::Medium) => MEDIUM,
        Ok(Severity::Low) | Err(_) => MUTED,
    }
}

fn priority_colour(key: &str) -> &'static str {
    use crate::model::Priority;
    match key.parse::<Priority>() {
        Ok(Priority::High) => OPPORTUNITY,
        Ok(Priority::Medium) => CURVE,
        Ok(Priority::Low) | Err(_) => MUTED,
    }
}

fn lay_out(report: &Report) -> Layout {
    let mut l = Layout::new();
    let contents_at = cover(&mut l, report);
    figures(&mut l, report);
    for (i, journey) in report.journeys.iter().enumerate() {
        journey_pages(&mut l, report, journey, i == 0);
    }
    pains(&mut l, report);
    opportunities(&mut l, report);
    for (i, persona) in report.personas.iter().enumerate() {
        persona_page(&mut l, report, persona, i == 0);
    }
    if let Some(changes) = &report.changes {
        changes_pages(&mut l, report, changes);
    }
    contents(&mut l, report, contents_at);
    l
}

/// The cover: the kind of document, the site, the content's date and the selection.
/// Returns where the contents go.
fn cover(l: &mut Layout, report: &Report) -> f32 {
    l.page(PORTRAIT);
    l.mark(0, &report.title);
    let (w, _) = PORTRAIT;
    l.rect(0.0, 0.0, w, 12.0, CURVE);
    l.y = 190.0;
    l.paragraph(word(report, "report.kind"), 14.0, Weight::SemiBold, CURVE);
    l.y += 8.0;
    l.paragraph(&report.title, 32.0, Weight::SemiBold, INK);
    if let Some(description) = &report.description {
        l.y += 6.0;
        l.paragraph(description, 13.0, Weight::Regular, MUTED);
    }
    l.y += 18.0;
    if let Some(date) = &report.date {
        let line = word(report, "report.content_of").replace("{date}", date);
        l.paragraph(&line, 11.0, Weight::Regular, INK);
    }
    l.paragraph(&report.selection, 11.0, Weight::Regular, INK);
    l.y + 48.0
}

/// The contents on the cover: each section and its page.
fn contents(l: &mut Layout, report: &Report, at: f32) {
    let sections: Vec<(String, usize)> = l
        .marks
        .iter()
        .skip(1)
        .filter(|m| m.level == 0)
        .map(|m| (m.title.clone(), m.page + 1))
        .collect();
    let inner = PORTRAIT.0 - 2.0 * SIDE;
    let mut cover = Layout {
        pages: vec![Page {
            width: PORTRAIT.0,
            height: PORTRAIT.1,
            body: String::new(),
        }],
        marks: Vec::new(),
        y: at,
    };
    let lh = line_height(11.0);
    // Only as many lines as fit above the footer: the outline has them all anyway.
    if cover.y + lh * 2.0 > cover.bottom() {
        return;
    }
    cover.text(
        SIDE,
        at,
        word(report, "report.contents"),
        12.0,
        Weight::SemiBold,
        INK,
        false,
    );
    cover.y += line_height(12.0) + 6.0;
    for (title, page) in sections {
        let lines = wrap(&title, inner - 60.0, 11.0, Weight::Regular);
        let h = lines.len() as f32 * lh + 4.0;
        if cover.y + h > cover.bottom() {
            break;
        }
        for (n, line) in lines.iter().enumerate() {
            let y = cover.y + n as f32 * lh;
            cover.text(SIDE, y, line, 11.0, Weight::Regular, INK, false);
        }
        let y = cover.y;
        cover.text(
            SIDE + inner,
            y,
            &page.to_string(),
            11.0,
            Weight::Regular,
            MUTED,
            true,
        );
        cover.y += h;
        let y = cover.y - 2.0;
        cover.rule(SIDE, y, inner);
    }
    let body = std::mem::take(&mut cover.pages[0].body);
    l.pages[0].body.push_str(&body);
}

/// The headline figures: counts as cards, then pains by severity and opportunities by
/// priority.
fn figures(l: &mut Layout, report: &Report) {
    l.section(word(report, "report.figures"));
    l.y += 8.0;
    let f = &report.figures;
    let cards: Vec<(String, &str)> = vec![
        (f.journeys.to_string(), word(report, "common.journeys")),
        (f.steps.to_string(), word(report, "common.steps")),
        (f.personas.to_string(), word(report, "common.personas")),
        (
            f.mean_emotion.clone().unwrap_or_else(|| "–".into()),
            word(report, "common.mean_emotion"),
        ),
        (f.stale.to_string(), word(report, "common.review_due")),
    ];
    let inner = l.inner();
    let gap = 10.0;
    let card_w = (inner - gap * (cards.len() as f32 - 1.0)) / cards.len() as f32;
    let labels: Vec<Vec<String>> = cards
        .iter()
        .map(|(_, label)| wrap(label, card_w - 16.0, 9.0, Weight::Regular))
        .collect();
    let label_lines = labels.iter().map(Vec::len).max().unwrap_or(1) as f32;
    let card_h = 14.0 + line_height(24.0) + 4.0 + label_lines * line_height(9.0) + 12.0;
    let top = l.y;
    for (i, ((value, _), label)) in cards.iter().zip(&labels).enumerate() {
        let x = SIDE + i as f32 * (card_w + gap);
        l.rect(x, top, card_w, card_h, LANE);
        l.rect(x, top, 3.0, card_h, CURVE);
        l.text(
            x + 10.0,
            top + 12.0,
            value,
            24.0,
            Weight::SemiBold,
            INK,
            false,
        );
        for (n, line) in label.iter().enumerate() {
            let y = top + 12.0 + line_height(24.0) + 4.0 + n as f32 * line_height(9.0);
            l.text(x + 10.0, y, line, 9.0, Weight::Regular, MUTED, false);
        }
    }
    l.y = top + card_h + 28.0;

    let lists = [
        (
            word(report, "common.pains"),
            &f.pains,
            [CRITICAL, PAIN, MEDIUM, MUTED, MUTED],
        ),
        (
            word(report, "common.opportunities"),
            &f.opportunities,
            [OPPORTUNITY, CURVE, MUTED, MUTED, MUTED],
        ),
    ];
    for (title, counts, colours) in lists {
        l.heading(title, 14.0, 40.0);
        let total: usize = counts.iter().map(|(_, n)| n).sum();
        let bar_max = inner - 200.0;
        for (i, (name, n)) in counts.iter().enumerate() {
            let lines = Lines::new(name, 130.0, 10.0, Weight::Regular, INK);
            let h = lines.height().max(16.0) + 6.0;
            l.room(h);
            let y = l.y;
            l.lines(SIDE, &lines);
            l.y = y;
            let share = if total == 0 {
                0.0
            } else {
                *n as f32 / total as f32
            };
            let colour = colours[i.min(colours.len() - 1)];
            l.rect(
                SIDE + 140.0,
                y + 2.0,
                (bar_max * share).max(1.5),
                10.0,
                colour,
            );
            l.text(
                SIDE + inner,
                y,
                &n.to_string(),
                10.0,
                Weight::SemiBold,
                INK,
                true,
            );
            l.y = y + h;
        }
        l.y += 20.0;
    }
}

/// A journey's pages (landscape): header, map, stage figures, funnel.
fn journey_pages(l: &mut Layout, report: &Report, j: &super::JourneySection, first: bool) {
    l.page(LANDSCAPE);
    if first {
        l.mark(0, word(report, "report.journeys_section"));
    }
    l.mark(1, &j.title);
    let inner = l.inner();
    l.rect(0.0, 0.0, LANDSCAPE.0, 8.0, CURVE);
    l.y = 32.0;
    let eyebrow = if j.stale {
        format!("{} · {}", j.state, word(report, "common.review_due"))
    } else {
        j.state.clone()
    };
    l.paragraph(
        &eyebrow,
        9.0,
        Weight::SemiBold,
        if j.stale { PAIN } else { CURVE },
    );
    l.paragraph(&j.title, 18.0, Weight::SemiBold, INK);
    if let Some(summary) = &j.summary {
        l.paragraph(summary, 10.0, Weight::Regular, MUTED);
    }
    l.y += 4.0;
    let mut facts: Vec<String> = Vec::new();
    if let Some(scenario) = &j.scenario {
        facts.push(format!("{}: {scenario}", word(report, "journey.scenario")));
    }
    let mut meta: Vec<String> = Vec::new();
    if !j.personas.is_empty() {
        meta.push(format!(
            "{}: {}",
            word(report, "common.personas"),
            j.personas.join(", ")
        ));
    }
    if let Some(owner) = &j.owner {
        meta.push(format!("{}: {owner}", word(report, "common.owner")));
    }
    if let Some(reviewed) = &j.reviewed {
        meta.push(format!(
            "{}: {reviewed}",
            word(report, "journey.last_reviewed")
        ));
    }
    if !meta.is_empty() {
        facts.push(meta.join("   ·   "));
    }
    for fact in &facts {
        l.paragraph(fact, 9.0, Weight::Regular, INK);
    }
    l.y += 8.0;

    let mut map_pages = None;
    let mut placed = false;
    if let Some(map) = &j.map
        && let Some((mw, mh)) = svg_size(map)
    {
        let room = l.bottom() - l.y;
        let scale = (inner / mw).min(room / mh).min(1.0);
        if scale >= MIN_MAP_SCALE {
            let top = l.y;
            l.diagram(map, SIDE, top, scale, (0.0, 0.0, mw, mh));
            l.y += mh * scale + 14.0;
            // A narrow map leaves room on its right for the figures.
            let x = SIDE + mw * scale + 24.0;
            let w = SIDE + inner - x;
            if w >= 300.0 {
                // The funnel goes along when its words stay readable there, or when
                // there is no room for it below the map.
                let below_room = l.bottom() - l.y;
                let funnel_too = j
                    .funnel
                    .as_deref()
                    .and_then(svg_size)
                    .is_none_or(|(fw, fh)| {
                        w / fw >= 0.5 || fh * (inner / fw).min(0.7) + 8.0 > below_room
                    });
                placed = beside(l, x, w, top, |l, x, w| {
                    if !j.stages.is_empty() {
                        stage_table(l, report, j, x, w);
                    }
                    if funnel_too && let Some(svg) = &j.funnel {
                        funnel(l, svg, x, w);
                    }
                });
                if placed
                    && !funnel_too
                    && let Some(svg) = &j.funnel
                {
                    funnel(l, svg, SIDE, inner);
                }
            }
        } else {
            // Too wide: in parts from here when they are readable below the header,
            // else on pages of their own after the figures.
            let here = ((room - line_height(9.0) - 2.0) / mh).min(TILE_SCALE);
            if here >= MIN_MAP_SCALE {
                map_parts(l, &j.title, map, (mw, mh), Some(here));
            } else {
                map_pages = Some((map, mw, mh));
            }
        }
    }

    if !placed {
        if !j.stages.is_empty() {
            stage_table(l, report, j, SIDE, inner);
        }
        if let Some(svg) = &j.funnel {
            funnel(l, svg, SIDE, inner);
        }
    }
    if let Some((map, mw, mh)) = map_pages {
        map_parts(l, &j.title, map, (mw, mh), None);
    }
}

/// A map too small to read at the page's width: on pages of its own at the largest
/// scale that fits one page, or over several pages (parts that overlap a little) when
/// that is too small. With `here`, at that scale, starting below what is on the page.
fn map_parts(l: &mut Layout, title: &str, map: &str, (mw, mh): (f32, f32), here: Option<f32>) {
    let (pw, ph) = LANDSCAPE;
    let room_w = pw - 2.0 * SIDE;
    // The caption of a part on its own page, as long as the longest one.
    let caption = |part: usize, parts: usize| {
        if parts > 1 {
            format!("{title} ({part}/{parts})")
        } else {
            title.to_string()
        }
    };
    let caption_h = |parts: usize| {
        Lines::new(
            &caption(parts, parts),
            room_w,
            10.0,
            Weight::SemiBold,
            MUTED,
        )
        .height()
            + 8.0
    };
    let room_h = ph - TOP - BOTTOM - caption_h(9);
    let scale = here.unwrap_or_else(|| {
        let fit = (room_w / mw).min(room_h / mh).min(1.0);
        if fit >= MIN_MAP_SCALE {
            fit
        } else {
            (room_h / mh).clamp(MIN_MAP_SCALE, TILE_SCALE)
        }
    });
    let spans = |size: f32, room: f32| -> Vec<(f32, f32)> {
        let tile = room / scale;
        if size <= tile + 0.5 {
            return vec![(0.0, size)];
        }
        let n = ((size - TILE_OVERLAP) / (tile - TILE_OVERLAP))
            .ceil()
            .max(2.0) as usize;
        let step = (size - tile) / (n - 1) as f32;
        (0..n).map(|i| (i as f32 * step, tile)).collect()
    };
    let (cols, rows) = (spans(mw, room_w), spans(mh, room_h));
    let parts = cols.len() * rows.len();
    let mut part = 0;
    for (y0, th) in &rows {
        for (x0, tw) in &cols {
            part += 1;
            if part == 1 && here.is_some() {
                if parts > 1 {
                    let (y, label) = (l.y, format!("{part}/{parts}"));
                    l.text(SIDE + room_w, y, &label, 9.0, Weight::SemiBold, MUTED, true);
                    l.y += line_height(9.0) + 2.0;
                }
            } else {
                l.page(LANDSCAPE);
                let lines =
                    Lines::new(&caption(part, parts), room_w, 10.0, Weight::SemiBold, MUTED);
                l.lines(SIDE, &lines);
                l.y += 8.0;
            }
            let y = l.y;
            l.diagram(map, SIDE, y, scale, (*x0, *y0, *tw, *th));
            l.y = y + th * scale + 14.0;
        }
    }
}

/// A journey's stage figures as a table in the column at `x`, `w` wide, that goes on
/// over pages with its header repeated. In a narrow column a stage's metrics go on
/// lines of their own below its row.
fn stage_table(l: &mut Layout, report: &Report, j: &super::JourneySection, x0: f32, w: f32) {
    const PAD: f32 = 4.0;
    let narrow = w < 560.0;
    let fixed = if narrow {
        [
            (word(report, "common.steps"), 40.0),
            (word(report, "common.mean_emotion"), 64.0),
            (word(report, "common.pains"), 40.0),
            (word(report, "report.dropoff"), 52.0),
        ]
    } else {
        [
            (word(report, "common.steps"), 56.0),
            (word(report, "common.mean_emotion"), 86.0),
            (word(report, "common.pains"), 56.0),
            (word(report, "report.dropoff"), 64.0),
        ]
    };
    // A column is at least as wide as the longest word of its heading.
    let fixed = fixed.map(|(name, width): (&str, f32)| {
        let longest = name
            .split_whitespace()
            .map(|word| font::width(word, 8.5, Weight::SemiBold))
            .fold(0.0, f32::max);
        (name, width.max(longest + 2.0 * PAD + 1.0))
    });
    let rest = w - fixed.iter().map(|(_, w)| w).sum::<f32>();
    let name_w = if narrow {
        rest
    } else {
        (rest * 0.4).min(220.0)
    };
    let mut columns: Vec<(&str, f32)> = vec![(word(report, "common.stages"), name_w)];
    columns.extend(fixed);
    if !narrow {
        columns.push((word(report, "report.metrics"), rest - name_w));
    }
    let size = 9.0;
    let lh = line_height(size);
    let header: Vec<Vec<String>> = columns
        .iter()
        .map(|(name, w)| wrap(name, w - 2.0 * PAD, 8.5, Weight::SemiBold))
        .collect();
    let header_h =
        header.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_height(8.5) + 2.0 * PAD;
    let draw_header = |l: &mut Layout| {
        let top = l.y;
        l.rect(x0, top, w, header_h, LANE);
        let mut x = x0;
        for ((_, w), lines) in columns.iter().zip(&header) {
            for (n, line) in lines.iter().enumerate() {
                let y = top + PAD + n as f32 * line_height(8.5);
                l.text(x + PAD, y, line, 8.5, Weight::SemiBold, MUTED, false);
            }
            x += w;
        }
        l.y += header_h;
    };
    let title = Lines::new(
        word(report, "report.stage_figures"),
        w,
        12.0,
        Weight::SemiBold,
        INK,
    );
    l.room(title.height() + header_h + lh * 2.0 + 2.0 * PAD);
    l.lines(x0, &title);
    l.y += 4.0;
    draw_header(l);
    for stage in &j.stages {
        let cells: Vec<String> = vec![
            stage.name.clone(),
            stage.steps.to_string(),
            stage.mean_emotion.clone().unwrap_or_else(|| "–".into()),
            stage.pains.to_string(),
            stage.dropoff.clone().unwrap_or_else(|| "–".into()),
            stage.metrics.join("\n"),
        ];
        let mut wrapped: Vec<(f32, Vec<String>, Weight, &str)> = cells
            .iter()
            .zip(&columns)
            .enumerate()
            .map(|(c, (text, (_, w)))| {
                let weight = if c == 0 {
                    Weight::SemiBold
                } else {
                    Weight::Regular
                };
                (0.0, wrap(text, w - 2.0 * PAD, size, weight), weight, INK)
            })
            .collect();
        // Each cell's x, then the lines of the row: (x, line, weight, fill) per row line.
        let mut x = x0;
        for (cell, (_, w)) in wrapped.iter_mut().zip(&columns) {
            cell.0 = x;
            x += w;
        }
        let mut rows: Vec<Vec<(f32, String, Weight, &str)>> = Vec::new();
        for (x, lines, weight, fill) in &wrapped {
            for (n, line) in lines.iter().enumerate() {
                if rows.len() <= n {
                    rows.push(Vec::new());
                }
                rows[n].push((*x, line.clone(), *weight, fill));
            }
        }
        if narrow && !stage.metrics.is_empty() {
            for metric in &stage.metrics {
                for line in wrap(metric, w - 2.0 * PAD - 8.0, 8.5, Weight::Regular) {
                    rows.push(vec![(x0 + 8.0, line, Weight::Regular, MUTED)]);
                }
            }
        }
        let count_rows = rows.len().max(1);
        let page_room = l.size().1 - TOP - BOTTOM - header_h;
        // A row taller than a page goes on line by line; others stay whole.
        let chunk = ((page_room - 2.0 * PAD) / lh).floor().max(1.0) as usize;
        let mut first = 0;
        while first < count_rows {
            let count = (count_rows - first).min(chunk);
            let h = count as f32 * lh + 2.0 * PAD;
            if l.y + h > l.bottom() {
                let size = l.size();
                l.page(size);
                draw_header(l);
            }
            let top = l.y;
            for (n, row) in rows.iter().skip(first).take(count).enumerate() {
                for (x, line, weight, fill) in row {
                    let y = top + PAD + n as f32 * lh;
                    let size = if *fill == MUTED { 8.5 } else { size };
                    l.text(x + PAD, y, line, size, *weight, fill, false);
                }
            }
            l.y += h;
            let y = l.y;
            l.rule(x0, y, w);
            first += count;
        }
    }
    l.y += 6.0;
}

/// A journey's funnel in the column at `x`, `w` wide.
fn funnel(l: &mut Layout, funnel: &str, x: f32, w: f32) {
    if let Some((fw, fh)) = svg_size(funnel) {
        let scale = (w / fw).min(0.7);
        l.room(fh * scale + 8.0);
        let y = l.y + 8.0;
        l.diagram(funnel, x, y, scale, (0.0, 0.0, fw, fh));
        l.y = y + fh * scale;
    }
}

/// Lays out `draw` in the column at `x`, `w` wide, from `top`, when it all fits on the
/// current page; whether it did.
fn beside(l: &mut Layout, x: f32, w: f32, top: f32, draw: impl Fn(&mut Layout, f32, f32)) -> bool {
    let (width, height) = l.size();
    let mut column = Layout {
        pages: vec![Page {
            width,
            height,
            body: String::new(),
        }],
        marks: Vec::new(),
        y: top,
    };
    draw(&mut column, x, w);
    if column.pages.len() > 1 {
        return false;
    }
    l.current().body.push_str(&column.pages[0].body);
    l.y = l.y.max(column.y);
    true
}

/// The pain points ranked across journeys.
fn pains(l: &mut Layout, report: &Report) {
    l.section(word(report, "report.pains_section"));
    l.intro(word(report, "report.pains_intro"));
    let inner = l.inner();
    let indent = 28.0;
    for (i, pain) in report.pains.iter().enumerate() {
        let text = Lines::new(&pain.text, inner - indent, 10.5, Weight::SemiBold, INK);
        let appears = word(report, "report.appears_in")
            .replace("{journeys}", &pain.journeys.to_string())
            .replace("{stages}", &pain.stages.to_string());
        let meta = if pain.severity.is_empty() {
            appears
        } else {
            format!("{} · {appears}", pain.severity)
        };
        let meta = Lines::new(
            &meta,
            inner - indent,
            9.0,
            Weight::SemiBold,
            severity_colour(&pain.severity_key),
        );
        let places = Lines::new(
            &pain.places.join("; "),
            inner - indent,
            8.5,
            Weight::Regular,
            MUTED,
        );
        let h = text.height() + meta.height() + places.height() + 10.0;
        l.room(h.min(l.bottom() - TOP));
        let y = l.y;
        l.text(
            SIDE + indent - 8.0,
            y,
            &format!("{}.", i + 1),
            10.5,
            Weight::SemiBold,
            MUTED,
            true,
        );
        l.lines(SIDE + indent, &text);
        l.lines(SIDE + indent, &meta);
        l.lines(SIDE + indent, &places);
        l.y += 10.0;
    }
}

/// The opportunities by owner, then priority.
fn opportunities(l: &mut Layout, report: &Report) {
    l.section(word(report, "report.opportunities_section"));
    l.intro(word(report, "report.opportunities_intro"));
    let inner = l.inner();
    let indent = 14.0;
    for group in &report.owners {
        l.y += 6.0;
        l.heading(&group.owner, 14.0, 60.0);
        for priority in &group.priorities {
            let head = Lines::new(
                &priority.priority,
                inner,
                10.0,
                Weight::SemiBold,
                priority_colour(&priority.priority_key),
            );
            l.room(head.height() + 40.0);
            l.lines(SIDE, &head);
            l.y += 3.0;
            for item in &priority.items {
                let text = Lines::new(&item.text, inner - indent, 10.0, Weight::Regular, INK);
                let mut place = item.place.clone();
                if let Some(status) = &item.status {
                    place.push_str(" · ");
                    place.push_str(status);
                }
                let place = Lines::new(&place, inner - indent, 8.5, Weight::Regular, MUTED);
                l.room((text.height() + place.height()).min(l.bottom() - TOP));
                let y = l.y;
                l.text(SIDE + 2.0, y, "•", 10.0, Weight::Regular, MUTED, false);
                l.lines(SIDE + indent, &text);
                l.lines(SIDE + indent, &place);
                l.y += 6.0;
            }
            l.y += 4.0;
        }
    }
}

/// A persona's profile: name, role, quote, the four lists, the empathy map and the
/// journeys it walks.
fn persona_page(l: &mut Layout, report: &Report, p: &super::PersonaSection, first: bool) {
    l.page(PORTRAIT);
    if first {
        l.mark(0, word(report, "report.personas_section"));
    }
    l.mark(1, &p.name);
    let inner = l.inner();
    l.paragraph(
        word(report, "report.personas_section"),
        9.0,
        Weight::SemiBold,
        CURVE,
    );
    l.paragraph(&p.name, 22.0, Weight::SemiBold, INK);
    if let Some(role) = &p.role {
        l.paragraph(role, 11.0, Weight::Regular, MUTED);
    }
    if let Some(quote) = &p.quote {
        l.y += 8.0;
        let lines = Lines::new(quote, inner - 14.0, 11.0, Weight::Regular, INK);
        l.room(lines.height());
        let top = l.y;
        l.lines(SIDE + 14.0, &lines);
        if l.y > top {
            l.rect(SIDE, top, 3.0, l.y - top, CURVE);
        }
    }
    l.y += 12.0;

    // The four lists, two columns when they fit the page, else one after the other.
    let lists = [
        (word(report, "report.goals"), &p.goals),
        (word(report, "report.needs"), &p.needs),
        (word(report, "report.frustrations"), &p.frustrations),
        (word(report, "report.motivations"), &p.motivations),
    ];
    let gap = 20.0;
    let col_w = (inner - gap) / 2.0;
    let block = |title: &str, items: &[String], w: f32| -> Vec<Lines> {
        let mut out = vec![Lines::new(title, w, 11.0, Weight::SemiBold, INK)];
        for item in items {
            out.push(Lines::new(item, w - 12.0, 9.5, Weight::Regular, INK));
        }
        out
    };
    let height =
        |blocks: &[Lines]| -> f32 { blocks.iter().map(|b| b.height() + 3.0).sum::<f32>() + 10.0 };
    let present: Vec<_> = lists
        .iter()
        .filter(|(_, items)| !items.is_empty())
        .collect();
    let columns: [Vec<Vec<Lines>>; 2] = [
        present
            .iter()
            .step_by(2)
            .map(|(t, i)| block(t, i, col_w))
            .collect(),
        present
            .iter()
            .skip(1)
            .step_by(2)
            .map(|(t, i)| block(t, i, col_w))
            .collect(),
    ];
    let col_h = |c: &Vec<Vec<Lines>>| c.iter().map(|b| height(b)).sum::<f32>();
    let tallest = col_h(&columns[0]).max(col_h(&columns[1]));
    let draw_block = |l: &mut Layout, x: f32, blocks: &[Lines]| {
        for (n, lines) in blocks.iter().enumerate() {
            if n > 0 {
                let y = l.y;
                l.text(x, y, "•", 9.5, Weight::Regular, MUTED, false);
                l.lines(x + 12.0, lines);
            } else {
                l.room(lines.height() + 20.0);
                l.lines(x, lines);
            }
            l.y += 3.0;
        }
        l.y += 10.0;
    };
    if l.y + tallest <= l.bottom() {
        let top = l.y;
        let mut lowest = top;
        for (c, column) in columns.iter().enumerate() {
            l.y = top;
            let x = SIDE + c as f32 * (col_w + gap);
            for blocks in column {
                draw_block(l, x, blocks);
            }
            lowest = lowest.max(l.y);
        }
        l.y = lowest;
    } else {
        for (title, items) in &present {
            let blocks = block(title, items, inner);
            draw_block(l, SIDE, &blocks);
        }
    }

    if let Some(empathy) = &p.empathy
        && let Some((ew, eh)) = svg_size(empathy)
    {
        let mut scale = (inner / ew).min(1.0);
        let room = l.bottom() - l.y - 8.0;
        if eh * scale > room {
            // Shrink a little to stay on the profile's page, else take the next page.
            if room / eh >= scale * 0.75 {
                scale = room / eh;
            } else {
                l.room(eh * scale + 8.0);
                scale = scale.min((l.bottom() - l.y - 8.0) / eh);
            }
        }
        let y = l.y + 4.0;
        l.diagram(empathy, SIDE, y, scale, (0.0, 0.0, ew, eh));
        l.y = y + eh * scale + 12.0;
    }

    if !p.journeys.is_empty() {
        let walks = format!(
            "{}: {}",
            word(report, "report.walks"),
            p.journeys.join(", ")
        );
        l.paragraph(&walks, 9.5, Weight::Regular, INK);
    }
}

/// What changed in the maps since the revision.
fn changes_pages(l: &mut Layout, report: &Report, changes: &super::ChangesSection) {
    l.section(word(report, "report.changes_section"));
    let key = if changes.items.is_empty() {
        "report.no_changes"
    } else {
        "report.changes_since"
    };
    l.intro(&word(report, key).replace("{since}", &changes.since));
    let inner = l.inner();
    for (title, statements) in &changes.items {
        l.y += 4.0;
        l.heading(title, 12.0, 30.0);
        for statement in statements {
            let lines = Lines::new(statement, inner - 14.0, 9.5, Weight::Regular, INK);
            l.room(lines.height());
            let y = l.y;
            l.text(SIDE + 2.0, y, "•", 9.5, Weight::Regular, MUTED, false);
            l.lines(SIDE + 14.0, &lines);
            l.y += 3.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_svg_takes_its_place_and_view() {
        let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cx-map\" viewBox=\"0 0 800 400\" width=\"800\" height=\"400\" role=\"img\"><text>a ✕</text></svg>";
        assert_eq!(svg_size(svg), Some((800.0, 400.0)));
        let out = nest(svg, (100.0, 0.0, 400.0, 400.0), (48.0, 60.0, 200.0, 200.0)).unwrap();
        assert!(out.starts_with("<svg xmlns"), "{out}");
        assert!(!out.contains("<?xml"));
        assert!(
            out.contains(
                " x=\"48\" y=\"60\" width=\"200\" height=\"200\" viewBox=\"100 0 400 400\""
            )
        );
        assert_eq!(out.matches("width=").count(), 1, "{out}");
        assert!(out.contains("class=\"cx-map\"") && out.contains("role=\"img\""));
    }
}
