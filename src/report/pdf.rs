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
//!
//! The PDF is tagged for assistive technology (PDF/UA-1, checked by krilla as it is
//! written). While laying out, every block placed opens a group of the document's
//! structure (section, heading, paragraph, list and item, table, row and cell, figure
//! with its alternative text: the diagram's own title and description) and what it
//! draws is kept as a run of SVG elements of that group; rules, backgrounds, a table
//! header repeated on a new page and the footer are decoration. Each run is parsed and
//! drawn in its own marked content, in the order the page SVG draws it, so the pages
//! look exactly as [`pages`] shows them and the structure tree is in reading order.

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

/// The report as PDF bytes: tagged, and checked against PDF/UA-1 by krilla as it is
/// written. A report that fails that check (a character no font can draw: PDF/UA-1
/// forbids the glyph that stands in for it) is written tagged all the same, without
/// the PDF/UA-1 identification, rather than not at all; `check` and `build` already
/// name such characters.
pub fn write(report: &Report) -> Result<Vec<u8>> {
    // Text is measured with the site's fonts for the characters Inter lacks.
    let (layout, svgs) = font::with_site_fonts(&report.fonts, || {
        let layout = lay_out(report);
        let svgs = layout.documents(report);
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
    match document(report, &layout, &trees, true) {
        Err(krilla::error::KrillaError::Validation(_)) => document(report, &layout, &trees, false),
        done => done,
    }
    .map_err(|e| failed(&format!("{e:?}")))
}

/// The PDF of laid-out pages whose parts are parsed (`trees`, in the order of
/// [`Layout::documents`]): each part drawn in its own marked content, the structure
/// tree, the outline and the metadata. With `ua`, krilla checks PDF/UA-1 and writes
/// its identification.
fn document(
    report: &Report,
    layout: &Layout,
    trees: &[Poster],
    ua: bool,
) -> std::result::Result<Vec<u8>, krilla::error::KrillaError> {
    use krilla::configure::{Accessibility, ConfigurationBuilder};
    use krilla::geom::{Rect, Size};
    use krilla::metadata::Metadata;
    use krilla::page::PageSettings;
    use krilla::tagging::{Artifact, ArtifactType, ContentTag, Identifier};
    use krilla::{Document, SerializeSettings};
    use krilla_svg::{SurfaceExt, SvgSettings};

    let mut settings = SerializeSettings::default();
    if ua
        && let Ok(configuration) = ConfigurationBuilder::new()
            .with_accessibility_validator(Accessibility::UA1)
            .finish()
    {
        settings.configuration = configuration;
    }
    let mut document = Document::new_with(settings);
    let mut ids: Vec<Option<Identifier>> = vec![None; layout.contents];
    let mut trees = trees.iter();
    for page in &layout.pages {
        let (Some(settings), Some(size), Some(area)) = (
            PageSettings::from_wh(page.width, page.height),
            Size::from_wh(page.width, page.height),
            Rect::from_xywh(0.0, 0.0, page.width, page.height),
        ) else {
            // Never so (pages are A4), but its parts must not go to the next page.
            trees.by_ref().take(page.pieces.len() + 2).for_each(drop);
            continue;
        };
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        // The page's background, its parts in the order they are drawn, its footer.
        let background = Artifact::new(ArtifactType::Background, Some(area));
        let tags = std::iter::once((ContentTag::Artifact(background), None))
            .chain(page.pieces.iter().map(|piece| match piece.content {
                Some(id) => (ContentTag::Other, Some(id)),
                None => (
                    ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout)),
                    None,
                ),
            }))
            .chain(std::iter::once((
                ContentTag::Artifact(Artifact::with_kind(ArtifactType::Footer)),
                None,
            )));
        for ((tag, content), tree) in tags.zip(trees.by_ref()) {
            let id = surface.start_tagged(tag);
            surface.draw_svg(tree.tree(), size, SvgSettings::default());
            surface.end_tagged();
            if let Some(slot) = content.and_then(|c| ids.get_mut(c)) {
                *slot = Some(id);
            }
        }
        surface.finish();
        pdf_page.finish();
    }
    document.set_tag_tree(layout.tag_tree(&report.lang, &ids));

    document.set_outline(outline(&layout.marks));

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
    document.finish()
}

/// The bookmarks as the PDF's outline: sections, with their journeys and personas.
fn outline(marks: &[Mark]) -> krilla::outline::Outline {
    use krilla::destination::XyzDestination;
    use krilla::geom::Point;
    use krilla::outline::{Outline, OutlineNode};

    let node = |mark: &Mark| {
        OutlineNode::new(
            mark.title.clone(),
            XyzDestination::new(mark.page, Point::from_xy(0.0, 0.0)),
        )
    };
    let mut outline = Outline::new();
    let mut open: Option<OutlineNode> = None;
    for mark in marks {
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
    outline
}

/// The report's pages as standalone SVG documents, one point per unit, footers
/// included: what [`write`] draws into the PDF (for previews and tests).
pub fn pages(report: &Report) -> Vec<String> {
    let layout = lay_out(report);
    let total = layout.pages.len();
    layout
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let mut out = svg_open(page.width, page.height);
            out.push_str(&background(page.width, page.height));
            for piece in &page.pieces {
                out.push_str(&piece.svg);
            }
            out.push_str(&footer(report, i, total, page.width, page.height));
            out.push_str("</svg>\n");
            out
        })
        .collect()
}

