//! A site in three languages (`tests/fixtures/languages`): English at the root, Spanish
//! under `es/`, Catalan under `ca/`. `order` is written in English and Spanish,
//! `botiga` in Catalan only; the persona `maria` in English and Spanish; the page
//! `about` in English and Catalan.

mod common;

use std::collections::BTreeMap;

use scraper::{Html, Selector};

type Files = BTreeMap<String, Vec<u8>>;

fn site() -> Files {
    common::render(&common::fixture("languages"))
}

fn page(files: &Files, path: &str) -> Html {
    Html::parse_document(&common::text(files, path))
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).expect("selector");
    doc.select(&selector).collect()
}

/// A relative URL resolved against the page it is on: `es/journeys/x/index.html`.
fn resolve(page: &str, url: &str) -> String {
    let url = url.split('#').next().unwrap_or(url);
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in url.split('/') {
        match part {
            ".." => {
                assert!(parts.pop().is_some(), "{url} leaves the site from {page}");
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn html_pages(files: &Files) -> impl Iterator<Item = &String> {
    files.keys().filter(|p| p.ends_with(".html"))
}

#[test]
fn each_language_has_its_tree_and_pages_only_where_written() {
    let files = site();
    for lang_dir in ["", "es/", "ca/"] {
        for page in [
            "index.html",
            "journeys/index.html",
            "personas/index.html",
            "channels/index.html",
            "pains/index.html",
            "opportunities/index.html",
            "tags/index.html",
            "search/index.html",
            "data/journeys.json",
            "data/pains.csv",
        ] {
            let path = format!("{lang_dir}{page}");
            assert!(files.contains_key(&path), "no {path}");
        }
    }
    for (path, there) in [
        ("journeys/order/index.html", true),
        ("es/journeys/order/index.html", true),
        ("es/journeys/order/map.svg", true),
        ("ca/journeys/order/index.html", false),
        ("ca/journeys/botiga/index.html", true),
        ("journeys/botiga/index.html", false),
        ("es/journeys/botiga/index.html", false),
        ("personas/maria/index.html", true),
        ("es/personas/maria/index.html", true),
        ("ca/personas/maria/index.html", false),
        ("about/index.html", true),
        ("ca/about/index.html", true),
        ("es/about/index.html", false),
        ("404.html", true),
        ("es/404.html", false),
        ("es/assets/style.css", false),
    ] {
        assert_eq!(files.contains_key(path), there, "{path}");
    }
}

#[test]
fn every_page_says_its_language() {
    let files = site();
    for path in html_pages(&files) {
        let lang = match path.split_once('/') {
            Some(("es", _)) => "es",
            Some(("ca", _)) => "ca",
            _ => "en",
        };
        let doc = page(&files, path);
        let html = select(&doc, "html");
        assert_eq!(html[0].value().attr("lang"), Some(lang), "{path}");
    }
}

#[test]
fn every_link_and_asset_of_every_language_resolves() {
    let files = site();
    for path in html_pages(&files).filter(|p| *p != "404.html") {
        let doc = page(&files, path);
        for el in select(&doc, "a[href], link[href], script[src], img[src]") {
            let url = el
                .value()
                .attr("href")
                .or(el.value().attr("src"))
                .unwrap_or_default();
            if url.starts_with("https://") || url.starts_with('#') || url.is_empty() {
                continue;
            }
            let target = resolve(path, url);
            let target = if target.ends_with('/') || target.is_empty() {
                format!("{target}index.html")
            } else {
                target
            };
            assert!(
                files.contains_key(&target),
                "{path}: `{url}` → `{target}` is not in the output"
            );
        }
    }
}

/// The switcher of `path`: (language, resolved target, whether it is the same page).
fn switcher(files: &Files, path: &str) -> Vec<(String, String, bool)> {
    let doc = page(files, path);
    select(&doc, ".language-switcher a")
        .into_iter()
        .map(|a| {
            let lang = a.value().attr("hreflang").unwrap_or_default().to_string();
            let target = resolve(path, a.value().attr("href").unwrap_or_default());
            let same = a.value().attr("title").is_none();
            (lang, target, same)
        })
        .collect()
}

#[test]
fn the_switcher_lands_on_the_same_page_or_that_languages_home() {
    let files = site();
    let s = |a: &str, b: &str, same: bool| (a.to_string(), b.to_string(), same);
    assert_eq!(
        switcher(&files, "journeys/order/index.html"),
        vec![
            s("en", "journeys/order/index.html", true),
            s("es", "es/journeys/order/index.html", true),
            s("ca", "ca/index.html", false),
        ]
    );
    assert_eq!(
        switcher(&files, "ca/journeys/botiga/index.html"),
        vec![
            s("en", "index.html", false),
            s("es", "es/index.html", false),
            s("ca", "ca/journeys/botiga/index.html", true),
        ]
    );
    assert_eq!(
        switcher(&files, "es/personas/maria/index.html"),
        vec![
            s("en", "personas/maria/index.html", true),
            s("es", "es/personas/maria/index.html", true),
            s("ca", "ca/index.html", false),
        ]
    );
    assert_eq!(
        switcher(&files, "ca/pains/index.html"),
        vec![
            s("en", "pains/index.html", true),
            s("es", "es/pains/index.html", true),
            s("ca", "ca/pains/index.html", true),
        ]
    );
    // Every switcher on every page points at a page that exists; exactly one is current.
    for path in html_pages(&files).filter(|p| *p != "404.html") {
        let links = switcher(&files, path);
        assert_eq!(links.len(), 3, "{path}");
        for (_, target, _) in &links {
            assert!(files.contains_key(target), "{path} → {target}");
        }
        let doc = page(&files, path);
        assert_eq!(
            select(&doc, ".language-switcher a[aria-current]").len(),
            1,
            "{path}"
        );
    }
}

#[test]
fn hreflang_alternates_name_the_pages_that_exist() {
    let files = site();
    let doc = page(&files, "es/journeys/order/index.html");
    let alternates: Vec<(String, String)> = select(&doc, "link[rel=alternate][hreflang]")
        .into_iter()
        .map(|l| {
            (
                l.value().attr("hreflang").unwrap_or_default().to_string(),
                l.value().attr("href").unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        alternates,
        vec![
            (
                "en".to_string(),
                "https://cx.example.com/atlas/journeys/order/".to_string()
            ),
            (
                "es".to_string(),
                "https://cx.example.com/atlas/es/journeys/order/".to_string()
            ),
        ]
    );
    let sitemap = common::text(&files, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://cx.example.com/atlas/ca/journeys/botiga/</loc>"));
    assert!(sitemap.contains("<loc>https://cx.example.com/atlas/es/journeys/order/</loc>"));
}

#[test]
fn stage_models_name_their_stages_in_the_journeys_language() {
    let files = site();
    let en = common::text(&files, "journeys/order/index.html");
    let es = common::text(&files, "es/journeys/order/index.html");
    assert!(en.contains("Discovery") && en.contains("Decision"));
    assert!(
        es.contains("Descubrimiento") && es.contains("Decisión"),
        "{es}"
    );
    assert!(!es.contains("Discovery"));
    let svg = common::text(&files, "es/journeys/order/map.svg");
    assert!(svg.contains("Descubrimiento"));
    let data: serde_json::Value =
        serde_json::from_slice(&files["es/data/journeys.json"]).expect("json");
    assert_eq!(data["language"], "es");
    let order = data["journeys"]
        .as_array()
        .and_then(|j| j.iter().find(|j| j["id"] == "order"))
        .expect("order in es data");
    assert_eq!(order["stages"][0]["id"], "discovery");
    assert_eq!(order["stages"][0]["name"], "Descubrimiento");
    assert_eq!(order["lang"], "es");
    assert_eq!(order["translations"], serde_json::json!(["en", "es"]));
}

#[test]
fn a_journey_in_one_language_is_listed_everywhere_marked_with_its_language() {
    let files = site();
    for (list, href, marked) in [
        (
            "journeys/index.html",
            "../ca/journeys/botiga/index.html",
            true,
        ),
        (
            "es/journeys/index.html",
            "../../ca/journeys/botiga/index.html",
            true,
        ),
        (
            "ca/journeys/index.html",
            "../journeys/botiga/index.html",
            false,
        ),
    ] {
        let doc = page(&files, list);
        let card = select(&doc, ".card")
            .into_iter()
            .find(|c| c.html().contains("Recollir a la botiga"))
            .unwrap_or_else(|| panic!("no botiga card in {list}"));
        let link = card
            .select(&Selector::parse("a").expect("selector"))
            .next()
            .and_then(|a| a.value().attr("href"))
            .unwrap_or_default()
            .to_string();
        assert_eq!(link, href, "{list}");
        let badge = card
            .select(&Selector::parse(".badge.lang").expect("selector"))
            .next()
            .map(|b| b.text().collect::<String>());
        assert_eq!(badge.as_deref() == Some("ca"), marked, "{list}: {badge:?}");
    }
    // Its pains are in every language's cross-journey views, linking to its page.
    for pains in [
        "pains/index.html",
        "es/pains/index.html",
        "ca/pains/index.html",
    ] {
        assert!(
            common::text(&files, pains).contains("Cua llarga"),
            "{pains}"
        );
    }
    // Every language's data lists every journey once.
    for data in [
        "data/journeys.json",
        "es/data/journeys.json",
        "ca/data/journeys.json",
    ] {
        let v: serde_json::Value = serde_json::from_slice(&files[data]).expect("json");
        let ids: Vec<&str> = v["journeys"]
            .as_array()
            .expect("journeys")
            .iter()
            .filter_map(|j| j["id"].as_str())
            .collect();
        assert_eq!(ids, ["botiga", "order"], "{data}");
    }
}

#[test]
fn a_language_without_a_version_shows_the_site_languages_version() {
    let files = site();
    // Catalan has no `order` or `maria`: the English ones are shown.
    let ca = common::text(&files, "ca/journeys/index.html");
    assert!(ca.contains("Ordering a laptop online"), "{ca}");
    let ca_personas = common::text(&files, "ca/personas/index.html");
    assert!(ca_personas.contains("Designer"), "{ca_personas}");
    // Spanish has its own.
    let es = common::text(&files, "es/journeys/index.html");
    assert!(es.contains("Comprar un portátil en línea"));
    assert!(!es.contains("Ordering a laptop online"));
    assert!(common::text(&files, "es/personas/index.html").contains("Diseñadora"));
    // The Spanish search finds the Spanish words, the English search the English ones.
    let json = |path: &str| {
        let script = common::text(&files, path);
        script
            .strip_prefix("window.cxmapSearchIndex = ")
            .and_then(|s| s.strip_suffix(";\n"))
            .unwrap_or_else(|| panic!("{path} sets window.cxmapSearchIndex"))
            .to_string()
    };
    let es_index = json("es/search/index.js");
    assert!(es_index.contains("portatil") || es_index.contains("portátil"));
    let en_index = json("search/index.js");
    assert!(en_index.contains("laptop"));
    assert!(!en_index.contains("Comprar"));
    // English is stemmed as elasticlunr.js does; other languages are only trimmed, and
    // their stop words are left out of the index and of queries.
    let es: serde_json::Value = serde_json::from_str(&es_index).expect("json");
    assert_eq!(es["lang"], "es");
    assert_eq!(es["pipeline"], serde_json::json!(["trimmer"]));
    assert!(
        es["stop_words"]
            .as_array()
            .is_some_and(|w| w.contains(&"de".into()))
    );
    let en: serde_json::Value = serde_json::from_str(&en_index).expect("json");
    assert_eq!(
        en["pipeline"],
        serde_json::json!(["trimmer", "stopWordFilter", "stemmer"])
    );
    assert_eq!(en["stop_words"], serde_json::json!([]));
}

#[test]
fn interface_words_follow_the_page_language() {
    let files = site();
    let nav = |path: &str| {
        let doc = page(&files, path);
        select(&doc, "nav[aria-label] a")
            .into_iter()
            .map(|a| a.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    assert!(nav("index.html").contains(&"Journeys".to_string()));
    assert!(nav("es/index.html").contains(&"Recorridos".to_string()));
    assert!(nav("ca/index.html").contains(&"Recorreguts".to_string()));
    let svg = common::text(&files, "es/journeys/order/map.svg");
    assert!(
        svg.contains("Emoción"),
        "the Spanish map's lanes are Spanish"
    );
}

#[test]
fn a_site_with_one_language_has_no_switcher() {
    let files = common::render(&common::fixture("basic"));
    let page = common::text(&files, "journeys/order/index.html");
    assert!(!page.contains("language-switcher"));
    assert!(!page.contains("hreflang"));
    assert!(!files.keys().any(|k| k.starts_with("en/")));
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let root = common::fixture("languages");
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool")
        .install(|| common::render(&root));
    let four = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .expect("pool")
        .install(|| common::render(&root));
    assert_eq!(one, four);
}
