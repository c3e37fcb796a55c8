//! Nothing lost: a build killed at any moment leaves the output folder holding one whole
//! build, the old one or the new one, never a mix and never nothing; the next build
//! clears what the killed one left behind. And `init`, `new` and `import` never
//! overwrite a file without `--force`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Every file under `dir`, by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn cxmap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cxmap"))
}

/// A site of `n` generated journeys (benches/gen_site.py), outside any git repository.
fn generated_site(dir: &Path, n: usize) -> std::path::PathBuf {
    let site = dir.join("site");
    let status = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_site.py"))
        .arg(&site)
        .args(["--journeys", &n.to_string(), "--personas", "8"])
        .status()
        .expect("python3 runs");
    assert!(status.success());
    site
}

#[test]
fn a_killed_build_leaves_the_old_output_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let site = generated_site(dir.path(), 80);
    let out = dir.path().join("public");

    let build = || {
        let status = cxmap()
            .args(["build", "-q", "-o"])
            .arg(&out)
            .arg(&site)
            .status()
            .unwrap();
        assert!(status.success());
    };
    build();
    let old = tree(&out);
    // Another version of the content (a new site title on every page), so the old and
    // the new output differ everywhere.
    let title = site.join("cxmap.toml");
    let config = std::fs::read_to_string(&title).unwrap();
    assert!(config.contains("title = \""));
    std::fs::write(&title, config.replacen("title = \"", "title = \"New ", 1)).unwrap();
    let started = Instant::now();
    build();
    let full = started.elapsed();
    let new = tree(&out);
    assert_ne!(old, new);
    // Back to the old content, whose output we know; then kill builds of the new one.
    std::fs::write(&title, &config).unwrap();
    build();
    assert_eq!(tree(&out), old);
    std::fs::write(&title, config.replacen("title = \"", "title = \"New ", 1)).unwrap();

    let mut seen_old = 0;
    let mut seen_new = 0;
    for step in 0..9 {
        let delay = full.mul_f64(f64::from(step) / 7.0);
        let mut child = cxmap()
            .args(["build", "-q", "-o"])
            .arg(&out)
            .arg(&site)
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&out);
        if now == old {
            seen_old += 1;
        } else if now == new {
            seen_new += 1;
            // Start the next round from the old output again.
            std::fs::write(&title, &config).unwrap();
            build();
            std::fs::write(&title, config.replacen("title = \"", "title = \"New ", 1)).unwrap();
        } else {
            panic!(
                "killed after {delay:?}: the output is neither the old build nor the new one ({} files)",
                now.len()
            );
        }
    }
    assert!(
        seen_old > 0,
        "no kill landed before the swap (full build {full:?})"
    );
    // A complete build afterwards leaves only the output beside the site.
    build();
    assert_eq!(tree(&out), new);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["public", "site"],
        "leftovers of killed builds are cleared"
    );
    eprintln!("full build {full:?}: {seen_old} kills left the old output, {seen_new} the new");
}

#[test]
fn an_output_moved_aside_by_a_killed_build_is_put_back() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    common::copy_dir(&common::fixture("basic"), &site);
    let out = dir.path().join("public");
    let ok = cxmap::build(&site, Some(&out)).unwrap();
    assert!(!ok.diagnostics.has_errors());
    let before = tree(&out);
    // What a build killed between moving the old output aside and moving the new one in
    // leaves behind (where folders cannot be exchanged in one step).
    std::fs::rename(&out, dir.path().join(".public.cxmap-old-999999")).unwrap();
    std::fs::create_dir(dir.path().join(".public.cxmap-new-999999")).unwrap();
    std::fs::write(dir.path().join(".public.cxmap-new-999999/half.html"), "<p>").unwrap();
    // The next build puts the old output back first, then swaps in the new one.
    let ok = cxmap::build(&site, Some(&out)).unwrap();
    assert!(!ok.diagnostics.has_errors());
    assert_eq!(tree(&out), before);
    assert!(!dir.path().join(".public.cxmap-old-999999").exists());
    assert!(!dir.path().join(".public.cxmap-new-999999").exists());
}

#[test]
fn init_new_and_import_overwrite_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let run = |args: &[&str]| {
        let out = cxmap().args(args).current_dir(dir.path()).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(run(&["init", "site"]).0, Some(0));
    let journey = root.join("journeys/returning-an-item.md");
    let (code, _) = run(&["new", "journey", "Returning an item", "--root", "site"]);
    assert_eq!(code, Some(0));
    std::fs::write(&journey, "my work").unwrap();
    std::fs::write(root.join("cxmap.toml"), "title = \"Mine\"\n").unwrap();

    // Without --force: nothing is overwritten, and the command says which file exists.
    let (code, err) = run(&["new", "journey", "Returning an item", "--root", "site"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&journey).unwrap(), "my work");
    let (code, err) = run(&["init", "site"]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(
        std::fs::read_to_string(root.join("cxmap.toml")).unwrap(),
        "title = \"Mine\"\n"
    );
    let mmd = dir.path().join("day.mmd");
    std::fs::write(
        &mmd,
        "journey\n  title Returning an item\n  section A\n    Task: 3: Me\n",
    )
    .unwrap();
    let (code, err) = run(&[
        "import",
        "mermaid",
        "day.mmd",
        "--root",
        "site",
        "-o",
        "site/journeys/returning-an-item.md",
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(std::fs::read_to_string(&journey).unwrap(), "my work");

    // With --force: the file is written again.
    let (code, err) = run(&[
        "new",
        "journey",
        "Returning an item",
        "--root",
        "site",
        "--force",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_ne!(std::fs::read_to_string(&journey).unwrap(), "my work");
    let (code, err) = run(&[
        "import",
        "mermaid",
        "day.mmd",
        "--root",
        "site",
        "-o",
        "site/journeys/returning-an-item.md",
        "--force",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(std::fs::read_to_string(&journey).unwrap().contains("Task"));
    let (code, err) = run(&["init", "site", "--force"]);
    assert_eq!(code, Some(0), "{err}");
    assert_ne!(
        std::fs::read_to_string(root.join("cxmap.toml")).unwrap(),
        "title = \"Mine\"\n"
    );
}
