//! `cxmap export`: journey posters as PNG and PDF, the journey data as CSV and JSON.
//!
//! In: the site root and a [`Request`]. Out: files in the export folder (default
//! `exports/` in the site), one poster per journey (`retail/online-order` →
//! `retail-online-order.png`), or one `journeys.csv` / `journeys.json`.
//!
//! A poster is the SVG of [`crate::diagram::poster`], parsed once into a usvg tree that
//! [`Poster::png`] rasterises with resvg and [`Poster::pdf`] writes as vector PDF with
//! krilla (text stays text: selectable and searchable). Only the bundled Inter faces are
//! loaded, never the system's fonts, so a poster looks the same on every machine; no
//! clock or random id reaches the files, so the same site gives the same bytes.
//!
//! Every file goes through [`crate::write::file`]: whole or not at all, never into the
//! site's sources or through a symbolic link, and over an existing file only when cxmap
//! made it (PDFs carry `cxmap` as their creator, PNGs a `Software` text chunk) or with
//! `--force`. All targets are checked before the first poster is drawn.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

use rayon::prelude::*;
use resvg::{tiny_skia, usvg};

use crate::diag::Diagnostics;
use crate::diagram::{self, font};
use crate::error::{Error, Result};
use crate::model::{Journey, JourneyId, Site};
use crate::write::{self, Made, Replace};

/// The longest side of a PNG poster, in pixels; wider maps are drawn at a smaller scale.
pub const MAX_PIXELS: f32 = 16384.0;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One PNG poster per journey.
    Png,
    /// One vector PDF poster per journey.
    Pdf,
    /// Every step of every journey as a row of `journeys.csv`.
    Csv,
    /// The site's `data/journeys.json`, as `journeys.json`.
    Json,
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Pdf => "pdf",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    fn is_poster(self) -> bool {
        matches!(self, Format::Png | Format::Pdf)
    }

    /// How an earlier file of this format is recognised as cxmap's.
    fn made(self) -> Made {
        match self {
            Format::Png => Made::Png,
            Format::Pdf => Made::Pdf,
            Format::Csv => Made::Csv(&CSV_COLUMNS),
            Format::Json => Made::Json,
        }
    }
}

/// An export to run.
#[derive(Debug, Clone)]
pub struct Request {
    /// The format.
    pub format: Format,
    /// Journey slugs to export; empty for all (all with stages, for posters).
    pub journeys: Vec<String>,
    /// The folder to write into (created when missing); default `exports/` in the site.
    pub out: Option<PathBuf>,
    /// Pixels per SVG unit of a PNG poster.
    pub scale: f32,
    /// The language whose view is exported (each journey in that language when it is
    /// written in it); `None` for the site's language.
    pub lang: Option<String>,
    /// Replace files in the way that cxmap did not write (`--force`); the site's sources
    /// are never replaced.
    pub force: bool,
}

impl Request {
    /// Every journey in `format`, into the default folder, PNGs at twice the size.
    pub fn new(format: Format) -> Self {
        Request {
            format,
            journeys: Vec::new(),
            out: None,
            scale: 2.0,
            lang: None,
            force: false,
        }
    }
}

/// A poster written, for progress reports.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Posters written so far, this one included.
    pub done: usize,
    /// Posters to write.
    pub total: usize,
    /// The journey of this poster.
    pub journey: &'a JourneyId,
}

/// What an export did.
#[derive(Debug)]
pub struct Outcome {
    /// Every problem in the site, sorted. With errors, nothing was written.
    pub diagnostics: Diagnostics,
    /// The files written, in journey order.
    pub written: Vec<PathBuf>,
}

