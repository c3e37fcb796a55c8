//! `cxmap theme eject`: a built-in theme copied into the site to be changed freely.
//!
//! In: the site root, the built-in theme to copy and the new theme's name. Out: the
//! files of `themes/<name>/` (templates, static files and the built-in strings of every
//! language), written through [`write::file`], never over an existing file. A command
//! on top of the pipeline: it takes the embedded theme from [`crate::render::theme`]
//! and the strings from [`crate::i18n`]; nothing below imports it.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::render::theme;
use crate::write;

/// Copies a built-in theme (`from`) into `themes/<name>/` of the site, file by file, to
/// be changed freely; `theme = "<name>"` in `cxmap.toml` then uses it. Writes nothing
/// when any of its files exists already.
pub fn run(root: &Path, from: &str, name: &str) -> Result<Vec<PathBuf>> {
    let Some((_, layer)) = theme::BUILTIN_THEMES.iter().find(|(n, _)| *n == from) else {
        return Err(Error::Theme {
            name: from.to_string(),
            message: format!(
                "not a built-in theme (built in: {})",
                theme::BUILTIN.join(", ")
            ),
        });
    };
    if crate::slug::slugify(name) != name || theme::BUILTIN.contains(&name) {
        return Err(Error::InvalidName {
            name: name.to_string(),
        });
    }
    let strings: Vec<(String, &[u8])> = crate::i18n::BUILTIN
        .iter()
        .map(|(lang, text)| (format!("i18n/{lang}.toml"), text.as_bytes()))
        .collect();
    let mut files: Vec<(&str, &[u8])> = theme::DEFAULT.to_vec();
    files.extend(strings.iter().map(|(p, b)| (p.as_str(), *b)));
    for (path, bytes) in *layer {
        match files.iter_mut().find(|(p, _)| p == path) {
            Some(slot) => slot.1 = bytes,
            None => files.push((path, bytes)),
        }
    }
    let dir = root.join("themes").join(name);
    // Every file is checked first: a refusal leaves the site as it was.
    for (path, _) in &files {
        write::check(root, &dir.join(path), write::Replace::Never)?;
    }
    files
        .into_iter()
        .map(|(path, bytes)| {
            let target = dir.join(path);
            write::file(root, &target, bytes, write::Replace::Never).map(|()| target)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::diag::Diagnostics;
    use crate::load::Sources;

    #[test]
    fn eject_copies_every_file_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let written = run(dir.path(), "workshop", "ours").unwrap();
        assert_eq!(
            written.len(),
            theme::DEFAULT.len() + crate::i18n::BUILTIN.len()
        );
        let css = std::fs::read(dir.path().join("themes/ours/static/theme.css")).unwrap();
        assert_eq!(css, theme::WORKSHOP[0].1);
        assert!(matches!(
            run(dir.path(), "default", "ours"),
            Err(Error::Exists { .. })
        ));
        assert!(matches!(
            run(dir.path(), "nope", "x"),
            Err(Error::Theme { .. })
        ));
        assert!(matches!(
            run(dir.path(), "default", "../x"),
            Err(Error::InvalidName { .. })
        ));
        // The ejected theme builds.
        let sources = Sources {
            root: dir.path().to_path_buf(),
            theme: crate::load::theme(dir.path(), "ours").unwrap(),
            ..Sources::default()
        };
        let config = Config {
            theme: "ours".into(),
            ..Config::default()
        };
        let t = theme::load(&sources, &config, &mut Diagnostics::new()).unwrap();
        assert!(t.tera.get_template_names().any(|n| n == "journey.html"));
    }
}
