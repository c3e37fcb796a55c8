//! Interface strings: a Spanish site shows no English word of the built-in theme on any
//! page, in its visible text or in the attributes people hear or see (aria-label, title,
//! placeholder, alt, the words scripts say); a site's own `i18n/es.toml` wins.

mod common;

use std::collections::BTreeMap;

use scraper::{Html, Node};

/// The English strings that Spanish writes differently, as pieces that must not show:
/// each value split at its `{placeholders}`, keeping pieces of more than three letters.
fn english_only() -> Vec<(String, String)> {
    fn flat(prefix: &str, value: &toml::Value, out: &mut BTreeMap<String, Vec<String>>) {
        match value {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    flat(&key, v, out);
                }
            }
            toml::Value::String(s) => {
                out.insert(prefix.to_string(), vec![s.clone()]);
            }
            toml::Value::Array(a) => {
                out.insert(
                    prefix.to_string(),
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect(),
                );
            }
            _ => {}
        }
    }
    let read = |lang: &str| {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("themes/default/i18n/{lang}.toml")),
        )
        .unwrap();
        let mut out = BTreeMap::new();
        flat(
            "",
            &toml::Value::Table(text.parse::<toml::Table>().unwrap()),
            &mut out,
        );
        out
    };
    let (en, es) = (read("en"), read("es"));
    let mut pieces = Vec::new();
    for (key, values) in &en {
        // The language's own name is English in the switcher on purpose.
        if key == "language.name" {
            continue;
        }
        for (i, value) in values.iter().enumerate() {
            if es.get(key).and_then(|v| v.get(i)) == Some(value) {
                continue;
            }
            for piece in value.split(['{', '}']).step_by(2) {
                let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
                if piece.chars().filter(|c| c.is_alphabetic()).count() > 3 {
                    pieces.push((key.clone(), piece.to_string()));
                }
            }
        }
    }
    pieces.sort();
    pieces.dedup();
    pieces
}

/// `data-*` attributes that hold machine values (slugs, keys, numbers), not words.
const MACHINE: &[&str] = &[
    "data-journey",
    "data-stage",
    "data-severity",
    "data-priority",
    "data-owner",
    "data-status",
    "data-sort",
    "data-sort-first",
    "data-sort-value",
    "data-table",
    "data-count",
    "data-root",
];

/// What a reader sees or hears on a page: its text (not scripts or styles) and the
/// attributes that carry words.
fn readable(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        match node.value() {
            Node::Text(t) => {
                let inside_code = node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| matches!(e.name(), "script" | "style" | "code"))
                });
                if !inside_code && !t.trim().is_empty() {
                    out.push(t.to_string());
                }
            }
            Node::Element(e) => {
                for (name, value) in e.attrs() {
                    let words = matches!(name, "aria-label" | "title" | "placeholder" | "alt")
                        || (name.starts_with("data-") && !MACHINE.contains(&name));
                    if words {
                        out.push(value.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether `piece` occurs in `text` as whole words.
fn contains_words(text: &str, piece: &str) -> bool {
    text.match_indices(piece).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + piece.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn english_on(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let pieces = english_only();
    assert!(pieces.len() > 100, "{}", pieces.len());
    let mut found = Vec::new();
    for (path, bytes) in files {
        if !(path.ends_with(".html") || path.ends_with(".svg")) {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for chunk in readable(&text) {
            for (key, piece) in &pieces {
                if contains_words(&chunk, piece) {
                    found.push(format!("{path}: “{piece}” ({key}) in “{}”", chunk.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn a_spanish_site_shows_no_english_interface_words() {
    let files = common::render(&common::fixture("strings-es"));
    for page in [
        "index.html",
        "404.html",
        "journeys/index.html",
        "journeys/compra/index.html",
        "journeys/compra-futura/index.html",
        "journeys/compra/map.svg",
        "personas/index.html",
        "personas/marta/index.html",
        "personas/jordi/index.html",
        "channels/index.html",
        "channels/sitio-web/index.html",
        "pains/index.html",
        "opportunities/index.html",
        "tags/index.html",
        "tags/comercio/index.html",
        "search/index.html",
        "metodo/index.html",
    ] {
        assert!(files.contains_key(page), "{page} is not rendered");
    }
    let found = english_on(&files);
    assert!(
        found.is_empty(),
        "English on a Spanish site:\n{}",
        found.join("\n")
    );

    let home = common::text(&files, "index.html");
    assert!(
        home.contains("Modo nocturno"),
        "the site's i18n/es.toml wins"
    );
    assert!(!home.contains("Modo oscuro"));
    let journey = common::text(&files, "journeys/compra/index.html");
    assert!(journey.contains("1 de octubre de 2026"), "dates in Spanish");
    assert!(journey.contains(">alta</span>"), "severity in Spanish");
    assert!(journey.contains("3,3 / 5"), "decimals with a comma");
    let pains = common::text(&files, "pains/index.html");
    assert!(
        pains.contains("data-severity=\"high\""),
        "machine values stay"
    );
    assert!(
        pains.contains(">Crítica</option>"),
        "filter choices in Spanish"
    );
}

#[test]
fn an_empty_spanish_site_says_so_in_spanish() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cxmap.toml"),
        "title = \"Atlas vacío\"\nlanguage = \"es\"\n",
    )
    .unwrap();
    let files = common::render(dir.path());
    let found = english_on(&files);
    assert!(
        found.is_empty(),
        "English on a Spanish site:\n{}",
        found.join("\n")
    );
    let home = common::text(&files, "index.html");
    assert!(
        home.contains("<code>cxmap new journey NAME</code>"),
        "{home}"
    );
}

#[test]
fn the_english_words_are_found_on_an_english_site() {
    // The check above would pass on a site that printed nothing: it finds English.
    let files = common::render(&common::fixture("basic"));
    let found = english_on(&files);
    assert!(found.len() > 50, "{}", found.len());
}

#[test]
fn the_guide_lists_every_key() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("docs/strings.md")).unwrap();
    let en: toml::Table = std::fs::read_to_string(root.join("themes/default/i18n/en.toml"))
        .unwrap()
        .parse()
        .unwrap();
    for (section, table) in &en {
        assert!(
            guide.contains(&format!("### `[{section}]`")),
            "docs/strings.md has no section `[{section}]`"
        );
        for key in table.as_table().unwrap().keys() {
            assert!(
                guide.contains(&format!("| `{key}` |")),
                "docs/strings.md does not list `{section}.{key}`"
            );
        }
    }
}
