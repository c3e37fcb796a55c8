//! Built-in themes and `cxmap theme eject`: every theme builds the example sites into
//! pages that pass the Nu validator.

mod common;

use std::path::Path;
use std::process::Command;

fn with_theme(example: &str, theme: &str, dir: &Path) -> std::path::PathBuf {
    let site = dir.join(example);
    common::copy_dir(&common::example(example), &site);
    let _ = std::fs::remove_dir_all(site.join("public"));
    let config = std::fs::read_to_string(site.join("cxmap.toml")).unwrap();
    let config = config
        .lines()
        .filter(|l| !l.starts_with("theme ="))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(
        site.join("cxmap.toml"),
        format!("theme = \"{theme}\"\n{config}\n"),
    )
    .unwrap();
    site
}

#[test]
fn the_workshop_theme_builds_valid_pages() {
    let dir = tempfile::tempdir().unwrap();
    let mut outs = Vec::new();
    for example in ["retail", "clinic"] {
        let site = with_theme(example, "workshop", dir.path());
        let out = dir.path().join(format!("{example}-out"));
        let outcome = cxmap::build(&site, Some(&out)).unwrap();
        assert!(
            outcome.diagnostics.all().is_empty(),
            "{}",
            outcome.diagnostics.render(false)
        );
        let theme_css = std::fs::read_to_string(out.join("assets/theme.css")).unwrap();
        assert!(
            theme_css.contains("workshop"),
            "the workshop layer is written"
        );
        outs.push(out);
    }
    let status = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/validate-html"))
        .args(&outs)
        .status()
        .expect("scripts/validate-html runs (install with scripts/setup)");
    assert!(status.success());
}

#[test]
fn eject_then_build_with_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    let site = with_theme("clinic", "default", dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_cxmap"))
        .args(["theme", "eject", "--from", "workshop", "--name", "harbour"])
        .current_dir(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.join("themes/harbour/templates/journey.html").is_file());
    assert!(
        site.join("themes/harbour/static/fonts/Inter-Regular.otf")
            .is_file()
    );
    // A second eject would overwrite: refused, exit 2.
    let again = Command::new(env!("CARGO_BIN_EXE_cxmap"))
        .args(["theme", "eject", "--name", "harbour"])
        .current_dir(&site)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    let site = with_theme_in_place(&site, "harbour");
    let built = cxmap::build(&site, Some(&dir.path().join("out"))).unwrap();
    assert!(!built.diagnostics.has_errors());
    let css = std::fs::read_to_string(dir.path().join("out/assets/theme.css")).unwrap();
    assert!(css.contains("workshop"));
}

fn with_theme_in_place(site: &Path, theme: &str) -> std::path::PathBuf {
    let config = std::fs::read_to_string(site.join("cxmap.toml")).unwrap();
    let config = config.replacen("theme = \"default\"", &format!("theme = \"{theme}\""), 1);
    std::fs::write(site.join("cxmap.toml"), config).unwrap();
    site.to_path_buf()
}
