//! `cxmap report --format pdf`: the text a reader can select and search (journeys, the
//! pain points in their ranked order, the opportunities), pages and bookmarks, the
//! metadata, the structure assistive technology reads (tagged PDF, PDF/UA-1), the same
//! bytes twice, a 200-journey portfolio, and a journey page against a reference image.
//!
//! The structure is read with `pdfinfo -struct-text` (poppler-utils): the tree of
//! structure elements with their text, in reading order. The figures' alternative
//! texts, which it does not print, are read from the PDF's structure elements.
//!
//! The reference is `tests/fixtures/report/expected/journey-page.png` (the first journey's
//! page drawn at one pixel per point). When the layout changes on purpose, look at the
//! new image (written to `target/tmp/report/` on a mismatch) and regenerate it with
//! `CXMAP_UPDATE_REFERENCE=1 cargo test --test report_pdf`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use cxmap::report::{self, Format, Report, Request};

const SITE: &str = "report";

fn request() -> Request {
    Request::new(Format::Pdf)
}

fn gather(root: &Path) -> Report {
    let (report, diagnostics) = report::build(root, &request()).expect("report");
    assert!(!diagnostics.has_errors(), "{}", diagnostics.render(false));
    report.expect("a report")
}

/// The fixture's report written to a temporary file.
fn written() -> (tempfile::TempDir, PathBuf, Report) {
    let report = gather(&common::fixture(SITE));
    let bytes = report::pdf::write(&report).expect("PDF");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, bytes).unwrap();
    (dir, path, report)
}

/// The text of a PDF as a viewer extracts it, words separated by single spaces
/// (`pdftotext` from poppler-utils, which `scripts/setup` installs).
fn pdftotext(pdf: &Path) -> String {
    let text = common::pdftotext(pdf);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_count(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    let info = String::from_utf8_lossy(&out.stdout);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in\n{info}"))
}

/// Where each of `needles` first appears in `text`, after the previous one.
fn in_order(text: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match text[from..].find(needle) {
            Some(at) => from += at + needle.len(),
            None => panic!("`{needle}` not found (in this order) in the PDF text:\n{text}"),
        }
    }
}

#[test]
fn the_text_holds_journeys_ranked_pains_and_opportunities() {
    let (_dir, path, report) = written();
    let text = pdftotext(&path);
    for title in [
        "Reporting a burst pipe",
        "Getting a claim settled",
        "Welcoming a new policyholder",
    ] {
        assert!(text.contains(title), "`{title}` not in the PDF text");
    }
    // The sections in the document's order.
    in_order(
        &text,
        &[
            "Portfolio report",
            "Headline figures",
            "Reporting a burst pipe",
            "Pain points, ranked",
            "Opportunities by owner",
            "Ana Ruiz",
        ],
    );
    // Pain points in the ranked order the report gives, each with its severity and
    // where it appears.
    let pains: Vec<&str> = report.pains.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        pains,
        [
            "Nobody calls back after the first report",
            "Renewal letter arrives before the welcome pack",
            "Hold music for twenty minutes",
            "Forms ask for the policy number twice",
            "Payment reference is a string of digits",
        ]
    );
    let ranked = &text[text.find("Pain points, ranked").unwrap()..];
    in_order(ranked, &pains);
    in_order(
        ranked,
        &[
            "Nobody calls back",
            "critical · Appears in 2 journeys, 2 stages",
            "Reporting a burst pipe › First call; Getting a claim settled › Assessment",
        ],
    );
    // Opportunities by owner, then priority.
    let owners = &text[text.find("Opportunities by owner").unwrap()..];
    in_order(
        owners,
        &[
            "Contact centre",
            "Call-back slot booked in the IVR",
            "Digital claims",
            "high",
            "Adjuster visit booked online",
            "medium",
            "Photo upload link in the same message",
            "No owner",
            "One welcome pack with the renewal date in it",
        ],
    );
    // The persona's profile, and page numbers in the footer.
    for words in [
        "I just want someone to tell me what happens next.",
        "Repeating the story to every new agent",
        "Photographs everything",
        "Page 1 of",
    ] {
        assert!(text.contains(words), "`{words}` not in the PDF text");
    }
}