/// A word of the report, or its key when the strings lack it.
fn word<'r>(report: &'r Report, key: &'r str) -> &'r str {
    report.words.get(key).map_or(key, String::as_str)
}

/// The start tag of a page's SVG document.
fn svg_open(w: f32, h: f32) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{}, sans-serif\">\n",
        font::FAMILY,
        w = num(w),
        h = num(h),
    )
}

/// A page's white background.
fn background(w: f32, h: f32) -> String {
    format!(
        "<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
        w = num(w),
        h = num(h)
    )
}

/// The footer of page `i` (from 0) of `total`: a rule, the site's title and "Page N
/// of M".
fn footer(report: &Report, i: usize, total: usize, w: f32, h: f32) -> String {
    let mut footer = Layout::new();
    footer.page((w, h));
    footer.decor = true;
    let y = h - BOTTOM + 22.0;
    footer.rule(SIDE, y - 6.0, w - 2.0 * SIDE);
    let number = word(report, "report.page")
        .replace("{page}", &(i + 1).to_string())
        .replace("{pages}", &total.to_string());
    let number_w = font::width(&number, 8.0, Weight::Regular);
    let title = wrap(
        &report.title,
        w - 2.0 * SIDE - number_w - 24.0,
        8.0,
        Weight::Regular,
    );
    for (n, line) in title.iter().enumerate() {
        footer.text(
            SIDE,
            y + n as f32 * 10.0,
            line,
            8.0,
            Weight::Regular,
            MUTED,
            false,
        );
    }
    footer.text(w - SIDE, y, &number, 8.0, Weight::Regular, MUTED, true);
    footer.pages[0]
        .pieces
        .iter()
        .map(|p| p.svg.as_str())
        .collect()
}

/// What a group of the document's structure is: the tags a screen reader follows.
#[derive(Debug, Clone)]
enum Role {
    /// A section: a part of the report, a journey, a persona.
    Sect,
    /// A heading of a level (1 is the report's title) and its text.
    H(u16, String),
    P,
    /// A list, numbered or not.
    L(bool),
    LI,
    Lbl,
    LBody,
    Table,
    TR,
    /// A header cell: of its row (true) or its column.
    TH(bool),
    TD,
    /// A diagram and its alternative text.
    Figure(String),
    Quote,
    Toc,
    Toci,
}

impl Role {
    fn tag(&self) -> krilla::tagging::TagKind {
        use krilla::tagging::{ListNumbering, TableHeaderScope, Tag};
        match self {
            Role::Sect => Tag::Section.into(),
            Role::H(level, title) => {
                let level = std::num::NonZeroU16::new(*level).unwrap_or(std::num::NonZeroU16::MIN);
                Tag::Hn(level, Some(title.clone())).into()
            }
            Role::P => Tag::P.into(),
            Role::L(numbered) => Tag::L(if *numbered {
                ListNumbering::Decimal
            } else {
                ListNumbering::None
            })
            .into(),
            Role::LI => Tag::LI.into(),
            Role::Lbl => Tag::Lbl.into(),
            Role::LBody => Tag::LBody.into(),
            Role::Table => Tag::Table.into(),
            Role::TR => Tag::TR.into(),
            Role::TH(row) => Tag::TH(if *row {
                TableHeaderScope::Row
            } else {
                TableHeaderScope::Column
            })
            .into(),
            Role::TD => Tag::TD.into(),
            Role::Figure(alt) => Tag::Figure(Some(alt.clone())).into(),
            Role::Quote => Tag::BlockQuote.into(),
            Role::Toc => Tag::TOC.into(),
            Role::Toci => Tag::TOCI.into(),
        }
    }
}

/// A child in the structure: a group, or a run of content (by its number).
#[derive(Debug, Clone, Copy)]
enum Child {
    Group(usize),
    Content(usize),
}

/// A group of the structure, its parent and its children in reading order.
struct Group {
    role: Option<Role>,
    parent: usize,
    children: Vec<Child>,
}

/// The document's own group, parent of the sections.
const ROOT: usize = 0;

/// A run of drawing on a page (SVG elements): content of the structure (its number),
/// or decoration (rules, backgrounds, a repeated table header) that readers skip.
struct Piece {
    content: Option<usize>,
    svg: String,
}

/// One laid-out page: its size and what is drawn on it, in order.
struct Page {
    width: f32,
    height: f32,
    pieces: Vec<Piece>,
}

/// A bookmark: a section (level 0) or an entry in it (level 1), and its page.
struct Mark {
    level: usize,
    title: String,
    page: usize,
}