/// Reads the site at `root` and writes the export. Content errors come back as
/// diagnostics with nothing written; unknown journeys and bad values are
/// [`Error::Usage`].
pub fn run(
    root: &Path,
    request: &Request,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<Outcome> {
    if !(request.scale.is_finite() && (0.1..=8.0).contains(&request.scale)) {
        return Err(Error::Usage {
            message: format!(
                "`--scale {}` is out of range: give a number from 0.1 to 8",
                request.scale
            ),
            help: None,
        });
    }
    let (sources, site, mut diagnostics) = crate::read(root)?;
    // Posters speak each journey's language, with the site's and its theme's strings.
    let strings = crate::render::theme::load(&sources, &site.config, &mut diagnostics)?.strings;
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Ok(Outcome {
            diagnostics,
            written: Vec::new(),
        });
    }
    let site = crate::report::language_view(&site, request.lang.as_deref())?;
    let journeys = select(site, &request.journeys, request.format.is_poster())?;
    let out = request.out.clone().unwrap_or_else(|| root.join("exports"));
    let replace = Replace::Output {
        made: request.format.made(),
        force: request.force,
    };
    // Every file is checked before the first is written: a refusal leaves nothing done.
    let targets = targets(&journeys, request.format, &out)?;
    for path in &targets {
        write::check(root, path, replace)?;
    }
    let target = |i: usize| targets[i].as_path();
    let written = match request.format {
        Format::Png | Format::Pdf => {
            let to = Place {
                root,
                files: &targets,
                replace,
            };
            posters(site, &strings, &journeys, request, to, progress)?
        }
        Format::Csv => {
            write::file(root, target(0), &csv(&journeys)?, replace)?;
            targets
        }
        Format::Json => {
            let mut selected = site.clone();
            selected.journeys = journeys.into_iter().cloned().collect();
            selected.translations.clear();
            crate::render::bodies::draw(&mut selected, &strings);
            let json = crate::render::data_json(&selected);
            write::file(root, target(0), &json, replace)?;
            targets
        }
    };
    Ok(Outcome {
        diagnostics,
        written,
    })
}

/// The journeys a request names, in slug order; all (with stages, for posters) when
/// it names none.
fn select<'a>(site: &'a Site, slugs: &[String], posters: bool) -> Result<Vec<&'a Journey>> {
    if slugs.is_empty() {
        return Ok(site
            .journeys
            .iter()
            .filter(|j| !posters || !j.stages.is_empty())
            .collect());
    }
    let mut chosen = Vec::new();
    for slug in slugs {
        let id = JourneyId(normalise(slug));
        let Some(j) = site.journey(&id) else {
            let ids = site.journeys.iter().map(|j| j.id.0.as_str());
            let help = match crate::diag::closest(&id.0, ids) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "a journey is named by its path under `journeys/` without `.md`, \
                         e.g. `retail/online-order`"
                    .to_string(),
            };
            return Err(Error::Usage {
                message: format!("no journey `{slug}` in the site"),
                help: Some(help),
            });
        };
        if posters && j.stages.is_empty() {
            return Err(Error::Usage {
                message: format!(
                    "journey `{}` has no stages, so it has no map for a poster",
                    j.id.0
                ),
                help: Some(
                    "add `[[stages]]` to the journey, or leave it out of `--journey`".into(),
                ),
            });
        }
        chosen.push(j);
    }
    chosen.sort_by(|a, b| a.id.cmp(&b.id));
    chosen.dedup_by(|a, b| a.id == b.id);
    Ok(chosen)
}

/// Accepts a slug as a user may type it: `journeys/retail/order.md` → `retail/order`.
fn normalise(slug: &str) -> String {
    let s = slug.trim().replace('\\', "/");
    let s = s.trim_matches('/');
    let s = s.strip_prefix("journeys/").unwrap_or(s);
    let s = s.strip_suffix(".md").unwrap_or(s);
    s.trim_matches('/').to_string()
}

/// The file name of a journey's poster: its slug with `/` replaced by `-`.
pub fn file_stem(id: &JourneyId) -> String {
    id.0.replace('/', "-")
}

/// The files an export writes into `out`: a poster per journey, in journey order, or
/// the one data file.
fn targets(journeys: &[&Journey], format: Format, out: &Path) -> Result<Vec<PathBuf>> {
    match format {
        Format::Csv => return Ok(vec![out.join("journeys.csv")]),
        Format::Json => return Ok(vec![out.join("journeys.json")]),
        Format::Png | Format::Pdf => {}
    }
    // Two slugs can share a file name (`a/b-c`, `a-b/c`): refuse rather than overwrite.
    let mut names = std::collections::BTreeMap::new();
    for j in journeys {
        if let Some(other) = names.insert(file_stem(&j.id), &j.id) {
            return Err(Error::Usage {
                message: format!(
                    "journeys `{}` and `{}` would both be written to `{}.{}`",
                    other.0,
                    j.id.0,
                    file_stem(&j.id),
                    format.extension()
                ),
                help: Some("export them one at a time with `--journey` and `-o`".into()),
            });
        }
    }
    Ok(journeys
        .iter()
        .map(|j| out.join(format!("{}.{}", file_stem(&j.id), format.extension())))
        .collect())
}

