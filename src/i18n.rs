//! Interface strings: every word the themes and diagrams print, per language.
//!
//! The built-in strings (`themes/default/i18n/<lang>.toml`, in en, es, ca and it) are
//! laid under a local theme's `i18n/<lang>.toml`, and both under the site's
//! `i18n/<lang>.toml`; a key none of them has for a language falls back to English, with
//! a warning. Templates read the result as `t` (`{{ t.nav.journeys }}`), diagrams as
//! [`crate::diagram::Labels`], and the `date` filter formats dates with `t.date`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::{Diagnostic, Diagnostics};
use crate::diagram::{Labels, PosterLabels};
use crate::model::{JourneyState, Priority, Severity};
use crate::parse::node::Date;

/// The languages the built-in themes speak, with their strings.
pub const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("../themes/default/i18n/en.toml")),
    ("es", include_str!("../themes/default/i18n/es.toml")),
    ("ca", include_str!("../themes/default/i18n/ca.toml")),
    ("it", include_str!("../themes/default/i18n/it.toml")),
];

pub use crate::load::StringsFile;

/// The strings of every language of a site, complete (English filled in).
#[derive(Debug, Clone)]
pub struct Strings {
    by_lang: BTreeMap<String, Lang>,
}

#[derive(Debug, Clone)]
struct Lang {
    table: toml::Table,
    value: tera::Value,
}

impl Strings {
    /// The strings of `languages`: built in, then `layers` (theme files first, then the
    /// site's) laid over them in order. Missing keys, unknown keys and files that are not
    /// valid TOML are reported in `diags`.
    pub fn load(languages: &[String], layers: &[StringsFile], diags: &mut Diagnostics) -> Strings {
        let english = builtin_table("en");
        let english_keys = flat_keys(&english);
        let mut by_lang = BTreeMap::new();
        for lang in languages {
            let mut own = toml::Table::new();
            let primary = lang.split('-').next().unwrap_or(lang);
            if primary != "en" {
                merge(&mut own, builtin_table(primary));
            }
            let mut told = None;
            for file in layers.iter().filter(|f| &f.lang == lang) {
                diags.add_source(&file.path, file.text.clone().into());
                match file.text.parse::<toml::Table>() {
                    Ok(table) => {
                        for key in flat_keys(&table) {
                            if !english_keys.contains(&key) {
                                let mut d = Diagnostic::warning(
                                    &file.path,
                                    format!("`{key}` is not an interface string; it is not used"),
                                );
                                if let Some(span) = key_span(&file.text, &key) {
                                    d = d.at(span).label("no theme uses this key");
                                }
                                if let Some(best) = crate::diag::closest(
                                    &key,
                                    english_keys.iter().map(String::as_str),
                                ) {
                                    d = d.help(format!("did you mean `{best}`?"));
                                }
                                diags.push(d);
                            }
                        }
                        merge(&mut own, table);
                    }
                    Err(e) => {
                        let mut d = Diagnostic::error(
                            &file.path,
                            format!("invalid TOML in a strings file: {}", e.message()),
                        );
                        if let Some(span) = e.span() {
                            d = d
                                .at(span)
                                .label("expected `key = \"text\"` under a [section]");
                        }
                        diags.push(d);
                    }
                }
                told = Some(file.path.clone());
            }
            if primary != "en" {
                let have = flat_keys(&own);
                let missing: Vec<&String> =
                    english_keys.iter().filter(|k| !have.contains(*k)).collect();
                if have.is_empty() {
                    diags.push(
                        Diagnostic::warning(
                            "cxmap.toml",
                            format!("no interface strings for `{lang}`; its pages use English words"),
                        )
                        .help(format!(
                            "built in: {}; add `i18n/{lang}.toml` with the strings (copy a built-in file from the guide)",
                            BUILTIN.iter().map(|(l, _)| *l).collect::<Vec<_>>().join(", ")
                        )),
                    );
                } else if !missing.is_empty() {
                    let shown: Vec<&str> = missing.iter().take(5).map(|k| k.as_str()).collect();
                    let more = if missing.len() > shown.len() {
                        format!(" and {} more", missing.len() - shown.len())
                    } else {
                        String::new()
                    };
                    diags.push(
                        Diagnostic::warning(
                            told.unwrap_or_else(|| PathBuf::from("cxmap.toml")),
                            format!(
                                "{} interface string(s) missing for `{lang}`; English is used: `{}`{more}",
                                missing.len(),
                                shown.join("`, `")
                            ),
                        )
                        .help(format!("add them to `i18n/{lang}.toml`")),
                    );
                }
            }
            let mut table = english.clone();
            merge_typed(&mut table, own);
            let value = tera::Value::from_serializable(&table);
            by_lang.insert(lang.clone(), Lang { table, value });
        }
        Strings { by_lang }
    }