/// The pages so far, the bookmarks, the structure and where the next line goes.
struct Layout {
    pages: Vec<Page>,
    marks: Vec<Mark>,
    y: f32,
    /// The structure's groups; [`ROOT`] first.
    groups: Vec<Group>,
    /// The group content goes into.
    group: usize,
    /// The section of the report being laid out (journeys and personas go into theirs).
    part: usize,
    /// How many runs of content there are.
    contents: usize,
    /// The piece (page, index) that content of the current group is added to, while it
    /// is the last drawn.
    filling: Option<(usize, usize)>,
    /// Whether what is drawn now is decoration.
    decor: bool,
    /// The page drawn on when not the last one (the contents on the cover).
    target: Option<usize>,
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

/// Where a layout was, to go back there when what followed does not fit.
struct Checkpoint {
    pages: usize,
    pieces: usize,
    svg: usize,
    groups: usize,
    group: usize,
    children: usize,
    contents: usize,
    y: f32,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            pages: Vec::new(),
            marks: Vec::new(),
            y: TOP,
            groups: vec![Group {
                role: None,
                parent: ROOT,
                children: Vec::new(),
            }],
            group: ROOT,
            part: ROOT,
            contents: 0,
            filling: None,
            decor: false,
            target: None,
        }
    }

    fn page(&mut self, (width, height): (f32, f32)) {
        self.pages.push(Page {
            width,
            height,
            pieces: Vec::new(),
        });
        self.y = TOP;
    }

    /// The index of the page drawn on.
    fn index(&self) -> usize {
        self.target
            .unwrap_or_else(|| self.pages.len().saturating_sub(1))
    }

    fn size(&self) -> (f32, f32) {
        self.pages
            .get(self.index())
            .map_or(PORTRAIT, |p| (p.width, p.height))
    }

    /// Opens a group in the current one; what is drawn next goes into it.
    fn open(&mut self, role: Role) -> usize {
        let id = self.groups.len();
        self.groups.push(Group {
            role: Some(role),
            parent: self.group,
            children: Vec::new(),
        });
        self.groups[self.group].children.push(Child::Group(id));
        self.within(id);
        id
    }

    /// Makes `group` the one content goes into.
    fn within(&mut self, group: usize) {
        self.group = group;
        self.filling = None;
    }

    /// `draw` inside a new group of `role`, then back to the current group.
    fn tagged(&mut self, role: Role, draw: impl FnOnce(&mut Layout)) {
        let parent = self.group;
        self.open(role);
        draw(self);
        self.within(parent);
    }

    /// A new top-level section of the report.
    fn part(&mut self) {
        self.within(ROOT);
        self.part = self.open(Role::Sect);
    }

    /// Adds SVG elements to the page: to the run of the current group when it is the
    /// last drawn, else to a new run (content, numbered, or decoration).
    fn draw(&mut self, svg: &str, decor: bool) {
        let decor = decor || self.decor;
        let page = self.index();
        let Some(Page { pieces, .. }) = self.pages.get_mut(page) else {
            return;
        };
        let same = match pieces.len().checked_sub(1) {
            Some(last) if decor => pieces[last].content.is_none(),
            Some(last) => self.filling == Some((page, last)),
            None => false,
        };
        if !same {
            let content = (!decor).then(|| {
                let id = self.contents;
                self.contents += 1;
                self.groups[self.group].children.push(Child::Content(id));
                self.filling = Some((page, pieces.len()));
                id
            });
            pieces.push(Piece {
                content,
                svg: String::new(),
            });
        }
        if let Some(piece) = pieces.last_mut() {
            piece.svg.push_str(svg);
        }
    }

    fn checkpoint(&self) -> Checkpoint {
        let pieces = self.pages.get(self.index()).map_or(&[][..], |p| &p.pieces);
        Checkpoint {
            pages: self.pages.len(),
            pieces: pieces.len(),
            svg: pieces.last().map_or(0, |p| p.svg.len()),
            groups: self.groups.len(),
            group: self.group,
            children: self.groups[self.group].children.len(),
            contents: self.contents,
            y: self.y,
        }
    }

    /// Undoes everything laid out since `at`.
    fn back_to(&mut self, at: &Checkpoint) {
        self.pages.truncate(at.pages);
        if let Some(page) = self.pages.last_mut() {
            page.pieces.truncate(at.pieces);
            if let Some(piece) = page.pieces.last_mut() {
                piece.svg.truncate(at.svg);
            }
        }
        self.groups.truncate(at.groups);
        self.groups[at.group].children.truncate(at.children);
        self.contents = at.contents;
        self.within(at.group);
        self.y = at.y;
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
        let mut svg = String::with_capacity(line.len() + 96);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{fill}\"",
            num(x),
            num(baseline),
            num(size)
        );
        if weight == Weight::SemiBold {
            svg.push_str(" font-weight=\"600\"");
        }
        if end {
            svg.push_str(" text-anchor=\"end\"");
        }
        svg.push('>');
        escape_into(line, &mut svg);
        svg.push_str("</text>\n");
        self.draw(&svg, false);
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: &str) {
        let svg = format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>\n",
            num(x),
            num(y),
            num(w),
            num(h)
        );
        self.draw(&svg, true);
    }

    fn rule(&mut self, x: f32, y: f32, w: f32) {
        let svg = format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{LINE}\" stroke-width=\"0.75\"/>\n",
            num(x),
            num(y),
            num(x + w),
            num(y)
        );
        self.draw(&svg, true);
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

    /// Text across the text width as one group of `role`.
    fn block(&mut self, role: Role, text: &str, size: f32, weight: Weight, fill: &'static str) {
        let lines = Lines::new(text, self.inner(), size, weight, fill);
        self.tagged(role, |l| l.lines(SIDE, &lines));
    }

    /// A list item: its label (a number or a bullet) and its body.
    fn item(&mut self, label: impl FnOnce(&mut Layout), body: impl FnOnce(&mut Layout)) {
        self.tagged(Role::LI, |l| {
            l.tagged(Role::Lbl, label);
            l.tagged(Role::LBody, body);
        });
    }

    /// A paragraph across the text width.
    fn paragraph(&mut self, text: &str, size: f32, weight: Weight, fill: &'static str) {
        self.block(Role::P, text, size, weight, fill);
    }

    /// A section of the report: a new portrait page with its title, bookmarked.
    fn section(&mut self, title: &str) {
        self.page(PORTRAIT);
        self.mark(0, title);
        self.part();
        self.heading(2, title, 22.0, 0.0);
    }

    /// The muted paragraph that introduces a section, and the space after it.
    fn intro(&mut self, text: &str) {
        self.paragraph(text, 10.0, Weight::Regular, MUTED);
        self.y += 12.0;
    }

    /// A heading of `level`, kept with `keep` points of what follows.
    fn heading(&mut self, level: u16, text: &str, size: f32, keep: f32) {
        let lines = Lines::new(text, self.inner(), size, Weight::SemiBold, INK);
        self.room(lines.height() + keep);
        self.tagged(Role::H(level, text.to_string()), |l| l.lines(SIDE, &lines));
        self.y += size * 0.4;
    }

    /// A diagram's SVG nested at (`x`, `y`), `scale` points per unit, showing the part
    /// `view` (x, y, width, height in the diagram's units), as a figure with `alt` for
    /// its alternative text.
    #[allow(clippy::too_many_arguments)]
    fn diagram(
        &mut self,
        svg: &str,
        alt: String,
        x: f32,
        y: f32,
        scale: f32,
        view: (f32, f32, f32, f32),
    ) {
        if let Some(mut nested) = nest(svg, view, (x, y, view.2 * scale, view.3 * scale)) {
            nested.push('\n');
            self.tagged(Role::Figure(alt), |l| l.draw(&nested, false));
        }
    }

    /// Every part of every page as a standalone SVG document, in drawing order: per
    /// page its background, its pieces, its footer.
    fn documents(&self, report: &Report) -> Vec<String> {
        let total = self.pages.len();
        let mut out = Vec::new();
        for (i, page) in self.pages.iter().enumerate() {
            let (w, h) = (page.width, page.height);
            let open = svg_open(w, h);
            let whole = |inner: &str| format!("{open}{inner}</svg>\n");
            out.push(whole(&background(w, h)));
            out.extend(page.pieces.iter().map(|p| whole(&p.svg)));
            out.push(whole(&footer(report, i, total, w, h)));
        }
        out
    }

    /// The structure as the PDF's tag tree, in `lang`, each run of content by the
    /// identifier its marked content got (`ids`).
    fn tag_tree(
        &self,
        lang: &str,
        ids: &[Option<krilla::tagging::Identifier>],
    ) -> krilla::tagging::TagTree {
        use krilla::tagging::{Node, TagGroup, TagTree};
        fn children(
            layout: &Layout,
            group: usize,
            ids: &[Option<krilla::tagging::Identifier>],
        ) -> Vec<Node> {
            layout.groups[group]
                .children
                .iter()
                .filter_map(|child| match *child {
                    Child::Content(id) => ids.get(id).copied().flatten().map(Node::Leaf),
                    Child::Group(g) => {
                        let kids = children(layout, g, ids);
                        let role = layout.groups[g].role.as_ref()?;
                        (!kids.is_empty())
                            .then(|| Node::Group(TagGroup::with_children(role.tag(), kids)))
                    }
                })
                .collect()
        }
        let mut tree = TagTree::new().with_lang(Some(lang.to_string()));
        for node in children(self, ROOT, ids) {
            tree.push(node);
        }
        tree
    }
}

