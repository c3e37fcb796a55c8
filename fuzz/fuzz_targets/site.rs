//! The whole pipeline on a one-file site: the input is a journey, or a `cxmap.toml` and a
//! journey separated by a line `---8<---`. Both are written into a scratch folder and
//! rendered into memory with `cxmap::render` (reading, checking, every page, search,
//! data files); nothing may panic, and a site without errors has pages.
#![no_main]

use std::fs;
use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

const CUT: &[u8] = b"\n---8<---\n";
const CONFIG: &[u8] = b"title = \"Fuzz\"\n";

/// A site folder of this process, outside any git repository.
static ROOT: LazyLock<PathBuf> = LazyLock::new(|| {
    let root = std::env::temp_dir().join(format!("cxmap-fuzz-build-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(root.join("journeys")).expect("a scratch folder");
    root
});

fuzz_target!(|data: &[u8]| {
    let (config, journey) = match data.windows(CUT.len()).position(|w| w == CUT) {
        Some(at) => (&data[..at], &data[at + CUT.len()..]),
        None => (CONFIG, data),
    };
    let root = &*ROOT;
    fs::write(root.join("cxmap.toml"), config).expect("write cxmap.toml");
    fs::write(root.join("journeys/fuzz.md"), journey).expect("write the journey");
    match cxmap::render(root) {
        Ok(outcome) => {
            let _ = outcome.diagnostics.render(false);
            if !outcome.diagnostics.has_errors() {
                assert!(
                    outcome.files.iter().any(|f| f.path.ends_with("index.html")),
                    "a site without errors has a home page"
                );
            }
        }
        // A system failure (a theme the config names but the site lacks…) is an answer.
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
