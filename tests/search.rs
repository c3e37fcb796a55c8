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

/// `search/index.js` without the assignment around its JSON.
fn index(files: &BTreeMap<String, Vec<u8>>) -> Value {
    let script = common::text(files, "search/index.js");
    let json = script
        .strip_prefix("window.cxmapSearchIndex = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("search/index.js sets window.cxmapSearchIndex");
    serde_json::from_str(json).expect("search/index.js holds JSON")
}

/// Decodes a postings list (`[delta, weight…]`) into `(id, weight)` pairs.
fn decode(list: &Value) -> Vec<(u64, u64)> {
    let numbers: Vec<u64> = list
        .as_array()
        .expect("postings")
        .iter()
        .map(|n| n.as_u64().expect("number"))
        .collect();
    let mut id = 0;
    numbers
        .chunks(2)
        .map(|pair| {
            id += pair[0];
            (id, pair[1])
        })
        .collect()
}

fn word_at(index: &Value, word: &str) -> Option<usize> {
    index["words"]
        .as_array()
        .expect("words")
        .iter()
        .position(|w| w == word)
}

/// The documents whose title or text holds the (folded, stemmed) word, with its weight
/// (3 for each time in the title, 1 for each in the text).
fn refs_for(index: &Value, word: &str) -> Vec<(String, u64)> {
    word_at(index, word).map_or_else(Vec::new, |i| {
        decode(&index["postings"][i])
            .into_iter()
            .map(|(d, w)| (d.to_string(), w))
            .collect()
    })
}

fn has(index: &Value, word: &str, doc: &str) -> bool {
    refs_for(index, word).iter().any(|(d, _)| d == doc)
}

/// The documents whose context (journey › stage) holds the word.
fn context_refs(index: &Value, word: &str) -> Vec<String> {
    let Some(i) = word_at(index, word) else {
        return Vec::new();
    };
    let targets: Vec<u64> = decode(&index["context"][i])
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    index["docs"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, d)| targets.contains(&d[3].as_u64().unwrap()))
        .map(|(i, _)| i.to_string())
        .collect()
}

/// Every document as the search page shows it: kind, url, title, context, excerpt.
fn docs(index: &Value) -> Vec<Value> {
    index["docs"]
        .as_array()
        .expect("docs")
        .iter()
        .map(|d| {
            let target = &index["targets"][d[3].as_u64().unwrap() as usize];
            serde_json::json!({
                "kind": index["kinds"][d[0].as_u64().unwrap() as usize],
                "title": d[1],
                "excerpt": d[2],
                "url": target[0],
                "context": target[1],
            })
        })
        .collect()
}

fn doc(index: &Value, title: &str) -> (String, Value) {
    let docs = docs(index);
    let i = docs
        .iter()
        .position(|d| d["title"] == title)
        .unwrap_or_else(|| panic!("no document titled {title:?}"));
    (i.to_string(), docs[i].clone())
}

#[test]
fn the_index_holds_steps_personas_and_the_rest() {
    let files = site();
    let index = index(&files);
    assert_eq!(index["version"], 2);

    let (step_ref, step) = doc(&index, "Compares two tents side by side");
    assert_eq!(step["kind"], "step");
    assert_eq!(
        step["url"],
        "journeys/retail/tent/index.html#stage-comparacion"
    );
    assert_eq!(step["context"], "Buying a tent › Comparación");
    // A word only the step's thought has finds the step, with the weight of the text.
    assert_eq!(refs_for(&index, "headroom"), [(step_ref.clone(), 1)]);
    // Words of the title are indexed stemmed (`compares` → `compar`) and weigh more.
    assert!(refs_for(&index, "compar").contains(&(step_ref.clone(), 3)));
    // The stage name is folded: `Comparación` is found as `comparacion`, for every
    // document of the stage.
    assert!(context_refs(&index, "comparacion").contains(&step_ref));
    assert!(!has(&index, "comparacion", &step_ref));

    let (persona_ref, persona) = doc(&index, "Zoë Achterberg");
    assert_eq!(persona["kind"], "persona");
    assert_eq!(persona["url"], "personas/zoe/index.html");
    assert_eq!(
        persona["excerpt"],
        "Weekend camper · “I just want to stay dry.”"
    );
    // Her name is the persona's title; the journey she walks has it in its text.
    assert_eq!(
        refs_for(&index, "zoe"),
        [("0".to_string(), 1), (persona_ref.clone(), 3)]
    );
    assert!(has(&index, "jargon", &persona_ref));
    // Stop words are not indexed.
    assert!(refs_for(&index, "the").is_empty());

    let kinds: Vec<String> = docs(&index)
        .iter()
        .map(|d| d["kind"].as_str().unwrap().to_string())
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
    assert!(has(&index, "waterproof", &journey_ref));
    let (page_ref, page) = doc(&index, "Glossary");
    assert_eq!(page["url"], "guides/glossary/index.html");
    assert!(has(&index, "hydrostat", &page_ref));
    // Words are sorted as the browser compares strings, for its binary search.
    let words: Vec<&str> = index["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    let mut sorted = words.clone();
    sorted.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    assert_eq!(words, sorted);
}

#[test]
fn every_result_links_to_a_page_that_exists() {
    let files = site();
    let index = index(&files);
    for d in &docs(&index) {
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
    let text = common::text(&files, "search/index.js");
    assert!(!text.contains("</script>") && !text.contains("<b>"));
    let index = index(&files);
    let (_, step) = doc(&index, "Pays at the till </script><b>bold</b>");
    assert_eq!(step["kind"], "step");
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
    for file in ["search/index.js", "search/index.html"] {
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