/// A diagram's alternative text: its title and description (the words the site's own
/// pages give screen readers), or `fallback` when it has none.
fn alt(svg: &str, fallback: &str) -> String {
    let element = |name: &str| -> Option<String> {
        let start = svg.find(&format!("<{name}"))?;
        let open = start + svg[start..].find('>')? + 1;
        let close = open + svg[open..].find(&format!("</{name}>"))?;
        let text = unescape(svg[open..close].trim());
        (!text.is_empty()).then_some(text)
    };
    match (element("title"), element("desc")) {
        // A description that names the diagram says it all.
        (Some(title), Some(desc)) if desc.contains(&title) => desc,
        (Some(title), Some(desc)) if title.ends_with(['.', '!', '?']) => format!("{title} {desc}"),
        (Some(title), Some(desc)) => format!("{title}. {desc}"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => fallback.to_string(),
    }
}

/// Text escaped by [`escape_into`] as it was.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
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
    let (contents_at, cover_group) = cover(&mut l, report);
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
    contents(&mut l, report, contents_at, cover_group);
    l
}

/// The cover: the kind of document, the site, the content's date and the selection.
/// Returns where the contents go, and the cover's group they go into.
fn cover(l: &mut Layout, report: &Report) -> (f32, usize) {
    l.page(PORTRAIT);
    l.mark(0, &report.title);
    l.part();
    let (w, _) = PORTRAIT;
    l.rect(0.0, 0.0, w, 12.0, CURVE);
    l.y = 190.0;
    l.paragraph(word(report, "report.kind"), 14.0, Weight::SemiBold, CURVE);
    l.y += 8.0;
    l.block(
        Role::H(1, report.title.clone()),
        &report.title,
        32.0,
        Weight::SemiBold,
        INK,
    );
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
    (l.y + 48.0, l.part)
}

