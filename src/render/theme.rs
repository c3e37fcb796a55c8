//! Themes: the built-in one embedded in the binary, a local `themes/<name>/`, and the
//! site's own `templates/`, looked up in that order of precedence (site first).
//!
//! Every built-in template is also registered as `builtin/<name>`, so an override can
//! `{% extends "builtin/journey.html" %}` and change one block. Nothing here reads or
//! writes a file: a local theme comes in as [`crate::load::ThemeFiles`] (in
//! [`Sources`]), and `cxmap theme eject` is [`crate::eject`].

use crate::config::Config;
use crate::diag::Diagnostics;
use crate::error::{Error, Result};
use crate::i18n::Strings;
use crate::load::Sources;

/// The built-in default theme, file by file (kept in sync with `themes/default/` by a
/// test).
pub const DEFAULT: &[(&str, &[u8])] = &[
    (
        "static/favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "static/fonts/Inter-Regular.otf",
        include_bytes!("../../themes/default/static/fonts/Inter-Regular.otf"),
    ),
    (
        "static/fonts/Inter-SemiBold.otf",
        include_bytes!("../../themes/default/static/fonts/Inter-SemiBold.otf"),
    ),
    (
        "static/fonts/OFL.txt",
        include_bytes!("../../themes/default/static/fonts/OFL.txt"),
    ),
    (
        "static/js/elasticlunr.LICENSE.txt",
        include_bytes!("../../themes/default/static/js/elasticlunr.LICENSE.txt"),
    ),
    (
        "static/js/elasticlunr.min.js",
        include_bytes!("../../themes/default/static/js/elasticlunr.min.js"),
    ),
    (
        "static/js/search.js",
        include_bytes!("../../themes/default/static/js/search.js"),
    ),
    (
        "static/js/tables.js",
        include_bytes!("../../themes/default/static/js/tables.js"),
    ),
    (
        "static/js/theme.js",
        include_bytes!("../../themes/default/static/js/theme.js"),
    ),
    (
        "static/style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "static/theme.css",
        include_bytes!("../../themes/default/static/theme.css"),
    ),
    (
        "templates/404.html",
        include_bytes!("../../themes/default/templates/404.html"),
    ),
    (
        "templates/base.html",
        include_bytes!("../../themes/default/templates/base.html"),
    ),
    (
        "templates/changes.html",
        include_bytes!("../../themes/default/templates/changes.html"),
    ),
    (
        "templates/channel.html",
        include_bytes!("../../themes/default/templates/channel.html"),
    ),
    (
        "templates/channels.html",
        include_bytes!("../../themes/default/templates/channels.html"),
    ),
    (
        "templates/index.html",
        include_bytes!("../../themes/default/templates/index.html"),
    ),
    (
        "templates/journey.html",
        include_bytes!("../../themes/default/templates/journey.html"),
    ),
    (
        "templates/journeys.html",
        include_bytes!("../../themes/default/templates/journeys.html"),
    ),
    (
        "templates/opportunities.html",
        include_bytes!("../../themes/default/templates/opportunities.html"),
    ),
    (
        "templates/page.html",
        include_bytes!("../../themes/default/templates/page.html"),
    ),
    (
        "templates/pains.html",
        include_bytes!("../../themes/default/templates/pains.html"),
    ),
    (
        "templates/partials/history.html",
        include_bytes!("../../themes/default/templates/partials/history.html"),
    ),
    (
        "templates/partials/journey-card.html",
        include_bytes!("../../themes/default/templates/partials/journey-card.html"),
    ),
    (
        "templates/persona.html",
        include_bytes!("../../themes/default/templates/persona.html"),
    ),
    (
        "templates/personas.html",
        include_bytes!("../../themes/default/templates/personas.html"),
    ),
    (
        "templates/search.html",
        include_bytes!("../../themes/default/templates/search.html"),
    ),
    (
        "templates/sitemap.xml",
        include_bytes!("../../themes/default/templates/sitemap.xml"),
    ),
    (
        "templates/tag.html",
        include_bytes!("../../themes/default/templates/tag.html"),
    ),
    (
        "templates/tags.html",
        include_bytes!("../../themes/default/templates/tags.html"),
    ),
];

/// A theme's files as (path in the theme folder, contents).
pub type Files = &'static [(&'static str, &'static [u8])];

/// The built-in workshop theme: what it changes on top of the default theme.
pub const WORKSHOP: Files = &[(
    "static/theme.css",
    include_bytes!("../../themes/workshop/static/theme.css"),
)];

/// The built-in themes, each as the files it lays over the default theme.
pub const BUILTIN_THEMES: &[(&str, Files)] = &[("default", &[]), ("workshop", WORKSHOP)];

/// Names of the built-in themes (`load` needs them too: a built-in name is never read
/// from the site's `themes/`).
pub const BUILTIN: &[&str] = crate::load::BUILTIN_THEMES;

