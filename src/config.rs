//! `cxmap.toml`: the site configuration (SPEC §2).
//!
//! Read with the same spanned reader as frontmatter, so an unknown key gets its line and
//! a "did you mean".

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::parse::fields::{Ctx, Fields};
use crate::parse::node;

/// The name of the configuration file; its presence marks a site root.
pub const FILE_NAME: &str = "cxmap.toml";

/// The site configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// One-line description.
    pub description: Option<String>,
    /// Absolute URL the site is published at; only for sitemap, canonical and og: URLs.
    pub base_url: Option<String>,
    /// Default language.
    pub language: String,
    /// More languages.
    pub languages: Vec<String>,
    /// Theme name.
    pub theme: String,
    /// Default stage model for journeys.
    pub model: Option<String>,
    /// Keep raw HTML in Markdown bodies unsanitized.
    pub unsafe_html: bool,
    /// A map whose last review is this many days older than the newest date in the
    /// content is flagged as due for review.
    pub stale_after_days: u32,
    /// The channel registry, by key.
    pub channels: BTreeMap<String, Channel>,
    /// Custom data.
    pub extra: serde_json::Value,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "CX Atlas".into(),
            description: None,
            base_url: None,
            language: "en".into(),
            languages: Vec::new(),
            theme: "default".into(),
            model: None,
            unsafe_html: false,
            stale_after_days: 180,
            channels: BTreeMap::new(),
            extra: serde_json::Value::Null,
        }
    }
}

/// A channel of the registry.
#[derive(Debug, Clone, Serialize)]
pub struct Channel {
    /// The key in `[channels.<key>]`.
    pub key: String,
    /// Display label.
    pub label: String,
    /// Colour as `#rrggbb`.
    pub colour: Option<String>,
    /// A short icon text (an emoji or a letter).
    pub icon: Option<String>,
}

impl Config {
    /// Every language of the site, the default (`language`) first.
    pub fn all_languages(&self) -> Vec<String> {
        let mut all = vec![self.language.clone()];
        all.extend(
            self.languages
                .iter()
                .filter(|l| **l != self.language)
                .cloned(),
        );
        all
    }

    /// Reads the text of `cxmap.toml`; its problems go into `diagnostics`.
    pub fn read(text: &str, diagnostics: &mut crate::diag::Diagnostics) -> Config {
        let mut problems = Vec::new();
        let config = Config::parse(text, Path::new(FILE_NAME), &mut problems);
        for p in problems {
            diagnostics.push(p);
        }
        config
    }

    /// Parses `cxmap.toml` text; problems go to `diags`, and a usable config comes back
    /// whatever happens.
    pub fn parse(text: &str, file: &Path, diags: &mut Vec<Diagnostic>) -> Config {
        let ctx = Ctx::new(file);
        let (root, errors) = node::from_toml(text, 0);
        for e in errors {
            ctx.error(e.span, e.message).label("invalid TOML");
        }
        let mut config = Config::default();
        if let Some(mut f) = Fields::new(&ctx, &root, "site configuration") {
            if let Some(t) = f.required_str("title") {
                config.title = t.value;
            }
            config.description = f.text("description");
            config.base_url = f.str("base_url").and_then(|u| match base_url(&u.value) {
                Ok(url) => Some(url),
                Err(problem) => {
                    ctx.error(u.span, format!("`base_url` {problem}"))
                        .label("expected an absolute http(s) URL with a host")
                        .help("for example base_url = \"https://intranet.example.com/cx/\"");
                    None
                }
            });
            if let Some(lang) = f.str("language") {
                if is_language_code(&lang.value) {
                    config.language = lang.value.to_lowercase();
                } else {
                    ctx.error(lang.span, "`language` is not a language code")
                        .label("expected a code like \"en\", \"es\" or \"pt-BR\"");
                }
            }
            for lang in f.str_list("languages") {
                if is_language_code(&lang.value) {
                    let code = lang.value.to_lowercase();
                    if code != config.language && !config.languages.contains(&code) {
                        config.languages.push(code);
                    }
                } else {
                    ctx.error(
                        lang.span,
                        format!("`{}` is not a language code", lang.value),
                    )
                    .label("expected a code like \"en\", \"es\" or \"pt-BR\"");
                }
            }
            if let Some(theme) = f.str("theme") {
                config.theme = theme.value;
            }
            if let Some(model) = f.str("model") {
                if crate::stage_models::find(&model.value).is_some() {
                    config.model = Some(model.value);
                } else {
                    ctx.error(model.span, format!("unknown stage model `{}`", model.value))
                        .label("not a built-in stage model")
                        .did_you_mean(&model.value, crate::stage_models::ids());
                }
            }
            config.unsafe_html = f.bool("unsafe_html").unwrap_or(false);
            if let Some(days) = f.int("stale_after_days") {
                match u32::try_from(days.value) {
                    Ok(d) if d > 0 => config.stale_after_days = d,
                    _ => {
                        ctx.error(
                            days.span,
                            format!("`stale_after_days` {} is out of range", days.value),
                        )
                        .label("expected a number of days, at least 1, e.g. 180");
                    }
                }
            }
            if let Some(channels) = f.table("channels", "channel registry") {
                config.channels = read_channels(channels);
            }
            config.extra = f.extra();
            f.finish();
        }
        diags.extend(ctx.into_diagnostics());
        config
    }