/// The contents on the cover (drawn last, when the pages are known): each section and
/// its page, after the cover's text in the reading order.
fn contents(l: &mut Layout, report: &Report, at: f32, cover: usize) {
    let sections: Vec<(String, usize)> = l
        .marks
        .iter()
        .skip(1)
        .filter(|m| m.level == 0)
        .map(|m| (m.title.clone(), m.page + 1))
        .collect();
    let inner = PORTRAIT.0 - 2.0 * SIDE;
    let lh = line_height(11.0);
    // Only as many lines as fit above the footer: the outline has them all anyway.
    if at + lh * 2.0 > PORTRAIT.1 - BOTTOM {
        return;
    }
    let (y, group) = (l.y, l.group);
    l.target = Some(0);
    l.within(cover);
    l.y = at;
    let title = word(report, "report.contents");
    l.tagged(Role::H(2, title.to_string()), |l| {
        l.text(SIDE, at, title, 12.0, Weight::SemiBold, INK, false);
    });
    l.y += line_height(12.0) + 6.0;
    l.tagged(Role::Toc, |l| {
        for (title, page) in sections {
            let lines = wrap(&title, inner - 60.0, 11.0, Weight::Regular);
            let h = lines.len() as f32 * lh + 4.0;
            if l.y + h > l.bottom() {
                break;
            }
            let top = l.y;
            l.tagged(Role::Toci, |l| {
                l.tagged(Role::P, |l| {
                    for (n, line) in lines.iter().enumerate() {
                        let y = top + n as f32 * lh;
                        l.text(SIDE, y, line, 11.0, Weight::Regular, INK, false);
                    }
                });
                l.open(Role::Lbl);
                l.text(
                    SIDE + inner,
                    top,
                    &page.to_string(),
                    11.0,
                    Weight::Regular,
                    MUTED,
                    true,
                );
            });
            l.y += h;
            let y = l.y - 2.0;
            l.rule(SIDE, y, inner);
        }
    });
    l.target = None;
    l.within(group);
    l.y = y;
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
    // The cards are a list: each a number and what it counts.
    l.tagged(Role::L(false), |l| {
        for (i, ((value, _), label)) in cards.iter().zip(&labels).enumerate() {
            let x = SIDE + i as f32 * (card_w + gap);
            l.rect(x, top, card_w, card_h, LANE);
            l.rect(x, top, 3.0, card_h, CURVE);
            l.open(Role::LI);
            l.tagged(Role::LBody, |l| {
                l.tagged(Role::P, |l| {
                    let y = top + 12.0;
                    l.text(x + 10.0, y, value, 24.0, Weight::SemiBold, INK, false);
                });
                l.tagged(Role::P, |l| {
                    for (n, line) in label.iter().enumerate() {
                        let y = top + 12.0 + line_height(24.0) + 4.0 + n as f32 * line_height(9.0);
                        l.text(x + 10.0, y, line, 9.0, Weight::Regular, MUTED, false);
                    }
                });
            });
            l.within(l.groups[l.group].parent);
        }
    });
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
        l.heading(3, title, 14.0, 40.0);
        let total: usize = counts.iter().map(|(_, n)| n).sum();
        let bar_max = inner - 200.0;
        // A table of two columns: each row is headed by its name, the bar only draws
        // the number beside it.
        let table = l.open(Role::Table);
        for (i, (name, n)) in counts.iter().enumerate() {
            let lines = Lines::new(name, 130.0, 10.0, Weight::Regular, INK);
            let h = lines.height().max(16.0) + 6.0;
            l.room(h);
            let y = l.y;
            l.within(table);
            l.open(Role::TR);
            l.tagged(Role::TH(true), |l| l.lines(SIDE, &lines));
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
            l.tagged(Role::TD, |l| {
                l.text(
                    SIDE + inner,
                    y,
                    &n.to_string(),
                    10.0,
                    Weight::SemiBold,
                    INK,
                    true,
                );
            });
            l.y = y + h;
        }
        l.within(l.groups[table].parent);
        l.y += 20.0;
    }
}

