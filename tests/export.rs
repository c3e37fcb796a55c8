//! `cxmap export`: posters as PNG (against a reference image) and PDF (real text), the
//! data as CSV and JSON, same bytes on every run, and the command's exit codes.
//!
//! The reference poster is `tests/fixtures/export/expected/motor-renewal.png`. When the
//! map or the poster changes on purpose, look at the new image (written to
//! `target/tmp/export/` on a mismatch) and regenerate it with
//! `CXMAP_UPDATE_REFERENCE=1 cargo test --test export`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use cxmap::export::{self, Format, Request};
use resvg::tiny_skia::Pixmap;

const SITE: &str = "export";
const JOURNEY: &str = "motor/renewal";

fn cxmap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cxmap"))
}

/// Runs an export of the fixture into a fresh folder; returns the folder and the files.
fn run(format: Format, scale: f32) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let request = Request {
        format,
        journeys: Vec::new(),
        out: Some(dir.path().to_path_buf()),
        scale,
        lang: None,
        force: false,
    };
    let outcome = export::run(&common::fixture(SITE), &request, &|_| {}).expect("export");
    assert!(
        !outcome.diagnostics.has_errors(),
        "{}",
        outcome.diagnostics.render(false)
    );
    (dir, outcome.written)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn posters_are_made_for_journeys_with_stages_only() {
    let (_dir, written) = run(Format::Png, 1.0);
    let names: Vec<_> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // `claims-notes` has no stages, so no map and no poster.
    assert_eq!(names, ["motor-renewal.png"]);
}

#[test]
fn png_poster_matches_the_reference_image() {
    let (_dir, written) = run(Format::Png, 1.0);
    let actual_bytes = read(&written[0]);
    common::assert_matches_reference(
        &actual_bytes,
        &format!("{SITE}/expected/motor-renewal.png"),
        "export",
    );
}

#[test]
fn pdf_poster_has_real_text_and_metadata() {
    let (_dir, written) = run(Format::Pdf, 1.0);
    let bytes = read(&written[0]);
    assert!(bytes.starts_with(b"%PDF-"));
    let text = common::pdftotext(&written[0]);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for action in [
        "Opens the renewal letter",
        "Compares quotes on two price sites",
        "Calls to ask for a better price",
        "Accepts the matched offer in the app",
        "Downloads the new certificate",
    ] {
        // Wrapped lines come out as separate runs; compare word by word.
        assert!(
            text.contains(action),
            "`{action}` not in the PDF text:\n{text}"
        );
    }
    for header in ["Renewing van insurance", "Jordi Vidal", "Scenario"] {
        let header = header.to_uppercase();
        assert!(
            text.to_uppercase().contains(&header),
            "`{header}` not in the PDF text"
        );
    }
    let raw = String::from_utf8_lossy(&bytes);
    assert!(
        raw.contains("Renewing van insurance"),
        "title in the metadata"
    );
    assert!(raw.contains("/Lang"), "language in the catalog");
    assert!(!raw.contains("/CreationDate"), "no clock in the PDF");
}

#[test]
fn same_site_gives_same_bytes() {
    for format in ["png", "pdf", "csv", "json"] {
        let runs: Vec<Vec<u8>> = (0..2)
            .map(|_| {
                let dir = tempfile::tempdir().unwrap();
                let out = cxmap()
                    .args(["export", "--format", format, "--journey", JOURNEY, "-o"])
                    .arg(dir.path())
                    .arg(common::fixture(SITE))
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let name = match format {
                    "png" | "pdf" => format!("motor-renewal.{format}"),
                    _ => format!("journeys.{format}"),
                };
                read(&dir.path().join(name))
            })
            .collect();
        assert!(runs[0] == runs[1], "{format} differs between two runs");
    }
}

#[test]
fn csv_has_a_row_per_step_properly_quoted() {
    let (_dir, written) = run(Format::Csv, 1.0);
    let bytes = read(&written[0]);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        cxmap::render::csv::JOURNEYS_COLUMNS
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.len(),
        5,
        "one row per step of the one journey with steps"
    );
    let first = &rows[0];
    assert_eq!(&first[0], JOURNEY);
    assert_eq!(&first[1], "Notice");
    assert_eq!(&first[2], "1");
    assert_eq!(&first[3], "Opens the renewal letter");
    assert_eq!(&first[6], "2");
    assert_eq!(&first[7], "Why is it 18% more <again>?");
    assert_eq!(&first[8], "Price rise is not explained [high]");
    let calls = &rows[2];
    assert_eq!(&calls[1], "Decide");
    assert_eq!(&calls[5], "Call centre", "channel label from [channels]");
    assert_eq!(&calls[8], "Long wait\nHas to repeat his policy number");
}

