//! Whole builds of fixture sites: page snapshots, escaping, build guarantees.

mod common;

use std::collections::BTreeMap;

#[test]
fn journey_page_snapshot() {
    let files = common::render(&common::fixture("basic"));
    insta::assert_snapshot!(
        "journey_page",
        common::text(&files, "journeys/order/index.html")
    );
    insta::assert_snapshot!(
        "journey_map_svg",
        common::text(&files, "journeys/order/map.svg")
    );
}

#[test]
fn persona_page_snapshot() {
    let files = common::render(&common::fixture("basic"));
    insta::assert_snapshot!(
        "persona_page",
        common::text(&files, "personas/maria/index.html")
    );
}

#[test]
fn output_tree_of_a_small_site() {
    let files = common::render(&common::fixture("basic"));
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    insta::assert_snapshot!("basic_tree", paths.join("\n"));
    let sitemap = common::text(&files, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://cx.example.com/atlas/journeys/order/</loc>"),
        "{sitemap}"
    );
    let not_found = common::text(&files, "404.html");
    assert!(
        not_found.contains("href=\"/atlas/assets/style.css\""),
        "{not_found}"
    );
    let data: serde_json::Value = serde_json::from_slice(&files["data/journeys.json"]).unwrap();
    assert_eq!(data["schema_version"], 1);
    assert_eq!(data["journeys"][0]["stages"][0]["steps"][0]["emotion"], 3);
}

#[test]
fn stage_sections_leave_the_narrative() {
    let files = common::render(&common::fixture("basic"));
    let page = common::text(&files, "journeys/order/index.html");
    let narrative_at = page.find("Narrative about the journey").unwrap();
    let section_at = page.find("She starts on her phone").unwrap();
    let stage_at = page.find("id=\"stage-discovery\"").unwrap();
    assert!(narrative_at < stage_at && stage_at < section_at);
}

#[test]
fn links_are_relative_and_nothing_comes_from_another_host() {
    for site in [
        common::fixture("basic"),
        common::example("retail"),
        common::example("clinic"),
    ] {
        let files = common::render(&site);
        for (path, bytes) in &files {
            // The 404 page is served at any depth; it uses the `base_url` path.
            if (!path.ends_with(".html") && !path.ends_with(".css")) || path == "404.html" {
                continue;
            }
            let text = String::from_utf8_lossy(bytes);
            for attr in [
                "href=\"/",
                "src=\"/",
                "url(/",
                "src=\"http",
                "url(http",
                "@import",
            ] {
                assert!(!text.contains(attr), "{path} has `{attr}`");
            }
            // Stylesheets and scripts are all local.
            for line in text.lines().filter(|l| {
                (l.contains("<link") && !l.contains("rel=\"canonical\"")) || l.contains("<script")
            }) {
                assert!(!line.contains("http"), "{path}: {line}");
            }
        }
    }
}

#[test]
fn hostile_links_to_etc_and_long_names_publish_nothing_and_break_nothing() {
    // The fixture's `static` and `templates` are links to `/etc`.
    let outcome = cxmap::render(&common::fixture("hostile")).unwrap();
    let warnings = outcome.diagnostics.render(false);
    for folder in ["static", "templates"] {
        assert!(warnings.contains(&format!("--> {folder}\n")), "{warnings}");
    }
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let first = passwd.lines().next().unwrap_or("root:x:0:0");
    let files = common::files_to_map(outcome.files);
    for (path, bytes) in &files {
        assert!(
            !path.contains("passwd") && !path.contains("shadow"),
            "{path}"
        );
        assert!(
            !String::from_utf8_lossy(bytes).contains(first),
            "{path} holds /etc/passwd"
        );
        // A 300-character tag, channel and channel label get file names the system takes.
        for part in path.split('/') {
            assert!(part.len() <= 110, "{path}: a {}-byte name", part.len());
        }
    }
    let tag_pages = files
        .keys()
        .filter(|p| p.starts_with("tags/contact-centre-callback-queue"))
        .count();
    assert_eq!(tag_pages, 2, "each long tag has its own page");
    assert!(
        files
            .keys()
            .any(|p| p.starts_with("channels/contact-centre-callback-queue"))
    );
}

#[test]
fn hostile_site_with_a_billion_laughs_file_is_one_located_error_in_a_moment() {
    // The hostile fixture with the YAML alias bomb saved into it: `check` answers at
    // once with one error at the bomb, and the rest of the site is still checked.
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("hostile"), dir.path());
    let bomb = common::fixture("diagnostics/yaml-billion-laughs").join("journeys/bomb.md");
    std::fs::copy(bomb, dir.path().join("journeys/bomb.md")).unwrap();
    let started = std::time::Instant::now();
    let outcome = cxmap::check(dir.path()).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let errors: Vec<_> = outcome
        .diagnostics
        .all()
        .iter()
        .filter(|d| d.severity == cxmap::diag::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{}", outcome.diagnostics.render(false));
    assert!(errors[0].file.ends_with("journeys/bomb.md"));
    let site = outcome.site.expect("the rest is read");
    assert!(site.journeys.iter().any(|j| j.id.0 == "long-names"));
}