/// A journey's pages (landscape): header, map, stage figures, funnel.
fn journey_pages(l: &mut Layout, report: &Report, j: &super::JourneySection, first: bool) {
    l.page(LANDSCAPE);
    if first {
        l.mark(0, word(report, "report.journeys_section"));
        l.part();
    }
    l.mark(1, &j.title);
    l.within(l.part);
    l.open(Role::Sect);
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
    l.block(
        Role::H(2, j.title.clone()),
        &j.title,
        18.0,
        Weight::SemiBold,
        INK,
    );
    if let Some(summary) = &j.summary {
        l.paragraph(summary, 10.0, Weight::Regular, MUTED);
    }
    l.y += 4.0;
    let facts = journey_facts(report, j);
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
            l.diagram(
                map,
                alt(map, &j.title),
                SIDE,
                top,
                scale,
                (0.0, 0.0, mw, mh),
            );
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
                        funnel(l, svg, &j.title, x, w);
                    }
                });
                if placed
                    && !funnel_too
                    && let Some(svg) = &j.funnel
                {
                    funnel(l, svg, &j.title, SIDE, inner);
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
            funnel(l, svg, &j.title, SIDE, inner);
        }
    }
    if let Some((map, mw, mh)) = map_pages {
        map_parts(l, &j.title, map, (mw, mh), None);
    }
}

/// A journey's facts under its title: the scenario, then personas, owner and last
/// review on one line.
fn journey_facts(report: &Report, j: &super::JourneySection) -> Vec<String> {
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
    facts
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
                    l.tagged(Role::P, |l| {
                        l.text(SIDE + room_w, y, &label, 9.0, Weight::SemiBold, MUTED, true);
                    });
                    l.y += line_height(9.0) + 2.0;
                }
            } else {
                l.page(LANDSCAPE);
                let lines =
                    Lines::new(&caption(part, parts), room_w, 10.0, Weight::SemiBold, MUTED);
                l.tagged(Role::P, |l| l.lines(SIDE, &lines));
                l.y += 8.0;
            }
            // The first part's text describes the whole map; the others say which
            // part they are.
            let text = if part == 1 {
                alt(map, title)
            } else {
                caption(part, parts)
            };
            let y = l.y;
            l.diagram(map, text, SIDE, y, scale, (*x0, *y0, *tw, *th));
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
    // The header row: tagged once; where the table goes on over a page, repeated as
    // decoration that readers skip.
    let draw_header = |l: &mut Layout, table: Option<usize>| {
        let top = l.y;
        l.rect(x0, top, w, header_h, LANE);
        if let Some(table) = table {
            l.within(table);
            l.open(Role::TR);
        } else {
            l.decor = true;
        }
        let row = l.group;
        let mut x = x0;
        for ((_, w), lines) in columns.iter().zip(&header) {
            l.tagged(Role::TH(false), |l| {
                for (n, line) in lines.iter().enumerate() {
                    let y = top + PAD + n as f32 * line_height(8.5);
                    l.text(x + PAD, y, line, 8.5, Weight::SemiBold, MUTED, false);
                }
            });
            x += w;
        }
        l.within(row);
        l.decor = false;
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
    let heading = Role::H(3, word(report, "report.stage_figures").to_string());
    l.tagged(heading, |l| l.lines(x0, &title));
    l.y += 4.0;
    let parent = l.group;
    let table = l.open(Role::Table);
    draw_header(l, Some(table));
    let table = Table {
        x0,
        w,
        narrow,
        columns: &columns,
        header_h,
        group: table,
        header: &draw_header,
    };
    for stage in &j.stages {
        stage_row(l, &table, stage);
    }
    l.within(parent);
    l.y += 6.0;
}

/// Where a stage table is and what it is made of, for drawing its rows.
struct Table<'t> {
    x0: f32,
    w: f32,
    narrow: bool,
    columns: &'t [(&'t str, f32)],
    /// The height of the header row.
    header_h: f32,
    /// The table's group in the structure.
    group: usize,
    /// Draws the header row: tagged in `Some(table)`, else as decoration.
    header: &'t dyn Fn(&mut Layout, Option<usize>),
}