#[test]
fn json_is_the_sites_data_file() {
    let (_dir, written) = run(Format::Json, 1.0);
    let site = common::render(&common::fixture(SITE));
    assert!(
        read(&written[0]) == site["data/journeys.json"],
        "journeys.json differs from the built site's data/journeys.json"
    );
}

#[test]
fn poster_text_is_escaped_and_the_svg_well_formed() {
    let outcome = cxmap::check(&common::fixture("hostile")).unwrap();
    let site = outcome.site.unwrap();
    let labels = cxmap::diagram::Labels::default();
    for j in site.journeys.iter().filter(|j| !j.stages.is_empty()) {
        let svg = cxmap::diagram::poster::journey(&site, j, &labels).unwrap();
        let doc =
            roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{}: {e}\n{svg}", j.id.0));
        assert!(
            doc.descendants().all(|n| n.tag_name().name() != "script"),
            "{svg}"
        );
        if j.id.0 == "evil" {
            assert!(svg.contains("&lt;/svg&gt;&lt;script&gt;"), "title escaped");
        }
        // The same SVG draws as PNG and PDF.
        assert!(!cxmap::diagram::raster::png(&svg, 1.0).unwrap().is_empty());
        assert!(
            !cxmap::diagram::raster::pdf(&svg, &j.title, "en")
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn cli_exports_a_poster_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let out = cxmap()
        .args(["export", "--format", "png", "-o"])
        .arg(dir.path())
        .arg(common::fixture(SITE))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Not a terminal: no progress, no summary.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = read(&dir.path().join("motor-renewal.png"));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let poster = Pixmap::decode_png(&png).unwrap();
    // Twice the size by default.
    let (_d, one) = run(Format::Png, 1.0);
    let small = Pixmap::decode_png(&read(&one[0])).unwrap();
    assert_eq!(poster.width(), small.width() * 2);
}

#[test]
fn cli_unknown_journey_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = cxmap()
        .args([
            "export",
            "--format",
            "pdf",
            "--journey",
            "motor/renewl",
            "-o",
        ])
        .arg(dir.path().join("out"))
        .arg(common::fixture(SITE))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no journey `motor/renewl`"), "{stderr}");
    assert!(stderr.contains("did you mean `motor/renewal`?"), "{stderr}");
    assert!(!dir.path().join("out").exists(), "nothing written");

    // A journey with no stages has no map to put on a poster.
    let out = cxmap()
        .args([
            "export",
            "--format",
            "png",
            "--journey",
            "claims-notes",
            "-o",
        ])
        .arg(dir.path().join("out"))
        .arg(common::fixture(SITE))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no stages"));

    // As a user may type it, with the folder and extension.
    let out = cxmap()
        .args([
            "export",
            "--format",
            "csv",
            "--journey",
            "journeys/motor/renewal.md",
            "-o",
        ])
        .arg(dir.path().join("out"))
        .arg(common::fixture(SITE))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn cli_content_errors_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = cxmap()
        .args(["export", "--format", "png", "-o"])
        .arg(dir.path().join("out"))
        .arg(common::fixture("diagnostics/unknown-persona"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn posters_of_a_language_speak_it() {
    let site = common::fixture("languages");
    let export = |lang: Option<&str>| {
        let dir = tempfile::tempdir().unwrap();
        let request = Request {
            format: Format::Pdf,
            journeys: Vec::new(),
            out: Some(dir.path().to_path_buf()),
            scale: 1.0,
            lang: lang.map(String::from),
            force: false,
        };
        let outcome = export::run(&site, &request, &|_| {}).expect("export");
        let texts: Vec<String> = outcome
            .written
            .iter()
            .map(|p| common::pdftotext(p))
            .collect();
        (dir, texts.join("\n"))
    };
    let (_en, en) = export(None);
    assert!(
        en.contains("Ordering a laptop online") && en.contains("Discovery"),
        "{en}"
    );
    // The Catalan-only map is in every language's export, in Catalan.
    assert!(en.contains("Recollir a la botiga"), "{en}");
    let (_es, es) = export(Some("es"));
    assert!(es.contains("Comprar un portátil en línea"), "{es}");
    assert!(es.contains("Descubrimiento"), "{es}");
    assert!(!es.contains("Ordering a laptop online"), "{es}");

    let out = cxmap()
        .args(["export", "--format", "png", "--lang", "fr", "-o"])
        .arg(tempfile::tempdir().unwrap().path().join("out"))
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`fr` is not one of the site's languages"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------
// What an export replaces

/// A copy of the export site in a new temporary folder, to export into.
fn own_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture(SITE), dir.path());
    dir
}

/// `cxmap export` with `args` on the site at `root` (into its `exports/`), colourless.
fn export_cmd(root: &Path, args: &[&str]) -> std::process::Output {
    cxmap()
        .args(["export", "--color", "never"])
        .args(args)
        .arg(root)
        .output()
        .unwrap()
}

/// The names in `dir`, sorted; empty when it does not exist.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn export_does_not_overwrite_a_file_it_did_not_make() {
    let dir = own_site();
    let exports = dir.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    for (format, name) in [
        ("png", "motor-renewal.png"),
        ("pdf", "motor-renewal.pdf"),
        ("csv", "journeys.csv"),
        ("json", "journeys.json"),
    ] {
        let path = exports.join(name);
        std::fs::write(&path, "{}\nmine").unwrap();
        let out = export_cmd(dir.path(), &["--format", format]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {stderr}");
        assert!(stderr.contains("was not written by cxmap"), "{stderr}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}\nmine");
        // Said so: replaced; then its own file is replaced without asking.
        for args in [&["--format", format, "--force"][..], &["--format", format]] {
            let out = export_cmd(dir.path(), args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
            assert_ne!(std::fs::read(&path).unwrap(), b"{}\nmine");
        }
    }
    assert!(names(&exports).iter().all(|n| !n.contains(".cxmap-")));
}

#[test]
fn export_never_writes_into_a_site_source_even_with_force() {
    let dir = own_site();
    for out in ["journeys", "personas", "."] {
        let o = dir.path().join(out);
        let before = names(&o);
        let args = ["--format", "csv", "--force", "-o", o.to_str().unwrap()];
        let run = export_cmd(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        if out == "." {
            // The site folder itself is no source: `journeys.csv` may go there.
            assert_eq!(run.status.code(), Some(0), "{stderr}");
            continue;
        }
        assert_eq!(run.status.code(), Some(2), "{out}: {stderr}");
        assert!(stderr.contains("one of the site's sources"), "{stderr}");
        assert_eq!(names(&o), before);
    }
}

#[test]
fn export_does_not_write_through_a_symlink() {
    let dir = own_site();
    let exports = dir.path().join("exports");
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("secret.txt");
    std::fs::write(&secret, "mine").unwrap();
    // A poster's name linked to a file outside the site, working or dangling.
    std::fs::create_dir_all(&exports).unwrap();
    std::os::unix::fs::symlink(&secret, exports.join("motor-renewal.png")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("none"), exports.join("journeys.json"))
        .unwrap();
    for format in ["png", "json"] {
        let out = export_cmd(dir.path(), &["--format", format, "--force"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {stderr}");
        assert!(stderr.contains("is a symbolic link"), "{stderr}");
    }
    // The export folder linked elsewhere.
    std::fs::remove_dir_all(&exports).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), &exports).unwrap();
    let out = export_cmd(dir.path(), &["--format", "csv"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is a symbolic link"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "mine");
    assert_eq!(names(elsewhere.path()), ["secret.txt"]);
}

/// A full disk: with the file size limit at zero (`ulimit -f 0`) every write fails as
/// it would on a full disk (EFBIG instead of ENOSPC).
#[test]
fn export_on_a_full_disk_leaves_no_partial_file() {
    let dir = own_site();
    let exports = dir.path().join("exports");
    for format in ["json", "csv", "png", "pdf"] {
        let script = format!(
            "trap '' XFSZ; ulimit -f 0 && exec '{}' export --color never --format {format} '{}'",
            env!("CARGO_BIN_EXE_cxmap"),
            dir.path().display()
        );
        let out = Command::new("sh").args(["-c", &script]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
        assert!(stderr.to_lowercase().contains("file too large"), "{stderr}");
        assert_eq!(names(&exports), Vec::<String>::new(), "{format}");
    }
    // An earlier export stays as it was.
    let out = export_cmd(dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let before = read(&exports.join("journeys.json"));
    let script = format!(
        "trap '' XFSZ; ulimit -f 0 && exec '{}' export --format json '{}'",
        env!("CARGO_BIN_EXE_cxmap"),
        dir.path().display()
    );
    let out = Command::new("sh").args(["-c", &script]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(read(&exports.join("journeys.json")) == before);
    assert_eq!(names(&exports), ["journeys.json"]);
}