#[test]
fn hostile_content_is_escaped_everywhere() {
    let files = common::render(&common::fixture("hostile"));
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            let doc = scraper::Html::parse_document(&text);
            for node in doc.tree.nodes() {
                let Some(el) = node.value().as_element() else {
                    continue;
                };
                if el.name() == "script" {
                    // Only the theme's own scripts: local files, and the theme toggle's
                    // one-line snippet in <head>.
                    let text: String = scraper::ElementRef::wrap(node)
                        .map(|e| e.text().collect())
                        .unwrap_or_default();
                    let src = el.attr("src");
                    let own_file =
                        src.is_some_and(|s| s.contains("assets/js/") && !s.contains(':'));
                    let own_snippet =
                        src.is_none() && text.contains("cx-theme") && !text.contains("alert");
                    assert!(
                        own_file || own_snippet,
                        "{path}: a script that is not the theme's: {text}"
                    );
                    continue;
                }
                assert_ne!(el.name(), "iframe", "{path}: an iframe");
                for (name, value) in el.attrs() {
                    assert!(!name.starts_with("on"), "{path}: event handler `{name}`");
                    assert!(
                        !value.to_lowercase().contains("javascript:"),
                        "{path}: `{name}={value}`"
                    );
                }
            }
            // Every <svg> is one of cxmap's diagrams (a class `cx-…`); content never
            // opens one of its own or breaks out of a diagram.
            for svg in doc.select(&scraper::Selector::parse("svg").unwrap()) {
                let class = svg.value().attr("class").unwrap_or_default();
                assert!(
                    class.starts_with("cx-"),
                    "{path}: content broke out of the diagram: <svg class=\"{class}\">"
                );
            }
        } else if path.ends_with(".svg") {
            let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            for node in doc.descendants().filter(|n| n.is_element()) {
                assert_ne!(node.tag_name().name(), "script", "{path}");
                assert!(
                    node.attributes().all(|a| !a.name().starts_with("on")),
                    "{path}"
                );
            }
        } else if path.ends_with(".json") {
            assert!(!text.contains('<'), "{path}: raw `<` in JSON");
            serde_json::from_str::<serde_json::Value>(&text).unwrap();
        }
    }
    let page = common::text(&files, "journeys/evil/index.html");
    assert!(
        page.contains("&lt;/svg&gt;&lt;script&gt;"),
        "the title is shown as text"
    );
    let persona = common::text(&files, "personas/x/index.html");
    assert!(
        persona.contains("{{ config.title }}"),
        "template syntax in content is not evaluated"
    );
}

#[test]
fn odd_files_build() {
    let files = common::render(&common::fixture("odd-files"));
    assert!(common::text(&files, "journeys/bom-crlf/index.html").contains("With a BOM and CRLF"));
    assert!(common::text(&files, "personas/yaml/index.html").contains("Yaml Person"));
}

#[test]
fn a_five_megabyte_file_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("basic"), dir.path());
    let big = format!(
        "+++\ntitle = \"Big\"\n+++\n{}",
        "A long paragraph of research notes. ".repeat(150_000)
    );
    assert!(big.len() > 5_000_000);
    std::fs::write(dir.path().join("journeys/big.md"), big).unwrap();
    let files = common::render(dir.path());
    assert!(files.contains_key("journeys/big/index.html"));
}

#[test]
fn same_input_same_bytes_whatever_the_thread_count() {
    let build = |threads: usize| -> BTreeMap<String, Vec<u8>> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| common::render(&common::example("retail")))
    };
    let one = build(1);
    let four = build(4);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        four.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(bytes == &four[path], "{path} differs between runs");
    }
}

#[test]
fn same_bytes_from_another_folder_and_file_order() {
    // Two copies outside any git repository (in this repository, pages would also show
    // the example's history, which its copies do not have).
    let dir = tempfile::tempdir().unwrap();
    let copies = ["site", "elsewhere/deeper/site"].map(|p| {
        let copy = dir.path().join(p);
        common::copy_dir(&common::example("clinic"), &copy);
        let _ = std::fs::remove_dir_all(copy.join("public"));
        copy
    });
    assert_eq!(common::render(&copies[0]), common::render(&copies[1]));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_dir(&common::fixture("basic"), &root);
    let out = dir.path().join("out");
    let ok = cxmap::build(&root, Some(&out)).unwrap();
    assert!(!ok.diagnostics.has_errors());
    let before = std::fs::read(out.join("journeys/order/index.html")).unwrap();

    std::fs::write(root.join("journeys/order.md"), "+++\ntitle = 3\n+++\n").unwrap();
    let failed = cxmap::build(&root, Some(&out)).unwrap();
    assert!(failed.diagnostics.has_errors());
    assert_eq!(
        std::fs::read(out.join("journeys/order/index.html")).unwrap(),
        before
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "no staging folder left behind: {names:?}");
}