    /// English only, built in: for tests and for places with no site.
    pub fn english() -> Strings {
        Strings::load(&["en".to_string()], &[], &mut Diagnostics::new())
    }

    /// The strings of `lang` as templates see them (`t`); cheap to clone.
    pub fn value(&self, lang: &str) -> tera::Value {
        self.lang(lang).value.clone()
    }

    /// One string by its dotted key (`"nav.journeys"`); the key itself when unknown.
    pub fn text<'a>(&'a self, lang: &str, key: &'a str) -> &'a str {
        lookup(&self.lang(lang).table, key)
            .and_then(toml::Value::as_str)
            .unwrap_or(key)
    }

    /// A list of strings by its dotted key.
    pub fn list(&self, lang: &str, key: &str) -> Vec<String> {
        lookup(&self.lang(lang).table, key)
            .and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A date as `lang` writes it (`date.format` with `date.months`).
    pub fn date(&self, lang: &str, date: Date) -> String {
        format_date(&self.lang(lang).table, date)
    }

    /// The words diagrams print, in `lang`.
    pub fn labels(&self, lang: &str) -> Labels {
        let t = |k: &str| self.text(lang, k).to_string();
        let k = |k: &str| format!("diagram.{k}");
        let mut months = Labels::default().months;
        for (slot, word) in months.iter_mut().zip(self.list(lang, "date.months")) {
            *slot = word;
        }
        let mut emotions = [const { String::new() }; 6];
        for (slot, word) in emotions[1..]
            .iter_mut()
            .zip(self.list(lang, "diagram.emotions"))
        {
            *slot = word;
        }
        Labels {
            lanes: [
                "lane_actions",
                "lane_touchpoints",
                "lane_thoughts",
                "lane_emotion",
                "lane_pains",
                "lane_opportunities",
                "lane_backstage",
            ]
            .map(|l| t(&k(l))),
            moment_of_truth: t("diagram.moment_of_truth"),
            evidence: t("diagram.evidence"),
            legend: t("diagram.legend"),
            pain: t("diagram.pain"),
            opportunity: t("diagram.opportunity"),
            backstage: t("diagram.backstage"),
            emotions,
            neutral: t("diagram.neutral"),
            remain: t("diagram.remain"),
            steps: [t("diagram.step"), t("diagram.steps")],
            empathy: [
                "empathy_says",
                "empathy_thinks",
                "empathy_does",
                "empathy_feels",
            ]
            .map(|l| t(&k(l))),
            with: t("diagram.with"),
            current: t("diagram.current"),
            future: t("diagram.future"),
            change: t("diagram.change"),
            severities: Severity::ALL.map(|(_, k)| t(&format!("severity.{k}"))),
            priorities: Priority::ALL.map(|(_, k)| t(&format!("priority.{k}"))),
            map_desc: t("diagram.map_desc"),
            map_desc_emotion: t("diagram.map_desc_emotion"),
            strip_title: t("diagram.strip_title"),
            strip_desc: t("diagram.strip_desc"),
            strip_desc_emotion: t("diagram.strip_desc_emotion"),
            funnel_title: t("diagram.funnel_title"),
            funnel_desc: t("diagram.funnel_desc"),
            empathy_title: t("diagram.empathy_title"),
            empathy_desc: t("diagram.empathy_desc"),
            heatmap_title: t("diagram.heatmap_title"),
            heatmap_desc: t("diagram.heatmap_desc"),
            compare_title: t("diagram.compare_title"),
            compare_desc: t("diagram.compare_desc"),
            evolution_title: t("diagram.evolution_title"),
            evolution_desc: t("diagram.evolution_desc"),
            block_title: t("diagram.block_title"),
            block_actors: t("diagram.block_actors"),
            block_region: t("diagram.block_region"),
            block_region_untitled: t("diagram.block_region_untitled"),
            poster: PosterLabels {
                kinds: JourneyState::ALL.map(|(_, k)| t(&format!("poster.{k}"))),
                persona: [t("poster.persona"), t("poster.personas")],
                scenario: t("poster.scenario"),
                how_to_read: t("poster.how_to_read"),
                owner: t("poster.owner"),
                status: t("poster.status"),
                reviewed: t("poster.reviewed"),
                tags: t("poster.tags"),
                desc: t("poster.desc"),
            },
            date_format: t("date.format"),
            months,
            decimal: t("number.decimal"),
            quote: t("common.quote"),
        }
    }

    fn lang(&self, lang: &str) -> &Lang {
        self.by_lang.get(lang).unwrap_or_else(|| &ENGLISH)
    }
}

static ENGLISH: std::sync::LazyLock<Lang> = std::sync::LazyLock::new(|| {
    let table = builtin_table("en");
    let value = tera::Value::from_serializable(&table);
    Lang { table, value }
});

/// The `date` filter for templates: `{{ journey.reviewed | date }}` writes a
/// `YYYY-MM-DD` date the way the page's language does (`t.date`); anything else is
/// written as it is.
pub fn date_filter(value: &str, _: tera::Kwargs, state: &tera::State) -> String {
    let Some(date) = Date::parse(value) else {
        return value.to_string();
    };
    let t: Option<tera::Value> = state.get("t").ok().flatten();
    let Some(t) = t else {
        return date.to_string();
    };
    let format = t
        .get_from_path("date.format")
        .and_then(|v| v.as_str())
        .unwrap_or("{year}-{month}-{day}");
    let month = t
        .get_from_path("date.months")
        .and_then(|v| v.as_array())
        .and_then(|m| m.get(usize::from(date.month) - 1))
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_else(|| format!("{:02}", date.month));
    fill_date(format, date, &month)
}

/// The `fill` filter for templates: `{{ t.common.journeys_other | fill(n=3) }}` writes
/// the string with each `{name}` replaced by the argument of that name (a number or a
/// text). The result is plain text; the page escapes it as any other.
pub fn fill_filter(value: &str, kwargs: tera::Kwargs, _: &tera::State) -> String {
    fill_kwargs(value, &kwargs, plain)
}

/// `pattern` with each `{name}` replaced by the argument of that name, as `show` writes
/// it (see [`crate::diagram::fill_with`]).
fn fill_kwargs(
    pattern: &str,
    kwargs: &tera::Kwargs,
    show: impl Fn(&tera::Value) -> String,
) -> String {
    let args: Vec<(&str, String)> = kwargs
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?, show(v))))
        .collect();
    crate::diagram::fill_with(pattern, |name| {
        args.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    })
}