/// Where posters go: the site (whose sources and links [`write::file`] guards), a file
/// per journey, and what may be replaced.
#[derive(Clone, Copy)]
struct Place<'a> {
    root: &'a Path,
    files: &'a [PathBuf],
    replace: Replace,
}

fn posters(
    site: &Site,
    strings: &crate::i18n::Strings,
    journeys: &[&Journey],
    request: &Request,
    to: Place<'_>,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<Vec<PathBuf>> {
    let done = AtomicUsize::new(0);
    let total = journeys.len();
    journeys
        .par_iter()
        .zip(to.files)
        .map(|(j, path)| {
            let labels = strings.labels(&j.lang);
            let svg = diagram::poster::journey(site, j, &labels).ok_or_else(|| Error::Usage {
                message: format!(
                    "journey `{}` has no stages, so it has no map for a poster",
                    j.id.0
                ),
                help: None,
            })?;
            let poster = Poster::parse(&svg)?;
            let bytes = match request.format {
                Format::Pdf => poster.pdf(&j.title, &j.lang)?,
                _ => poster.png(request.scale)?,
            };
            write::file(to.root, path, &bytes, to.replace)?;
            let n = done.fetch_add(1, Ordering::SeqCst) + 1;
            progress(Progress {
                done: n,
                total,
                journey: &j.id,
            });
            Ok(path.clone())
        })
        .collect()
}

/// The fonts a poster may use: the bundled Inter faces and nothing else.
static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(font::REGULAR.to_vec());
    db.load_font_data(font::SEMIBOLD.to_vec());
    // Generic families resolve to Inter too, so nothing falls through to another font.
    db.set_sans_serif_family(font::FAMILY);
    db.set_serif_family(font::FAMILY);
    db.set_monospace_family(font::FAMILY);
    db.set_cursive_family(font::FAMILY);
    db.set_fantasy_family(font::FAMILY);
    Arc::new(db)
});

/// A poster parsed once, ready to be rasterised or written as PDF.
pub struct Poster {
    tree: usvg::Tree,
}

impl Poster {
    /// Parses poster SVG with the bundled fonts only.
    pub fn parse(svg: &str) -> Result<Poster> {
        let options = usvg::Options {
            font_family: font::FAMILY.to_string(),
            fontdb: Arc::clone(&FONTS),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &options).map_err(|e| Error::Export {
            message: format!("the poster SVG cannot be read: {e}"),
        })?;
        Ok(Poster { tree })
    }

    /// The parsed tree, for documents that draw it among other pages (the report).
    pub(crate) fn tree(&self) -> &usvg::Tree {
        &self.tree
    }

    /// Width and height in SVG units (PDF points).
    pub fn size(&self) -> (f32, f32) {
        (self.tree.size().width(), self.tree.size().height())
    }

    /// The poster as PNG, `scale` pixels per unit (less when the longer side would pass
    /// [`MAX_PIXELS`]).
    pub fn png(&self, scale: f32) -> Result<Vec<u8>> {
        let (w, h) = self.size();
        let scale = scale.min(MAX_PIXELS / w.max(h));
        let (pw, ph) = ((w * scale).ceil() as u32, (h * scale).ceil() as u32);
        let mut pixmap = tiny_skia::Pixmap::new(pw, ph).ok_or_else(|| Error::Export {
            message: format!("a {pw}×{ph} pixel poster is too large to draw"),
        })?;
        resvg::render(
            &self.tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        let png = pixmap.encode_png().map_err(|e| Error::Export {
            message: format!("the poster cannot be encoded as PNG: {e}"),
        })?;
        Ok(write::mark_png(png))
    }

    /// The poster as a one-page vector PDF, one point per unit, with `title` and `lang`
    /// (an RFC 3066 tag) in its metadata. No creation date is written, and the document
    /// id is a hash of the content, so the bytes depend on the poster only.
    pub fn pdf(&self, title: &str, lang: &str) -> Result<Vec<u8>> {
        use krilla::Document;
        use krilla::geom::Size;
        use krilla::metadata::Metadata;
        use krilla::page::PageSettings;
        use krilla_svg::{SurfaceExt, SvgSettings};

        let (w, h) = self.size();
        let failed = |what: &str| Error::Export {
            message: format!("the poster cannot be written as PDF: {what}"),
        };
        let mut document = Document::new();
        let settings = PageSettings::from_wh(w, h).ok_or_else(|| failed("empty page"))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let size = Size::from_wh(w, h).ok_or_else(|| failed("empty page"))?;
        surface
            .draw_svg(&self.tree, size, SvgSettings::default())
            .ok_or_else(|| failed("the SVG cannot be drawn"))?;
        surface.finish();
        page.finish();
        document.set_metadata(
            Metadata::new()
                .title(title.to_string())
                .language(lang.to_string())
                // How an earlier poster is recognised, and replaced without asking.
                .creator("cxmap".to_string()),
        );
        document.finish().map_err(|e| failed(&format!("{e:?}")))
    }
}

/// Poster SVG → PNG at `scale` pixels per unit.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>> {
    Poster::parse(svg)?.png(scale)
}