    /// The channel's label, falling back to the text as written.
    pub fn channel_label<'a>(&'a self, channel: &'a str) -> &'a str {
        self.channels
            .get(channel)
            .map_or(channel, |c| c.label.as_str())
    }
}

fn read_channels(mut table: Fields<'_>) -> BTreeMap<String, Channel> {
    let ctx = table.ctx();
    let mut out = BTreeMap::new();
    let keys: Vec<String> = table.keys().map(str::to_string).collect();
    for key in keys {
        let Some(node) = table.node_dynamic(&key) else {
            continue;
        };
        let Some(mut f) = Fields::new(ctx, node, "channel") else {
            continue;
        };
        let label = f.text("label").unwrap_or_else(|| key.clone());
        let mut colour = None;
        for name in ["colour", "color"] {
            if let Some(c) = f.str(name) {
                if is_hex_colour(&c.value) {
                    colour = Some(c.value.to_lowercase());
                } else {
                    ctx.error(c.span, format!("`{name}` is not a colour"))
                        .label("expected a hex colour like \"#2b6cb0\"");
                }
            }
        }
        let icon = f.text("icon");
        f.finish();
        out.insert(
            key.clone(),
            Channel {
                key,
                label,
                colour,
                icon,
            },
        );
    }
    out
}

/// `#rgb` or `#rrggbb`.
pub fn is_hex_colour(text: &str) -> bool {
    let Some(hex) = text.strip_prefix('#') else {
        return false;
    };
    matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// `base_url` checked and ending in `/`, or what is wrong with it. It is written into
/// every page (`<link rel="canonical">`, the sitemap), so it must be a URL a browser
/// reads as one: http or https, a host, and none of the characters that could end an
/// attribute or start markup.
fn base_url(text: &str) -> Result<String, String> {
    if let Some(c) = text
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(*c))
    {
        let what = if c.is_whitespace() {
            "white space".to_string()
        } else {
            format!("`{c}`")
        };
        return Err(format!("must not contain {what}"));
    }
    let url = url::Url::parse(text).map_err(|e| match e {
        url::ParseError::EmptyHost => "has no host".to_string(),
        e => format!("is not a URL ({e})"),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "must start with http:// or https://, not {}:",
            url.scheme()
        ));
    }
    // The URL parser reads `http:///cx` and `https:cx` as the host `cx`; a browser
    // given them in a page would not, so the host must follow `//` as written.
    let host_written = text
        .split_once("://")
        .is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'));
    if !host_written || url.host_str().is_none_or(str::is_empty) {
        return Err("has no host".to_string());
    }
    let mut url = text.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// A BCP 47-looking language tag: letters, then `-` and letters or digits.
pub fn is_language_code(text: &str) -> bool {
    let mut parts = text.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let text = r##"
title = "Acme CX Atlas"
description = "How our customers experience Acme"
base_url = "https://intranet.example.com/cx"
language = "en"
languages = ["en", "es"]
theme = "default"
model = "five-stage"
unsafe_html = true

[channels.web]
label = "Website"
colour = "#2B6CB0"
icon = "🌐"

[extra]
team = "CX"
"##;
        let mut diags = Vec::new();
        let c = Config::parse(text, Path::new("cxmap.toml"), &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            c.base_url.as_deref(),
            Some("https://intranet.example.com/cx/")
        );
        assert_eq!(c.languages, vec!["es".to_string()]);
        assert_eq!(c.channels["web"].colour.as_deref(), Some("#2b6cb0"));
        assert!(c.unsafe_html);
        assert_eq!(c.extra["team"], "CX");
    }

    #[test]
    fn base_url_must_be_an_http_url_with_a_host_and_no_markup() {
        let ok = [
            (
                "https://intranet.example.com/cx",
                "https://intranet.example.com/cx/",
            ),
            ("http://localhost:8080/", "http://localhost:8080/"),
            (
                "https://cx.example.org/a%20b/",
                "https://cx.example.org/a%20b/",
            ),
        ];
        for (text, url) in ok {
            assert_eq!(base_url(text).as_deref(), Ok(url), "{text}");
        }
        let refused = [
            ("https://", "has no host"),
            ("http:///cx", "has no host"),
            ("https://example.com/\">x", "must not contain `\"`"),
            ("https://example.com/<script>", "must not contain `<`"),
            ("https://example.com/a b", "must not contain white space"),
            ("https://example.com\\cx", "must not contain `\\`"),
            ("https:cx.example.com", "has no host"),
            (
                "ftp://example.com/",
                "must start with http:// or https://, not ftp:",
            ),
            (
                "example.com/cx",
                "is not a URL (relative URL without a base)",
            ),
        ];
        for (text, problem) in refused {
            assert_eq!(base_url(text), Err(problem.to_string()), "{text}");
        }
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        let text = "title = \"x\"\ntheem = \"default\"\nmodel = \"five-stages\"\n[channels.web]\ncolour = \"blue\"\n";
        let mut diags = Vec::new();
        Config::parse(text, Path::new("cxmap.toml"), &mut diags);
        let msgs: Vec<_> = diags.iter().map(|d| d.message.as_str()).collect();
        assert!(
            msgs.contains(&"unknown key `theem` in a site configuration"),
            "{msgs:?}"
        );
        assert!(msgs.contains(&"unknown stage model `five-stages`"));
        assert!(msgs.contains(&"`colour` is not a colour"));
        assert!(
            diags
                .iter()
                .any(|d| d.help.as_deref() == Some("did you mean `theme`?"))
        );
    }
}