/// The `fill_code` filter: like `fill`, with each argument shown as code
/// (`<code>…</code>`), for strings that name what to type
/// (`{{ t.tags.empty | fill_code(example='tags = ["retail"]') }}`). The string and the
/// arguments are escaped here, so the result is safe HTML.
pub fn fill_code_filter(value: &str, kwargs: tera::Kwargs, _: &tera::State) -> tera::Value {
    let out = fill_kwargs(&crate::html::escape(value), &kwargs, |v| {
        format!("<code>{}</code>", crate::html::escape(&plain(v)))
    });
    tera::Value::safe_string(&out)
}

/// The `num` filter for templates: `{{ card.mean_emotion | num }}` writes a number
/// (or a number already written as text, `3.5`) with the decimal separator of the
/// page's language (`t.number.decimal`).
pub fn num_filter(value: &tera::Value, _: tera::Kwargs, state: &tera::State) -> String {
    let text = plain(value);
    let t: Option<tera::Value> = state.get("t").ok().flatten();
    let decimal = t
        .as_ref()
        .and_then(|t| t.get_from_path("number.decimal"))
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_else(|| ".".into());
    text.replace('.', &decimal)
}

/// A template value as text: a string as it is, anything else as Tera writes it.
fn plain(value: &tera::Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), String::from)
}