/// A theme ready to render: Tera with every template, the static files, and the
/// interface strings of the site's languages.
pub struct Theme {
    /// The templates.
    pub tera: tera::Tera,
    /// Static files as (output path under `assets/`, bytes).
    pub assets: Vec<(String, Vec<u8>)>,
    /// The words of every language of the site (built in, the theme's `i18n/`, the
    /// site's `i18n/`).
    pub strings: Strings,
}

/// Assembles the theme named in the config from the embedded built-in files, the local
/// theme's files and the site's template overrides and strings files, all as
/// [`crate::load`] read them (nothing is read here); problems with strings (missing or
/// unknown keys) and the local theme's own go to `diags`.
pub fn load(sources: &Sources, config: &Config, diags: &mut Diagnostics) -> Result<Theme> {
    let name = config.theme.as_str();
    let site_templates = &sources.templates;
    let mut strings_files = Vec::new();
    let mut templates: Vec<(String, String)> = Vec::new();
    let mut assets: Vec<(String, Vec<u8>)> = Vec::new();
    for (path, bytes) in DEFAULT {
        if let Some(t) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            templates.push((format!("builtin/{t}"), text.clone()));
            templates.push((t.to_string(), text));
        } else if let Some(s) = path.strip_prefix("static/") {
            assets.push((s.to_string(), bytes.to_vec()));
        }
    }
    let builtin_layer = BUILTIN_THEMES.iter().find(|(n, _)| *n == name);
    if let Some((_, layer)) = builtin_layer {
        for (path, bytes) in *layer {
            if let Some(t) = path.strip_prefix("templates/") {
                replace(
                    &mut templates,
                    t.to_string(),
                    String::from_utf8_lossy(bytes).into_owned(),
                );
            } else if let Some(s) = path.strip_prefix("static/") {
                match assets.iter_mut().find(|(p, _)| p == s) {
                    Some(slot) => slot.1 = bytes.to_vec(),
                    None => assets.push((s.to_string(), bytes.to_vec())),
                }
            }
        }
    } else {
        let local = &sources.theme;
        for p in &local.problems {
            diags.push(p.clone());
        }
        if local.name != name || !local.found {
            return Err(Error::Theme {
                name: name.to_string(),
                message: format!(
                    "no such theme: it is not built in ({}) and `themes/{name}/` is not a folder of the site (a symbolic link is not followed)",
                    BUILTIN.join(", ")
                ),
            });
        }
        for (rel, text) in &local.templates {
            replace(
                &mut templates,
                rel.clone(),
                String::from_utf8_lossy(text).into_owned(),
            );
        }
        for (rel, bytes) in &local.static_files {
            match assets.iter_mut().find(|(p, _)| p == rel) {
                Some(slot) => slot.1 = bytes.clone(),
                None => assets.push((rel.clone(), bytes.clone())),
            }
        }
        strings_files = local.strings.clone();
    }
    strings_files.extend(sources.strings.iter().cloned());
    let strings = Strings::load(&config.all_languages(), &strings_files, diags);
    for (name, text) in site_templates {
        replace(&mut templates, name.clone(), text.clone());
    }
    assets.sort();
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
    tera.set_escape_fn(crate::html::escape_write);
    tera.register_filter("date", crate::i18n::date_filter);
    tera.register_filter("fill", crate::i18n::fill_filter);
    tera.register_filter("fill_code", crate::i18n::fill_code_filter);
    tera.register_filter("num", crate::i18n::num_filter);
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| Error::Theme {
            name: name.to_string(),
            message: error_chain(&e),
        })?;
    Ok(Theme {
        tera,
        assets,
        strings,
    })
}

/// Tera's error and its causes on one line each.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str("\n  ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

fn replace(templates: &mut Vec<(String, String)>, name: String, text: String) {
    match templates.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = text,
        None => templates.push((name, text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn embedded_table_matches_the_theme_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = root.join("themes/default");
        let on_disk: Vec<String> =
            crate::load::tree(root, Path::new("themes/default"), &mut Diagnostics::new())
                .unwrap()
                .into_iter()
                .map(|(p, _)| p)
                .filter(|p| p != "theme.toml" && !p.starts_with("i18n/"))
                .collect();
        let embedded: Vec<String> = DEFAULT.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(
            embedded, on_disk,
            "update render::theme::DEFAULT to match themes/default/"
        );
        for (path, bytes) in DEFAULT {
            assert_eq!(&std::fs::read(dir.join(path)).unwrap(), bytes, "{path}");
        }
    }

    #[test]
    fn workshop_table_matches_its_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = root.join("themes/workshop");
        let on_disk: Vec<String> =
            crate::load::tree(root, Path::new("themes/workshop"), &mut Diagnostics::new())
                .unwrap()
                .into_iter()
                .map(|(p, _)| p)
                .collect();
        let embedded: Vec<String> = WORKSHOP.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(
            embedded, on_disk,
            "update render::theme::WORKSHOP to match themes/workshop/"
        );
        for (path, bytes) in WORKSHOP {
            assert_eq!(&std::fs::read(dir.join(path)).unwrap(), bytes, "{path}");
        }
    }
}
