//! The search index and page of a built site (`tests/fixtures/search`): what the index
//! holds, that its links lead to pages that exist, that it is the same byte for byte on
//! every build, and that the pages pass the Nu validator.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn site() -> BTreeMap<String, Vec<u8>> {
    common::render(&common::fixture("search"))
}

fn index(files: &BTreeMap<String, Vec<u8>>) -> Value {
    serde_json::from_slice(&files["search/index.json"]).expect("search/index.json is JSON")
}

/// The refs of the documents whose `field` holds the (folded, stemmed) token.
fn refs_for(index: &Value, field: &str, token: &str) -> Vec<String> {
    let mut node = &index["index"]["index"][field]["root"];
    for c in token.chars() {
        node = &node[c.to_string().as_str()];
    }
    node["docs"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn doc<'a>(index: &'a Value, title: &str) -> (String, &'a Value) {
    let docs = index["docs"].as_array().expect("docs");
    let i = docs
        .iter()
        .position(|d| d["title"] == title)
        .unwrap_or_else(|| panic!("no document titled {title:?}"));
    (i.to_string(), &docs[i])
}

#[test]
fn the_index_holds_steps_personas_and_the_rest() {
    let files = site();
    let index = index(&files);
    assert_eq!(
        index["index"]["fields"],
        serde_json::json!(["title", "context", "body"])
    );

    let (step_ref, step) = doc(&index, "Compares two tents side by side");
    assert_eq!(step["kind"], "step");
    assert_eq!(
        step["url"],
        "journeys/retail/tent/index.html#stage-comparacion"
    );
    assert_eq!(step["context"], "Buying a tent › Comparación");
    // A word only the step's thought has finds the step.
    assert_eq!(
        refs_for(&index, "body", "headroom"),
        std::slice::from_ref(&step_ref)
    );
    // Words of the title are indexed stemmed: `compares` → `compar`.
    assert!(refs_for(&index, "title", "compar").contains(&step_ref));
    // The stage name is folded: `Comparación` is found as `comparacion`.
    assert!(refs_for(&index, "context", "comparacion").contains(&step_ref));

    let (persona_ref, persona) = doc(&index, "Zoë Achterberg");
    assert_eq!(persona["kind"], "persona");
    assert_eq!(persona["url"], "personas/zoe/index.html");
    assert_eq!(
        persona["excerpt"],
        "Weekend camper · “I just want to stay dry.”"
    );
    assert_eq!(
        refs_for(&index, "title", "zoe"),
        std::slice::from_ref(&persona_ref)
    );
    assert!(refs_for(&index, "body", "jargon").contains(&persona_ref));

    let kinds: Vec<&str> = index["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "journey",
            "step",
            "pain",
            "opportunity",
            "step",
            "persona",
            "page"
        ]
    );
    let (journey_ref, _) = doc(&index, "Buying a tent");
    assert!(refs_for(&index, "body", "waterproof").contains(&journey_ref));
    let (page_ref, page) = doc(&index, "Glossary");
    assert_eq!(page["url"], "guides/glossary/index.html");
    assert!(refs_for(&index, "body", "hydrostat").contains(&page_ref));
}

#[test]
fn every_result_links_to_a_page_that_exists() {
    let files = site();
    let index = index(&files);
    for d in index["docs"].as_array().unwrap() {
        let url = d["url"].as_str().unwrap();
        assert!(
            !url.starts_with('/') && !url.contains("://") && !url.contains(".."),
            "{url} is not root-relative"
        );
        let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
        assert!(path.ends_with("index.html"), "{url}");
        let page = common::text(&files, path);
        if !fragment.is_empty() {
            assert!(
                page.contains(&format!("id=\"{fragment}\"")),
                "{url}: no element with that id"
            );
        }
    }
}

#[test]
fn the_index_is_safe_to_load_as_a_script() {
    let files = site();
    for path in ["search/index.json", "search/index.js"] {
        let text = common::text(&files, path);
        assert!(
            !text.contains("</script>") && !text.contains("<b>"),
            "{path}"
        );
    }
    let index = index(&files);
    let (_, step) = doc(&index, "Pays at the till </script><b>bold</b>");
    assert_eq!(step["kind"], "step");
    let script = common::text(&files, "search/index.js");
    let json = common::text(&files, "search/index.json");
    assert_eq!(
        script,
        format!("window.cxmapSearchIndex = {};\n", json.trim_end())
    );
}

#[test]
fn every_page_has_the_header_search_and_the_search_page_its_parts() {
    let files = site();
    for (path, bytes) in &files {
        if !path.ends_with("index.html") {
            continue;
        }
        let root = "../".repeat(path.matches('/').count());
        let page = String::from_utf8_lossy(bytes);
        let form = format!(
            "<form class=\"site-search\" action=\"{root}search/index.html\" role=\"search\""
        );
        assert!(page.contains(&form), "{path}: no header search form");
        assert!(page.contains("<input type=\"search\" name=\"q\" id=\"site-search-input\""));
    }
    let search = common::text(&files, "search/index.html");
    for part in [
        "id=\"search-input\" name=\"q\"",
        "<ol id=\"search-results\"",
        "<p id=\"search-status\" class=\"search-status\" aria-live=\"polite\">",
        "data-root=\"../\"",
        "src=\"../assets/js/elasticlunr.min.js\" defer",
        "src=\"../assets/js/search.js\" defer",
        "href=\"../journeys/index.html\">Browse all journeys</a>",
    ] {
        assert!(search.contains(part), "search page lacks {part}");
    }
    assert!(files.contains_key("assets/js/elasticlunr.min.js"));
    assert!(files.contains_key("assets/js/elasticlunr.LICENSE.txt"));
    assert!(files.contains_key("assets/js/search.js"));
}

#[test]
fn two_builds_write_the_same_bytes_and_pass_the_validator() {
    let dir = tempfile::tempdir().unwrap();
    let site = common::fixture("search");
    let outs = [dir.path().join("one"), dir.path().join("two")];
    for out in &outs {
        let outcome = cxmap::build(&site, Some(out)).unwrap();
        assert!(
            outcome.diagnostics.all().is_empty(),
            "{}",
            outcome.diagnostics.render(false)
        );
    }
    for file in ["search/index.json", "search/index.js", "search/index.html"] {
        let read = |out: &Path| std::fs::read(out.join(file)).unwrap();
        assert!(
            read(&outs[0]) == read(&outs[1]),
            "{file} differs between builds"
        );
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(manifest.join("scripts/validate-html"))
        .arg(&outs[0])
        .status()
        .expect("scripts/validate-html runs (install with scripts/setup)");
    assert!(status.success(), "the Nu validator found errors");
}