fn format_date(table: &toml::Table, date: Date) -> String {
    let format = lookup(table, "date.format")
        .and_then(toml::Value::as_str)
        .unwrap_or("{year}-{month}-{day}");
    let month = lookup(table, "date.months")
        .and_then(toml::Value::as_array)
        .and_then(|m| m.get(usize::from(date.month) - 1))
        .and_then(toml::Value::as_str)
        .map_or_else(|| format!("{:02}", date.month), String::from);
    fill_date(format, date, &month)
}

fn fill_date(format: &str, date: Date, month: &str) -> String {
    format
        .replace("{day}", &date.day.to_string())
        .replace("{month}", month)
        .replace("{year}", &date.year.to_string())
}

/// Where the last part of a dotted key is written (`legend` of `diagram.legend`), as
/// a byte range of `text`: the first line that starts with it and an `=`.
fn key_span(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let last = key.rsplit('.').next()?;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let rest = trimmed.strip_prefix(last).map(str::trim_start);
        if rest.is_some_and(|r| r.starts_with('=')) {
            return Some(at + indent..at + indent + last.len());
        }
        at += line.len();
    }
    None
}

fn builtin_table(lang: &str) -> toml::Table {
    BUILTIN
        .iter()
        .find(|(l, _)| *l == lang)
        .and_then(|(_, text)| text.parse::<toml::Table>().ok())
        .unwrap_or_default()
}

fn lookup<'a>(table: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let mut parts = key.split('.');
    let mut value = table.get(parts.next()?)?;
    for part in parts {
        value = value.as_table()?.get(part)?;
    }
    Some(value)
}

/// Dotted paths of every leaf (string or list) of a table, sorted.
fn flat_keys(table: &toml::Table) -> Vec<String> {
    fn walk(prefix: &str, table: &toml::Table, out: &mut Vec<String>) {
        for (k, v) in table {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                toml::Value::Table(t) => walk(&path, t, out),
                _ => out.push(path),
            }
        }
    }
    let mut out = Vec::new();
    walk("", table, &mut out);
    out.sort();
    out
}

