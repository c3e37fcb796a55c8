//! `cxmap export`: journey posters as PNG and PDF, the journey data as CSV and JSON.
//!
//! In: the site root and a [`Request`]. Out: files in the export folder (default
//! `exports/` in the site), one poster per journey (`retail/online-order` →
//! `retail-online-order.png`), or one `journeys.csv` / `journeys.json`.
//!
//! A poster is the SVG of [`crate::diagram::poster`], drawn by
//! [`crate::diagram::raster::Poster`] as PNG (resvg) or vector PDF (krilla: text stays
//! text, selectable and searchable), with the bundled Inter faces and then the site's
//! own fonts (`fonts/`) for what Inter lacks, never the system's; no clock or
//! random id reaches the files, so the same site gives the same bytes. PNGs get cxmap's
//! mark here ([`write::mark_png`]), as they are written. The CSV is
//! [`crate::render::csv::journeys`]; the JSON is the site's `data/journeys.json`.
//!
//! Every file goes through [`crate::write::file`]: whole or not at all, never into the
//! site's sources or through a symbolic link, and over an existing file only when cxmap
//! made it (PDFs carry `cxmap` as their creator, PNGs a `Software` text chunk) or with
//! `--force`. All targets are checked before the first poster is drawn.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::diag::Diagnostics;
use crate::diagram::{self, font, raster, raster::Poster};
use crate::error::{Error, Result};
use crate::model::{Journey, JourneyId, Site};
use crate::render::csv;
use crate::write::{self, Made, Replace};

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
            Format::Csv => Made::Csv(&csv::JOURNEYS_COLUMNS),
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
    let site = site.language_view(request.lang.as_deref())?;
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
            let fonts = Arc::new(font::SiteFonts::new(&sources.fonts).0);
            let draw = Draw {
                strings: &strings,
                raster: raster::Fonts::new(&fonts),
                fonts,
            };
            posters(site, &draw, &journeys, request, to, progress)?
        }
        Format::Csv => {
            write::file(root, target(0), &csv::journeys(&journeys)?, replace)?;
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
    let chosen = site.select(slugs).map_err(|unknown| Error::Usage {
        message: format!("no journey `{}` in the site", unknown.given),
        help: Some(match unknown.closest {
            Some(best) => format!("did you mean `{best}`?"),
            None => "a journey is named by its path under `journeys/` without `.md`, \
                     e.g. `retail/online-order`"
                .to_string(),
        }),
    })?;
    for j in &chosen {
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
    }
    Ok(chosen)
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

/// What posters are drawn with: the site's words, and its fonts after Inter (for the
/// layout's measurements and for the drawing).
struct Draw<'a> {
    strings: &'a crate::i18n::Strings,
    fonts: Arc<font::SiteFonts>,
    raster: raster::Fonts,
}

fn posters(
    site: &Site,
    draw: &Draw<'_>,
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
            let labels = draw.strings.labels(&j.lang);
            // Each poster on its own thread: the measuring fonts are that thread's.
            let svg =
                font::with_site_fonts(&draw.fonts, || diagram::poster::journey(site, j, &labels));
            let svg = svg.ok_or_else(|| Error::Usage {
                message: format!(
                    "journey `{}` has no stages, so it has no map for a poster",
                    j.id.0
                ),
                help: None,
            })?;
            let poster = Poster::parse_with(&svg, &draw.raster)?;
            let bytes = match request.format {
                Format::Pdf => poster.pdf(&j.title, &j.lang)?,
                _ => write::mark_png(poster.png(request.scale)?),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_accepted_as_users_type_them() {
        use crate::model::select::normalise_slug as normalise;
        assert_eq!(normalise("journeys/retail/order.md"), "retail/order");
        assert_eq!(normalise("retail/order/"), "retail/order");
        assert_eq!(normalise("order"), "order");
        assert_eq!(file_stem(&JourneyId("retail/order".into())), "retail-order");
    }
}