/// A stage's row of the stage table: a row of the structure with a cell per column,
/// going on over pages (its header repeated) when it does not fit.
fn stage_row(l: &mut Layout, t: &Table, stage: &super::StageFigures) {
    const PAD: f32 = 4.0;
    let (x0, w, narrow, columns, table) = (t.x0, t.w, t.narrow, t.columns, t.group);
    let size = 9.0;
    let lh = line_height(size);
    let header_h = t.header_h;
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
        .zip(columns)
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
    // Each cell's x, then the lines of the row: (cell, x, line, weight, fill) per
    // row line.
    let mut x = x0;
    for (cell, (_, w)) in wrapped.iter_mut().zip(columns) {
        cell.0 = x;
        x += w;
    }
    type Line<'f> = (usize, f32, String, Weight, &'f str);
    let mut rows: Vec<Vec<Line>> = Vec::new();
    for (c, (x, lines, weight, fill)) in wrapped.iter().enumerate() {
        for (n, line) in lines.iter().enumerate() {
            if rows.len() <= n {
                rows.push(Vec::new());
            }
            rows[n].push((c, *x, line.clone(), *weight, fill));
        }
    }
    // In a narrow column the metrics go below the row, read with its stage.
    if narrow && !stage.metrics.is_empty() {
        for metric in &stage.metrics {
            for line in wrap(metric, w - 2.0 * PAD - 8.0, 8.5, Weight::Regular) {
                rows.push(vec![(0, x0 + 8.0, line, Weight::Regular, MUTED)]);
            }
        }
    }
    l.within(table);
    let row = l.open(Role::TR);
    let cell_groups: Vec<usize> = (0..wrapped.len())
        .map(|c| {
            l.within(row);
            let cell = l.open(if c == 0 { Role::TH(true) } else { Role::TD });
            // An empty cell is still a cell, so that rows keep their columns.
            if wrapped[c].1.is_empty() {
                l.draw("", false);
            }
            cell
        })
        .collect();
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
            (t.header)(l, None);
        }
        let top = l.y;
        // Cell by cell, so that each cell's text is one run in the reading order.
        for (c, group) in cell_groups.iter().enumerate() {
            l.within(*group);
            for (n, row) in rows.iter().skip(first).take(count).enumerate() {
                for (_, x, line, weight, fill) in row.iter().filter(|line| line.0 == c) {
                    let y = top + PAD + n as f32 * lh;
                    let size = if *fill == MUTED { 8.5 } else { size };
                    l.text(x + PAD, y, line, size, *weight, fill, false);
                }
            }
        }
        l.y += h;
        let y = l.y;
        l.rule(x0, y, w);
        first += count;
    }
}

/// A journey's funnel in the column at `x`, `w` wide.
fn funnel(l: &mut Layout, funnel: &str, title: &str, x: f32, w: f32) {
    if let Some((fw, fh)) = svg_size(funnel) {
        let scale = (w / fw).min(0.7);
        l.room(fh * scale + 8.0);
        let y = l.y + 8.0;
        l.diagram(funnel, alt(funnel, title), x, y, scale, (0.0, 0.0, fw, fh));
        l.y = y + fh * scale;
    }
}

/// Lays out `draw` in the column at `x`, `w` wide, from `top`, when it all fits on the
/// current page; whether it did.
fn beside(l: &mut Layout, x: f32, w: f32, top: f32, draw: impl Fn(&mut Layout, f32, f32)) -> bool {
    let at = l.checkpoint();
    l.y = top;
    draw(l, x, w);
    if l.pages.len() > at.pages {
        l.back_to(&at);
        return false;
    }
    l.within(at.group);
    l.y = at.y.max(l.y);
    true
}

/// The pain points ranked across journeys.
fn pains(l: &mut Layout, report: &Report) {
    l.section(word(report, "report.pains_section"));
    l.intro(word(report, "report.pains_intro"));
    let inner = l.inner();
    let indent = 28.0;
    l.open(Role::L(true));
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
        l.item(
            |l| {
                let number = format!("{}.", i + 1);
                l.text(
                    SIDE + indent - 8.0,
                    y,
                    &number,
                    10.5,
                    Weight::SemiBold,
                    MUTED,
                    true,
                );
            },
            |l| {
                for lines in [&text, &meta, &places] {
                    l.tagged(Role::P, |l| l.lines(SIDE + indent, lines));
                }
            },
        );
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
        l.heading(3, &group.owner, 14.0, 60.0);
        for priority in &group.priorities {
            let head = Lines::new(
                &priority.priority,
                inner,
                10.0,
                Weight::SemiBold,
                priority_colour(&priority.priority_key),
            );
            l.room(head.height() + 40.0);
            l.tagged(Role::H(4, priority.priority.clone()), |l| {
                l.lines(SIDE, &head)
            });
            l.y += 3.0;
            let parent = l.group;
            l.open(Role::L(false));
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
                l.item(
                    |l| l.text(SIDE + 2.0, y, "•", 10.0, Weight::Regular, MUTED, false),
                    |l| {
                        for lines in [&text, &place] {
                            l.tagged(Role::P, |l| l.lines(SIDE + indent, lines));
                        }
                    },
                );
                l.y += 6.0;
            }
            l.within(parent);
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
        l.part();
    }
    l.mark(1, &p.name);
    l.within(l.part);
    l.open(Role::Sect);
    let inner = l.inner();
    l.paragraph(
        word(report, "report.personas_section"),
        9.0,
        Weight::SemiBold,
        CURVE,
    );
    l.block(
        Role::H(2, p.name.clone()),
        &p.name,
        22.0,
        Weight::SemiBold,
        INK,
    );
    if let Some(role) = &p.role {
        l.paragraph(role, 11.0, Weight::Regular, MUTED);
    }
    if let Some(quote) = &p.quote {
        l.y += 8.0;
        let lines = Lines::new(quote, inner - 14.0, 11.0, Weight::Regular, INK);
        l.room(lines.height());
        let top = l.y;
        l.tagged(Role::Quote, |l| {
            l.tagged(Role::P, |l| l.lines(SIDE + 14.0, &lines));
        });
        if l.y > top {
            l.rect(SIDE, top, 3.0, l.y - top, CURVE);
        }
    }
    l.y += 12.0;

    persona_lists(l, report, p);

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
        let text = alt(empathy, &p.name);
        l.diagram(empathy, text, SIDE, y, scale, (0.0, 0.0, ew, eh));
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