#[test]
fn pages_bookmarks_and_metadata() {
    let (_dir, path, report) = written();
    let pages = page_count(&path);
    assert_eq!(pages, report::pdf::pages(&report).len());
    // Cover, figures; each claims journey on one page (its narrow map with the stage
    // figures beside it); the welcome journey's page and its 12-step map over three
    // pages; pains, opportunities, one persona.
    assert_eq!(pages, 11, "pages of the fixture's report");
    assert!(pdftotext(&path).contains(&format!("Page {pages} of {pages}")));

    let bytes = std::fs::read(&path).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/Outlines"), "an outline in the catalog");
    for bookmark in [
        "Report Fixture Insurance",
        "Headline figures",
        "Journeys",
        "Reporting a burst pipe",
        "Getting a claim settled",
        "Welcoming a new policyholder",
        "Pain points, ranked",
        "Opportunities by owner",
        "Personas",
        "Ana Ruiz",
    ] {
        assert!(
            raw.contains(&format!("/Title({bookmark})")),
            "no bookmark `{bookmark}`"
        );
    }
    assert!(raw.contains("/Lang(en)"), "language in the catalog");
    assert!(!raw.contains("/CreationDate"), "no clock in the PDF");
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("Title:           Report Fixture Insurance — Portfolio report"),
        "{info}"
    );
}

#[test]
fn same_report_gives_same_bytes() {
    let first = report::pdf::write(&gather(&common::fixture(SITE))).unwrap();
    let second = report::pdf::write(&gather(&common::fixture(SITE))).unwrap();
    assert!(first == second, "the PDF differs between two runs");
}

#[test]
fn the_command_writes_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("board.pdf");
    let run = Command::new(env!("CARGO_BIN_EXE_cxmap"))
        .args(["report", "--format", "pdf", "-o"])
        .arg(&out)
        .arg(common::fixture(SITE))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(pdftotext(&out).contains("Welcoming a new policyholder"));
}

#[test]
fn long_content_flows_onto_more_pages_and_changes_are_listed() {
    let mut report = gather(&common::fixture(SITE));
    let before = report::pdf::pages(&report).len();
    // Many long pain points, a stage with many metrics, and what changed.
    let template = report.pains[0].clone();
    for n in 0..80 {
        let mut pain = template.clone();
        pain.text = format!(
            "Extra pain point number {n} with a long description of what goes wrong for the customer at this point of the journey"
        );
        pain.places = (0..6).map(|s| format!("Journey {n} › Stage {s}")).collect();
        report.pains.push(pain);
    }
    report.journeys[0].stages[0].metrics = (0..60)
        .map(|m| format!("Metric number {m}: {m}0% (90%)"))
        .collect();
    report.changes = Some(report::ChangesSection {
        since: "v1.0, 1 March 2026".into(),
        items: vec![(
            "Reporting a burst pipe".into(),
            vec![
                "stage “First call” added".into(),
                "emotion 2 → 1 at “Calls the claims line at night”".into(),
            ],
        )],
    });
    let pages = report::pdf::pages(&report).len();
    assert!(pages >= before + 4, "{before} → {pages} pages");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.pdf");
    std::fs::write(&path, report::pdf::write(&report).unwrap()).unwrap();
    assert_eq!(page_count(&path), pages);
    let text = pdftotext(&path);
    let extra: Vec<String> = (0..80)
        .map(|n| format!("Extra pain point number {n} with"))
        .collect();
    in_order(&text, &extra.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        text.contains("Journey 79 › Stage 5"),
        "the last place is printed"
    );
    for m in [0, 30, 59] {
        let metric = format!("Metric number {m}: {m}0% (90%)");
        assert!(text.contains(&metric), "`{metric}` not in the PDF text");
    }
    in_order(
        &text,
        &[
            "What changed",
            "Changes in the maps since v1.0, 1 March 2026.",
            "Reporting a burst pipe",
            "emotion 2 → 1 at “Calls the claims line at night”",
        ],
    );
    let raw = std::fs::read(&path).unwrap();
    assert!(String::from_utf8_lossy(&raw).contains("/Title(What changed)"));
    // Still PDF/UA-1 over many pages: a table going on over a page repeats its header
    // as decoration, the changes are a heading and a list.
    assert!(String::from_utf8_lossy(&raw).contains("<pdfuaid:part>1</pdfuaid:part>"));
    let tree = structure(&path);
    assert_eq!(
        tree.matches("\"Stages\"").count(),
        3,
        "one header row a table"
    );
    in_order(
        &tree,
        &[
            "H2 \"What changed\"",
            "H3 \"Reporting a burst pipe\"",
            "LBody",
            "\"emotion 2 → 1 at “Calls the claims line at night”\"",
        ],
    );
}