/// Lays `over` onto `base`, table by table.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Lays `over` onto the English `base`, keeping only keys English has, with the same
/// kind of value (a string for a string, a list for a list).
fn merge_typed(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge_typed(b, o),
            (Some(b @ toml::Value::String(_)), v @ toml::Value::String(_)) => *b = v,
            (Some(b @ toml::Value::Array(_)), v @ toml::Value::Array(_)) => *b = v,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_language_has_exactly_the_english_keys() {
        let english = flat_keys(&builtin_table("en"));
        assert!(english.len() > 20);
        for (lang, text) in BUILTIN {
            let table: toml::Table = text.parse().unwrap_or_else(|e| panic!("{lang}: {e}"));
            assert_eq!(flat_keys(&table), english, "{lang}");
            let months = lookup(&table, "date.months").and_then(toml::Value::as_array);
            assert_eq!(months.map(Vec::len), Some(12), "{lang}");
            let emotions = lookup(&table, "diagram.emotions").and_then(toml::Value::as_array);
            assert_eq!(emotions.map(Vec::len), Some(5), "{lang}");
        }
    }

    #[test]
    fn dates_per_language() {
        let langs: Vec<String> = ["en", "es", "ca", "it"].map(String::from).to_vec();
        let s = Strings::load(&langs, &[], &mut Diagnostics::new());
        let d = Date {
            year: 2026,
            month: 4,
            day: 3,
        };
        assert_eq!(s.date("en", d), "3 April 2026");
        assert_eq!(s.date("es", d), "3 de abril de 2026");
        assert_eq!(s.date("ca", d), "3 d’abril de 2026");
        assert_eq!(s.date("it", d), "3 aprile 2026");
    }

    #[test]
    fn a_site_file_overrides_and_missing_keys_fall_back_with_a_warning() {
        let langs: Vec<String> = ["en", "fr", "es"].map(String::from).to_vec();
        let layers = vec![
            StringsFile {
                lang: "fr".into(),
                path: "i18n/fr.toml".into(),
                text: "[diagram]\nlegend = \"Légende\"\nlegnd = \"x\"\n".into(),
            },
            StringsFile {
                lang: "es".into(),
                path: "i18n/es.toml".into(),
                text: "[diagram]\nlegend = \"Clave\"\n".into(),
            },
        ];
        let mut diags = Diagnostics::new();
        let s = Strings::load(&langs, &layers, &mut diags);
        assert_eq!(s.text("fr", "diagram.legend"), "Légende");
        assert_eq!(s.text("fr", "diagram.with"), "With");
        assert_eq!(s.text("es", "diagram.legend"), "Clave");
        assert_eq!(s.text("es", "diagram.with"), s.text("es", "diagram.with"));
        assert_ne!(s.text("es", "diagram.with"), "With");
        let messages: Vec<&str> = diags.all().iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.iter().any(|m| m.contains("missing for `fr`")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("`diagram.legnd`")),
            "{messages:?}"
        );
        assert!(!messages.iter().any(|m| m.contains("`es`")), "{messages:?}");
    }

    #[test]
    fn diagrams_and_posters_speak_the_language() {
        let langs: Vec<String> = ["en", "es", "ca", "it"].map(String::from).to_vec();
        let s = Strings::load(&langs, &[], &mut Diagnostics::new());
        let english = s.labels("en");
        let default = Labels::default();
        // The English strings and the diagrams' own defaults say the same.
        assert_eq!(english.map_desc, default.map_desc);
        assert_eq!(english.poster.kinds, default.poster.kinds);
        assert_eq!(english.poster.reviewed, default.poster.reviewed);
        assert_eq!(english.months, default.months);
        assert_eq!(english.severities, default.severities);
        assert_eq!(english.decimal, default.decimal);
        let d = Date {
            year: 2026,
            month: 9,
            day: 14,
        };
        for lang in ["es", "ca", "it"] {
            let l = s.labels(lang);
            assert_ne!(l.poster.how_to_read, default.poster.how_to_read, "{lang}");
            assert_ne!(l.heatmap_title, default.heatmap_title, "{lang}");
            assert_ne!(l.severities, default.severities, "{lang}");
            assert_eq!(l.date(d), s.date(lang, d), "{lang}");
            assert_eq!(l.one_decimal(1.25, true), "+1,2", "{lang}");
        }
        assert_eq!(english.date(d), "14 September 2026");
        assert_eq!(english.one_decimal(3.0, false), "3.0");
    }

    #[test]
    fn placeholders_are_filled_and_escaped() {
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html"]);
        tera.register_filter("fill", fill_filter);
        tera.register_filter("fill_code", fill_code_filter);
        tera.register_filter("num", num_filter);
        tera.add_raw_template(
            "x.html",
            "{{ a | fill(n=3, name=who) }}|{{ b | fill_code(example=code) }}|{{ c | num }}",
        )
        .unwrap();
        let langs: Vec<String> = ["es".to_string()].to_vec();
        let s = Strings::load(&langs, &[], &mut Diagnostics::new());
        let mut ctx = tera::Context::new();
        ctx.insert_value("t", s.value("es"));
        ctx.insert("a", "{n} <{name}>");
        ctx.insert("who", "Ana & Bea");
        ctx.insert("b", "Add {example} <here>");
        ctx.insert("code", "tags = [\"<b>\"]");
        ctx.insert("c", "3.5");
        let out = tera.render("x.html", &ctx).unwrap();
        assert_eq!(
            out,
            "3 &lt;Ana &amp; Bea&gt;|Add <code>tags = [&quot;&lt;b&gt;&quot;]</code> &lt;here&gt;|3,5"
        );
    }

    #[test]
    fn a_language_without_strings_is_one_warning() {
        let mut diags = Diagnostics::new();
        let s = Strings::load(&["de".to_string()], &[], &mut diags);
        assert_eq!(s.text("de", "diagram.legend"), "Legend");
        assert_eq!(diags.warning_count(), 1);
    }

    #[test]
    fn a_region_uses_its_language() {
        let mut diags = Diagnostics::new();
        let s = Strings::load(&["es-mx".to_string()], &[], &mut diags);
        assert_eq!(
            s.text("es-mx", "diagram.legend"),
            s.text("es-mx", "diagram.legend")
        );
        assert_ne!(s.text("es-mx", "diagram.legend"), "Legend");
        assert_eq!(diags.warning_count(), 0);
    }
}
