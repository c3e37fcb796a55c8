//! The `cxmap` binary as a user runs it: exit codes, init → build, new, check.

mod common;

use std::process::Command;

fn cxmap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cxmap"))
}

#[test]
fn init_then_build_then_check() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my-site");
    let out = cxmap().arg("init").arg(&site).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = cxmap().arg("build").arg(&site).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.join("public/journeys/sign-up/index.html").is_file());
    assert!(site.join("public/journeys/sign-up/map.svg").is_file());
    assert!(site.join("public/personas/alex/index.html").is_file());
    let out = cxmap().arg("check").arg(&site).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    // Not a terminal: a successful build prints nothing.
    let out = cxmap().arg("build").arg(&site).output().unwrap();
    assert!(out.stderr.is_empty() && out.stdout.is_empty());
    // init refuses to overwrite.
    let out = cxmap().arg("init").arg(&site).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn new_journey_and_persona_inside_a_site() {
    let dir = tempfile::tempdir().unwrap();
    cxmap().arg("init").arg(dir.path()).output().unwrap();
    let out = cxmap()
        .args(["new", "journey", "retail/Returning an item"])
        .current_dir(dir.path().join("journeys"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        dir.path()
            .join("journeys/retail/returning-an-item.md")
            .is_file()
    );
    let out = cxmap()
        .args(["new", "persona", "Jordi Puig"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(dir.path().join("personas/jordi-puig.md").is_file());
    let out = cxmap().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn exit_codes() {
    let bad = common::fixture("diagnostics/unknown-persona");
    let out = cxmap().arg("check").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("journeys/a.md:3:13"), "{stderr}");
    assert!(stderr.contains("did you mean `maria`?"), "{stderr}");

    let out = cxmap()
        .arg("build")
        .arg(&bad)
        .arg("-o")
        .arg(tempfile::tempdir().unwrap().path().join("o"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));

    let out = cxmap().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let empty = tempfile::tempdir().unwrap();
    let out = cxmap().arg("build").arg(empty.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let site = common::fixture("basic");
    let out = cxmap()
        .arg("build")
        .arg(&site)
        .arg("-o")
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "refuses to write over the site");
}

#[test]
fn every_command_has_help() {
    for cmd in ["init", "build", "check", "new"] {
        let out = cxmap().args([cmd, "--help"]).output().unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
    }
}

#[test]
fn usage_mistakes_exit_2_and_keep_user_files() {
    let dir = tempfile::tempdir().unwrap();
    cxmap().arg("init").arg(dir.path()).output().unwrap();
    for name in ["!!!", "../x"] {
        let out = cxmap()
            .args(["new", "journey", name])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
    }
    let out = cxmap()
        .arg("check")
        .arg(dir.path().join("missing"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // An output folder with someone's files in it is never wiped.
    let theirs = tempfile::tempdir().unwrap();
    std::fs::write(theirs.path().join("thesis.txt"), "mine").unwrap();
    let out = cxmap()
        .arg("build")
        .arg(dir.path())
        .arg("-o")
        .arg(theirs.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(theirs.path().join("thesis.txt").is_file());
    // init into a folder that already has a .gitignore keeps it.
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(repo.path().join(".gitignore"), "target\n").unwrap();
    let out = cxmap().arg("init").arg(repo.path()).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".gitignore")).unwrap(),
        "target\n"
    );
}

#[test]
fn check_fails_on_a_missing_theme() {
    let dir = tempfile::tempdir().unwrap();
    cxmap().arg("init").arg(dir.path()).output().unwrap();
    let config = std::fs::read_to_string(dir.path().join("cxmap.toml")).unwrap();
    std::fs::write(
        dir.path().join("cxmap.toml"),
        config.replace("theme = \"default\"", "theme = \"nordwind\""),
    )
    .unwrap();
    let out = cxmap().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("theme `nordwind`"));
}

// ---------------------------------------------------------------------------------------
// Nothing is written through a symbolic link

/// A new site in a temporary folder, and a folder outside it holding `secret.md`.
fn site_and_elsewhere() -> (tempfile::TempDir, tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let init = cxmap().arg("init").arg(dir.path()).output().unwrap();
    assert!(init.status.success());
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("secret.md");
    std::fs::write(&secret, "mine").unwrap();
    (dir, elsewhere, secret)
}

/// Asserts that `out` is a refusal naming a symbolic link, and that `secret` and its
/// folder are as they were.
fn refused_as_a_link(out: &std::process::Output, secret: &std::path::Path) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is a symbolic link"), "{stderr}");
    assert_eq!(std::fs::read_to_string(secret).unwrap(), "mine");
    let folder = secret.parent().unwrap();
    assert_eq!(std::fs::read_dir(folder).unwrap().count(), 1, "{stderr}");
}

#[test]
fn init_force_does_not_write_through_a_symlink() {
    let (dir, _elsewhere, secret) = site_and_elsewhere();
    let config = dir.path().join("cxmap.toml");
    std::fs::remove_file(&config).unwrap();
    std::os::unix::fs::symlink(&secret, &config).unwrap();
    let out = cxmap()
        .args(["init", "--force"])
        .arg(dir.path())
        .output()
        .unwrap();
    refused_as_a_link(&out, &secret);
}

#[test]
fn new_force_does_not_write_through_a_symlink() {
    let (dir, elsewhere, secret) = site_and_elsewhere();
    let link = dir.path().join("journeys/linked.md");
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    let new = |name: &str| {
        cxmap()
            .args(["new", "journey", name, "--force", "--root"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    refused_as_a_link(&new("linked"), &secret);
    // A linked folder inside the site.
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("journeys/away")).unwrap();
    refused_as_a_link(&new("away/trip"), &secret);
}

#[test]
fn import_force_does_not_write_through_a_symlink() {
    let (dir, elsewhere, secret) = site_and_elsewhere();
    let mmd = dir.path().join("day.mmd");
    std::fs::write(&mmd, "journey\nsection A\nTea: 5: Me\n").unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("journeys/day.md")).unwrap();
    let import = |output: &str| {
        cxmap()
            .args(["import", "mermaid", "--force", "--root"])
            .arg(dir.path())
            .arg(&mmd)
            .arg("-o")
            .arg(dir.path().join(output))
            .output()
            .unwrap()
    };
    refused_as_a_link(&import("journeys/day.md"), &secret);
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("journeys/away")).unwrap();
    refused_as_a_link(&import("journeys/away/day.md"), &secret);
    assert!(!dir.path().join("personas/me.md").exists());
}

#[test]
fn import_refuses_a_hidden_output_name() {
    let (dir, _elsewhere, _secret) = site_and_elsewhere();
    let mmd = dir.path().join("day.mmd");
    std::fs::write(&mmd, "journey\nsection A\nTea: 5: Me\n").unwrap();
    for output in ["journeys/.day.md", "journeys/.drafts/day.md"] {
        let out = cxmap()
            .args(["import", "mermaid", "--color", "never", "--root"])
            .arg(dir.path())
            .arg(&mmd)
            .arg("-o")
            .arg(dir.path().join(output))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("hidden name"), "{stderr}");
        assert!(!dir.path().join(output).exists());
    }
}

#[test]
fn theme_eject_does_not_write_through_a_symlink() {
    let (dir, elsewhere, secret) = site_and_elsewhere();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("themes")).unwrap();
    let out = cxmap()
        .args(["theme", "eject", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    refused_as_a_link(&out, &secret);
}

#[test]
fn init_gitignore_keeps_exports_and_reports_out_of_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    assert!(cxmap().arg("init").arg(&site).status().unwrap().success());
    let ignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    for line in ["/public/", "/exports/", "/report.pdf", "/report.html"] {
        assert!(
            ignore.lines().any(|l| l == line),
            "{line} missing: {ignore}"
        );
    }
}

#[test]
fn serve_names_the_site_it_was_started_in() {
    // Started inside the site folder, it said "serving  at http://…" with no name.
    let dir = tempfile::tempdir().unwrap();
    assert!(
        cxmap()
            .arg("init")
            .arg(dir.path())
            .status()
            .unwrap()
            .success()
    );
    let mut child = cxmap()
        .args(["serve", "--port", "0"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let stdout = child.stdout.take().unwrap();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.starts_with("serving . at http://127.0.0.1:"), "{line}");
}