/// A persona's four lists (goals, needs, frustrations, motivations), each a heading and
/// a list: two columns when they fit the page, else one after the other.
fn persona_lists(l: &mut Layout, report: &Report, p: &super::PersonaSection) {
    let inner = l.inner();
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
    // A list's title (a heading), then its items.
    let draw_block = |l: &mut Layout, x: f32, blocks: &[Lines]| {
        let parent = l.group;
        for (n, lines) in blocks.iter().enumerate() {
            if n > 0 {
                let y = l.y;
                l.item(
                    |l| l.text(x, y, "•", 9.5, Weight::Regular, MUTED, false),
                    |l| l.lines(x + 12.0, lines),
                );
            } else {
                l.room(lines.height() + 20.0);
                l.tagged(Role::H(3, lines.lines.join(" ")), |l| l.lines(x, lines));
                l.open(Role::L(false));
            }
            l.y += 3.0;
        }
        l.within(parent);
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
        l.heading(3, title, 12.0, 30.0);
        let parent = l.group;
        l.open(Role::L(false));
        for statement in statements {
            let lines = Lines::new(statement, inner - 14.0, 9.5, Weight::Regular, INK);
            l.room(lines.height());
            let y = l.y;
            l.item(
                |l| l.text(SIDE + 2.0, y, "•", 9.5, Weight::Regular, MUTED, false),
                |l| l.lines(SIDE + 14.0, &lines),
            );
            l.y += 3.0;
        }
        l.within(parent);
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

    #[test]
    fn a_diagram_s_alternative_text_is_its_title_and_description() {
        let svg = |title: &str, desc: &str| {
            format!("<svg><title id=\"a\">{title}</title><desc id=\"b\">{desc}</desc></svg>")
        };
        assert_eq!(
            alt(
                &svg("Sign up", "Funnel of &#39;Sign up&#39; &amp; more"),
                "x"
            ),
            "Funnel of 'Sign up' & more"
        );
        assert_eq!(alt(&svg("Ana", "Says &lt;hi&gt;"), "x"), "Ana. Says <hi>");
        assert_eq!(alt(&svg("Ana?", "Thinks"), "x"), "Ana? Thinks");
        assert_eq!(alt(&svg("", "Only this"), "x"), "Only this");
        assert_eq!(alt("<svg></svg>", "Fallback"), "Fallback");
    }

    #[test]
    fn runs_of_a_group_merge_until_something_else_is_drawn() {
        let mut l = Layout::new();
        l.page(PORTRAIT);
        l.tagged(Role::P, |l| {
            l.text(0.0, 0.0, "one", 10.0, Weight::Regular, INK, false);
            l.text(0.0, 20.0, "two", 10.0, Weight::Regular, INK, false);
            l.rule(0.0, 30.0, 10.0);
            l.text(0.0, 40.0, "three", 10.0, Weight::Regular, INK, false);
        });
        let pieces = &l.pages[0].pieces;
        let kinds: Vec<_> = pieces.iter().map(|p| p.content).collect();
        assert_eq!(kinds, [Some(0), None, Some(1)]);
        assert!(pieces[0].svg.contains("one") && pieces[0].svg.contains("two"));
        // Both runs belong to the paragraph, in order.
        let paragraph = &l.groups[1];
        assert!(matches!(paragraph.role, Some(Role::P)));
        assert!(matches!(
            paragraph.children[..],
            [Child::Content(0), Child::Content(1)]
        ));

        // What does not fit beside is undone, structure included.
        let at = l.checkpoint();
        l.tagged(Role::P, |l| {
            l.text(0.0, 60.0, "gone", 10.0, Weight::Regular, INK, false);
            l.page(PORTRAIT);
        });
        l.back_to(&at);
        assert_eq!(l.pages.len(), 1);
        assert_eq!(l.groups.len(), 2);
        assert_eq!(l.contents, 2);
        assert!(!l.pages[0].pieces.iter().any(|p| p.svg.contains("gone")));
    }
}