#[test]
fn a_large_portfolio_is_written_in_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("cxmap.toml"),
        "title = \"Large portfolio\"\nbase_url = \"https://cx.example.com/\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("journeys")).unwrap();
    std::fs::create_dir_all(root.join("personas")).unwrap();
    for p in 0..10 {
        std::fs::write(
            root.join(format!("personas/p{p}.md")),
            format!(
                "+++\nname = \"Persona {p}\"\ngoals = [\"Goal {p}\"]\n\n[empathy]\nsays = [\"Hello {p}\"]\n+++\n"
            ),
        )
        .unwrap();
    }
    for j in 0..200 {
        let mut text = format!(
            "+++\ntitle = \"Journey number {j}\"\npersonas = [\"p{}\"]\nowner = \"Team {}\"\n",
            j % 10,
            j % 7
        );
        for s in 0..4 {
            text.push_str(&format!(
                "\n[[stages]]\nname = \"Stage {s}\"\ndropoff = 0.1\n"
            ));
            for t in 0..2 {
                text.push_str(&format!(
                    "\n  [[stages.steps]]\n  action = \"Does thing {s}.{t} of journey {j}\"\n  channel = \"web\"\n  emotion = {}\n  pains = [{{ text = \"Pain {} of the portfolio\", severity = \"high\" }}]\n  opportunities = [{{ text = \"Idea {j}.{s}.{t}\", owner = \"Team {}\", priority = \"medium\" }}]\n",
                    (s + t) % 5 + 1,
                    (j + s) % 40,
                    t
                ));
            }
        }
        text.push_str("+++\n");
        std::fs::write(root.join(format!("journeys/j{j:03}.md")), text).unwrap();
    }
    let start = Instant::now();
    let report = gather(root);
    let gathered = start.elapsed();
    let bytes = report::pdf::write(&report).unwrap();
    let total = start.elapsed();
    println!(
        "200 journeys: gathered in {gathered:?}, PDF of {} pages and {} kB in {:?} ({total:?} in all)",
        report::pdf::pages(&report).len(),
        bytes.len() / 1024,
        total - gathered
    );
    assert_eq!(report.journeys.len(), 200);
    let path = root.join("report.pdf");
    std::fs::write(&path, &bytes).unwrap();
    assert!(page_count(&path) >= 200 + 4);
    assert!(String::from_utf8_lossy(&bytes).contains("<pdfuaid:part>1</pdfuaid:part>"));
}

#[test]
fn journey_page_matches_the_reference_image() {
    let report = gather(&common::fixture(SITE));
    let pages = report::pdf::pages(&report);
    // Cover, figures, then the first journey's page.
    let svg = &pages[2];
    let actual_bytes = cxmap::diagram::raster::png(svg, 1.0).expect("PNG");
    common::assert_matches_reference(
        &actual_bytes,
        &format!("{SITE}/expected/journey-page.png"),
        "report_pdf",
    );
}

