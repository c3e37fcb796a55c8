//! Every example site builds without warnings, and its HTML and SVG pass the W3C Nu
//! validator (`scripts/setup` installs it; this test fails when it is missing).

mod common;

use std::path::Path;
use std::process::Command;

#[test]
fn examples_build_cleanly_and_validate() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let mut outs = Vec::new();
    for entry in std::fs::read_dir(manifest.join("examples")).unwrap() {
        let site = entry.unwrap().path();
        if !site.join("cxmap.toml").is_file() {
            continue;
        }
        let name = site.file_name().unwrap().to_string_lossy().into_owned();
        let out = dir.path().join(&name);
        let outcome = cxmap::build(&site, Some(&out)).unwrap();
        assert!(
            outcome.diagnostics.all().is_empty(),
            "{name}:\n{}",
            outcome.diagnostics.render(false)
        );
        assert!(out.join("index.html").is_file());
        outs.push(out);
    }
    assert!(outs.len() >= 2, "expected at least two example sites");
    let status = Command::new(manifest.join("scripts/validate-html"))
        .args(&outs)
        .status()
        .expect("scripts/validate-html runs (install with scripts/setup)");
    assert!(
        status.success(),
        "the Nu validator found errors in the examples"
    );
}