/// Poster SVG → vector PDF with `title` and `lang` in its metadata.
pub fn pdf(svg: &str, title: &str, lang: &str) -> Result<Vec<u8>> {
    Poster::parse(svg)?.pdf(title, lang)
}

/// The columns of `journeys.csv`.
pub const CSV_COLUMNS: [&str; 10] = [
    "journey",
    "stage",
    "step",
    "action",
    "touchpoint",
    "channel",
    "emotion",
    "thought",
    "pains",
    "opportunities",
];

/// One row per step: the journey's slug, the stage's name, the step's number in the
/// journey (from 1), then the step's fields. Several pains or opportunities share a
/// cell, one per line, with severity, priority and owner in brackets as on the map.
pub fn csv(journeys: &[&Journey]) -> Result<Vec<u8>> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let failed = |e: ::csv::Error| Error::Export {
        message: format!("the CSV cannot be written: {e}"),
    };
    w.write_record(CSV_COLUMNS).map_err(failed)?;
    for j in journeys {
        for (n, (stage, step)) in j.steps().enumerate() {
            let channel = step
                .channel_label
                .clone()
                .or_else(|| step.channel.clone())
                .unwrap_or_default();
            let pains: Vec<String> = step
                .pains
                .iter()
                .map(|p| match p.severity {
                    Some(s) => format!("{} [{}]", p.text, key(&s)),
                    None => p.text.clone(),
                })
                .collect();
            let opportunities: Vec<String> = step
                .opportunities
                .iter()
                .map(|o| {
                    let mut meta = Vec::new();
                    if let Some(p) = o.priority {
                        meta.push(key(&p));
                    }
                    if let Some(owner) = &o.owner {
                        meta.push(owner.clone());
                    }
                    if meta.is_empty() {
                        o.text.clone()
                    } else {
                        format!("{} [{}]", o.text, meta.join(" · "))
                    }
                })
                .collect();
            w.write_record([
                cell(&j.id.0),
                cell(&j.stages[stage].name),
                (n + 1).to_string(),
                cell(&step.action),
                cell(step.touchpoint.as_deref().unwrap_or_default()),
                cell(&channel),
                step.emotion.map(|e| e.to_string()).unwrap_or_default(),
                cell(step.thought.as_deref().unwrap_or_default()),
                cell(&pains.join("\n")),
                cell(&opportunities.join("\n")),
            ])
            .map_err(failed)?;
        }
    }
    w.into_inner().map_err(|e| Error::Export {
        message: format!("the CSV cannot be written: {e}"),
    })
}

/// A text cell that a spreadsheet will not run as a formula: a leading `=`, `+`, `-`,
/// `@`, tab or carriage return gets an apostrophe in front.
pub(crate) fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The key of a closed-set value (`high`), as written in frontmatter.
pub(crate) fn key<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_accepted_as_users_type_them() {
        assert_eq!(normalise("journeys/retail/order.md"), "retail/order");
        assert_eq!(normalise("retail/order/"), "retail/order");
        assert_eq!(normalise("order"), "order");
        assert_eq!(file_stem(&JourneyId("retail/order".into())), "retail-order");
    }

    #[test]
    fn cells_never_start_a_formula() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-20% off"), "'-20% off");
        assert_eq!(cell("Pays with her card"), "Pays with her card");
    }

    #[test]
    fn poster_fonts_are_the_bundled_ones_only() {
        let families: Vec<String> = FONTS
            .faces()
            .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
            .collect();
        assert_eq!(FONTS.len(), 2);
        assert!(families.iter().all(|f| f == font::FAMILY), "{families:?}");
    }
}