/// The structure tree as `pdfinfo -struct-text` prints it: one element or text a line,
/// indented by depth.
fn structure(pdf: &Path) -> String {
    let out = Command::new("pdfinfo")
        .arg("-struct-text")
        .arg(pdf)
        .output()
        .expect("pdfinfo");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The headings of a structure tree in order, as `H2 Title`.
fn headings(structure: &str) -> Vec<String> {
    structure
        .lines()
        .map(str::trim)
        .filter(|l| l.len() > 2 && l.starts_with('H') && l[1..2].parse::<u8>().is_ok())
        .map(|l| {
            let (level, rest) = l.split_once(' ').unwrap_or((l, ""));
            let title = rest.split('"').nth(1).unwrap_or("");
            format!("{level} {title}")
        })
        .collect()
}

/// The alternative text of each figure in the PDF's structure elements (`/Alt`, a
/// literal or a UTF-16 hex string), in the order they are written.
fn figure_alts(bytes: &[u8]) -> Vec<String> {
    let raw = String::from_utf8_lossy(bytes);
    let mut alts = Vec::new();
    for (at, _) in raw.match_indices("/S/Figure") {
        let element = &raw[at..];
        let element = &element[..element.find("endobj").unwrap_or(element.len())];
        let Some(alt) = element.find("/Alt") else {
            alts.push(String::new());
            continue;
        };
        let value = &element[alt + 4..];
        if let Some(hex) = value.strip_prefix('<') {
            let hex = &hex[..hex.find('>').unwrap()];
            let units: Vec<u16> = (0..hex.len() / 4)
                .map(|i| u16::from_str_radix(&hex[i * 4..i * 4 + 4], 16).unwrap())
                .collect();
            let text = String::from_utf16(&units).unwrap();
            alts.push(text.trim_start_matches('\u{feff}').to_string());
        } else if let Some(literal) = value.strip_prefix('(') {
            // Up to the `)` that closes it (balanced parentheses may stay unescaped),
            // escapes undone.
            let (mut text, mut escaped, mut depth) = (String::new(), false, 0);
            for c in literal.chars() {
                match c {
                    _ if escaped => {
                        text.push(c);
                        escaped = false;
                    }
                    '\\' => escaped = true,
                    ')' if depth == 0 => break,
                    _ => {
                        depth += usize::from(c == '(');
                        depth -= usize::from(c == ')');
                        text.push(c);
                    }
                }
            }
            alts.push(text);
        }
    }
    alts
}

#[test]
fn the_pdf_is_tagged_for_assistive_technology() {
    let (_dir, path, _report) = written();
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let bytes = std::fs::read(&path).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    // Checked against PDF/UA-1 as it was written, and says so.
    assert!(
        raw.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "no PDF/UA-1 identification"
    );
    assert!(raw.contains("/Lang(en)"), "the document's language");
    assert!(
        raw.contains("/DisplayDocTitle true"),
        "viewers show the title"
    );

    let tree = structure(&path);
    // Headings in the order of the outline: the report's title, the contents, the
    // sections, each journey and persona with the headings inside them.
    assert_eq!(
        headings(&tree),
        [
            "H1 Report Fixture Insurance",
            "H2 Contents",
            "H2 Headline figures",
            "H3 Pains",
            "H3 Opportunities",
            "H2 Reporting a burst pipe",
            "H3 Stage by stage",
            "H2 Getting a claim settled",
            "H3 Stage by stage",
            "H2 Welcoming a new policyholder",
            "H3 Stage by stage",
            "H2 Pain points, ranked",
            "H2 Opportunities by owner",
            "H3 Contact centre",
            "H4 high",
            "H3 Digital claims",
            "H4 high",
            "H4 medium",
            "H3 No owner",
            "H4 low",
            "H2 Ana Ruiz",
            "H3 Goals",
            "H3 Frustrations",
            "H3 Needs",
            "H3 Motivations",
        ]
    );
    // Real text in reading order, the contents as a table of contents.
    in_order(
        &tree,
        &[
            "TOC",
            "TOCI",
            "\"Headline figures\"",
            "Table",
            "/Scope /Row",
            "\"critical\"",
            "Figure",
            "Table",
            "/Scope /Column",
            "\"Stages\"",
            "/Scope /Row",
            "\"First call",
            "TD",
            "\"20 %\"",
            "Pain points, ranked",
            "/ListNumbering /Decimal",
            "LI",
            "Lbl",
            "\"1.\"",
            "LBody",
            "\"Nobody calls back after the first report\"",
            "BlockQuote",
            "\"I just want someone to tell me what happens next.\"",
            "L (block)",
            "\"Get the kitchen dry and repaired\"",
        ],
    );
    // Every row of a table has as many cells as its header.
    let mut rows = Vec::new();
    for line in tree.lines() {
        match line.trim() {
            "TR" => rows.push(0),
            cell if cell.starts_with("TH") || cell == "TD" => {
                *rows.last_mut().expect("a cell in a row") += 1;
            }
            _ => {}
        }
    }
    assert!(rows.contains(&6) && rows.contains(&5), "{rows:?}");
    // Footers and page numbers are artifacts: not in the structure.
    assert!(!tree.contains("Page 1 of"), "the footer is an artifact");

    // Each figure has an alternative text: the diagram's own description.
    let alts = figure_alts(&bytes);
    assert_eq!(alts.len(), tree.matches("Figure").count(), "{alts:?}");
    assert!(alts.iter().all(|a| !a.trim().is_empty()), "{alts:?}");
    assert!(
        alts.iter().any(|a| a.starts_with(
            "Journey map of “Reporting a burst pipe”: 2 stages (First call, Claim number)"
        )),
        "{alts:?}"
    );
    assert!(
        alts.iter()
            .any(|a| a.starts_with("Funnel of “Reporting a burst pipe”")),
        "{alts:?}"
    );
    assert!(
        alts.iter().any(|a| a.contains("Ana Ruiz")),
        "the empathy map: {alts:?}"
    );
    // A map printed over several pages: the first part describes it, the others say
    // which part they are.
    assert!(
        alts.iter()
            .any(|a| a == "Welcoming a new policyholder (2/3)"),
        "{alts:?}"
    );
}

#[test]
fn a_character_no_font_draws_still_gives_a_tagged_pdf() {
    let mut report = gather(&common::fixture(SITE));
    // An Egyptian hieroglyph: no font the report may use draws it, and PDF/UA-1
    // forbids the glyph that stands in for it.
    report.pains[0].text = "Nobody calls back 𓀀".into();
    let bytes = report::pdf::write(&report).expect("the report is still written");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    assert!(String::from_utf8_lossy(&info.stdout).contains("Tagged:          yes"));
    let raw = String::from_utf8_lossy(&bytes);
    assert!(
        !raw.contains("pdfuaid:part"),
        "no PDF/UA-1 claim it does not meet"
    );
    assert!(structure(&path).contains("H2 \"Pain points, ranked\""));
}
