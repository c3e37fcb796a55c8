//! One fixture site per error kind under `tests/fixtures/diagnostics/`; the rendered
//! diagnostics of each are snapshotted, caret and all.

mod common;

use std::path::Path;

fn rendered(case: &str) -> (String, usize) {
    let root = common::fixture("diagnostics").join(case);
    let outcome = cxmap::check(&root).expect("check runs");
    (
        outcome.diagnostics.render(false),
        outcome.diagnostics.error_count(),
    )
}

macro_rules! case {
    ($name:ident, $dir:literal, errors: $errors:expr) => {
        #[test]
        fn $name() {
            let (text, errors) = rendered($dir);
            assert_eq!(errors, $errors, "{text}");
            insta::assert_snapshot!($dir, text);
        }
    };
}

case!(config_unknown_key, "config-unknown-key", errors: 1);
case!(unknown_key, "unknown-key", errors: 1);
case!(wrong_type, "wrong-type", errors: 2);
case!(missing_title, "missing-title", errors: 1);
case!(emotion_out_of_range, "emotion-out-of-range", errors: 2);
case!(unknown_persona, "unknown-persona", errors: 1);
case!(unknown_baseline, "unknown-baseline", errors: 1);
case!(duplicate_stage, "duplicate-stage", errors: 1);
case!(unknown_model_stage, "unknown-model-stage", errors: 1);
case!(unknown_state, "unknown-state", errors: 1);
case!(unknown_severity, "unknown-severity", errors: 1);
case!(dropoff_out_of_range, "dropoff-out-of-range", errors: 1);
case!(unterminated_frontmatter, "unterminated-frontmatter", errors: 1);
case!(unknown_language, "unknown-language", errors: 1);
case!(duplicate_translation, "duplicate-translation", errors: 1);
case!(strings_file, "strings-file", errors: 0);
case!(reserved_language_page, "reserved-language-page", errors: 1);
case!(missing_frontmatter, "missing-frontmatter", errors: 1);
case!(invalid_toml, "invalid-toml", errors: 2);
case!(invalid_yaml, "invalid-yaml", errors: 1);
case!(empty_file, "empty-file", errors: 1);
case!(duplicate_slug, "duplicate-slug", errors: 1);
case!(empty_stage_is_a_warning, "empty-stage", errors: 0);
case!(bad_evidence_link, "bad-evidence-link", errors: 1);
case!(reserved_page, "reserved-page", errors: 1);
case!(invalid_utf8, "invalid-utf8", errors: 1);
case!(binary_file, "binary-file", errors: 1);
case!(missing_avatar_is_a_warning, "missing-avatar", errors: 0);
case!(emotion_huge_float, "emotion-huge-float", errors: 1);
case!(emotion_whole_float, "emotion-whole-float", errors: 1);
case!(reviewed_february_30, "reviewed-february-30", errors: 3);
case!(base_url_no_host, "base-url-no-host", errors: 1);
case!(base_url_markup, "base-url-markup", errors: 1);
case!(yaml_billion_laughs, "yaml-billion-laughs", errors: 1);

/// A 384-byte frontmatter of nine nested anchors grew `cxmap check` to 21.6 GB before
/// the kernel killed it; now it is one located error, and the other files are checked.
#[test]
fn check_on_a_yaml_alias_bomb_finishes_fast() {
    let root = common::fixture("diagnostics").join("yaml-billion-laughs");
    let start = std::time::Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cxmap"))
        .arg("check")
        .current_dir(&root)
        .output()
        .unwrap();
    let took = start.elapsed();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(took < std::time::Duration::from_secs(2), "took {took:?}");
    assert!(!out.status.success());
    assert!(text.contains("journeys/bomb.md:"), "{text}");
    assert!(text.contains("more than"), "{text}");
}

#[test]
fn every_fixture_has_a_case() {
    let dir = common::fixture("diagnostics");
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics.rs"))
            .unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            source.contains(&format!("\"{name}\"")),
            "fixture `{name}` has no test case"
        );
    }
}

#[test]
fn every_error_of_every_file_in_one_run() {
    // A site with problems in several files reports all of them, not the first.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for case in ["unknown-key", "unknown-persona", "emotion-out-of-range"] {
        common::copy_dir(&common::fixture("diagnostics").join(case), root);
        std::fs::rename(
            root.join("journeys/a.md"),
            root.join(format!("journeys/{case}.md")),
        )
        .unwrap();
    }
    let outcome = cxmap::check(root).unwrap();
    assert_eq!(
        outcome.diagnostics.error_count(),
        4,
        "{}",
        outcome.diagnostics.render(false)
    );
}
