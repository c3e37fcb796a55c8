//! The cross-journey pages of a built site (`tests/fixtures/portfolio`): the pain point
//! and opportunity tables with their filters, the CSV files, the tag pages and the
//! channel pages; the pages pass the Nu validator.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use scraper::{ElementRef, Html, Selector};

fn site() -> BTreeMap<String, Vec<u8>> {
    common::render(&common::fixture("portfolio"))
}

fn page(files: &BTreeMap<String, Vec<u8>>, path: &str) -> Html {
    Html::parse_document(&common::text(files, path))
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e:?}"));
    doc.select(&selector).collect()
}

fn text(el: &ElementRef<'_>) -> String {
    el.text().collect::<String>().trim().to_string()
}

/// The values of a `<select>`'s options, the empty "all" option first.
fn options(doc: &Html, css: &str) -> Vec<String> {
    select(doc, &format!("{css} option"))
        .iter()
        .map(|o| o.attr("value").unwrap_or_default().to_string())
        .collect()
}

/// The `<main>` element of a page, for snapshots that do not depend on the header.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>") + "</main>".len();
    &html[start..end]
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn the_pains_page_lists_every_pain_with_its_place() {
    let files = site();
    let doc = page(&files, "pains/index.html");

    let rows = select(&doc, "#pains-table tbody tr");
    assert_eq!(rows.len(), 7);
    let severities: Vec<&str> = rows
        .iter()
        .map(|r| r.attr("data-severity").unwrap())
        .collect();
    assert_eq!(
        severities,
        ["critical", "high", "none", "medium", "low", "high", "none"],
        "rows keep the site's order: journeys by slug, then stages and steps"
    );
    let first = &rows[0];
    assert_eq!(first.attr("data-journey"), Some("retail/online-order"));
    assert_eq!(first.attr("data-stage"), Some("Discovery"));
    let links: Vec<&str> = first
        .select(&Selector::parse("a").unwrap())
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert_eq!(
        links,
        [
            "../journeys/retail/online-order/index.html",
            "../journeys/retail/online-order/index.html#stage-discovery"
        ]
    );
    let cells: Vec<String> = first
        .select(&Selector::parse("td").unwrap())
        .map(|c| text(&c))
        .collect();
    assert_eq!(
        cells,
        [
            "Specs are impossible to compare",
            "critical",
            "Ordering online",
            "Discovery",
            "Searches for a light laptop"
        ]
    );
    // Severity sorts by rank, not by name.
    let ranks: Vec<&str> = select(&doc, "#pains-table tbody td[data-sort-value]")
        .iter()
        .step_by(2)
        .map(|c| c.attr("data-sort-value").unwrap())
        .collect();
    assert_eq!(ranks, ["4", "3", "0", "2", "1", "3", "0"]);

    // The filters: a form hidden until the script shows it, one select per facet.
    let form = &select(&doc, "form.filters#pains-filters")[0];
    assert!(
        form.attr("hidden").is_some(),
        "no filters without JavaScript"
    );
    assert_eq!(
        options(&doc, "#pains-filters select[name=journey]"),
        ["", "retail/online-order", "store-return"]
    );
    assert_eq!(
        options(&doc, "#pains-filters select[name=stage]"),
        ["", "Discovery", "Purchase", "Aftercare"]
    );
    assert_eq!(
        options(&doc, "#pains-filters select[name=severity]"),
        ["", "critical", "high", "medium", "low", "none"]
    );
    assert_eq!(
        select(&doc, "#pains-filters input[type=search][name=q]").len(),
        1
    );
    let sorts: Vec<&str> = select(&doc, "#pains-table th[scope=col] button[type=button]")
        .iter()
        .map(|b| b.attr("data-sort").unwrap())
        .collect();
    assert_eq!(sorts, ["text", "severity", "journey", "stage", "step"]);
    let count = &select(&doc, "p#pains-count[aria-live=polite]")[0];
    assert_eq!(text(count), "7 of 7 pain points");

    let html = common::text(&files, "pains/index.html");
    assert!(html.contains(r#"<script src="../assets/js/tables.js" defer></script>"#));
    assert!(html.contains(r#"href="../data/pains.csv""#));
    assert!(files.contains_key("assets/js/tables.js"));
}

#[test]
fn pain_text_is_text() {
    let files = site();
    let html = common::text(&files, "pains/index.html");
    assert!(html.contains(
        "&lt;script&gt;alert(&#39;pain&#39;)&lt;/script&gt; &quot;quoted&quot;, with a comma"
    ));
    let doc = Html::parse_document(&html);
    for script in select(&doc, "script") {
        assert!(
            !text(&script).contains("alert"),
            "content became a script: {}",
            script.html()
        );
    }
}

#[test]
fn pains_page_snapshot() {
    let files = site();
    let html = common::text(&files, "pains/index.html");
    insta::assert_snapshot!("pains_page", main_of(&html));
}

#[test]
fn the_opportunities_page_has_owner_priority_and_status() {
    let files = site();
    let doc = page(&files, "opportunities/index.html");
    let rows = select(&doc, "#opportunities-table tbody tr");
    assert_eq!(rows.len(), 5);
    let attrs: Vec<[&str; 3]> = rows
        .iter()
        .map(|r| {
            [
                r.attr("data-owner").unwrap(),
                r.attr("data-priority").unwrap(),
                r.attr("data-status").unwrap(),
            ]
        })
        .collect();
    assert_eq!(
        attrs,
        [
            ["Web team", "high", "planned"],
            ["@data", "low", "none"],
            ["Checkout squad", "none", "in progress"],
            ["none", "none", "none"],
            ["Web team", "medium", "idea"],
        ]
    );
    assert_eq!(
        options(&doc, "#opportunities-filters select[name=owner]"),
        ["", "@data", "Checkout squad", "Web team", "none"]
    );
    assert_eq!(
        options(&doc, "#opportunities-filters select[name=priority]"),
        ["", "high", "medium", "low", "none"]
    );
    assert_eq!(
        options(&doc, "#opportunities-filters select[name=status]"),
        ["", "idea", "in progress", "planned", "none"]
    );
    for name in ["journey", "stage"] {
        assert_eq!(
            select(&doc, &format!("#opportunities-filters select[name={name}]")).len(),
            1
        );
    }
    let sorts: Vec<&str> = select(&doc, "#opportunities-table th[scope=col] button")
        .iter()
        .map(|b| b.attr("data-sort").unwrap())
        .collect();
    assert_eq!(
        sorts,
        [
            "text", "owner", "priority", "status", "journey", "stage", "step"
        ]
    );
    assert_eq!(
        text(&select(&doc, "#opportunities-count")[0]),
        "5 of 5 opportunities"
    );
    assert!(common::text(&files, "opportunities/index.html").contains("../data/opportunities.csv"));
}

#[test]
fn csv_files_are_quoted_and_never_start_a_formula() {
    let files = site();
    let pains = &files["data/pains.csv"];
    assert!(pains.starts_with(b"journey,journey_title,stage,step,action,pain,severity\r\n"));
    let rows = csv_rows(pains);
    assert_eq!(rows.len(), 8);
    assert_eq!(
        rows[1],
        [
            "retail/online-order",
            "Ordering online",
            "Discovery",
            "1",
            "Searches for a light laptop",
            "Specs are impossible to compare",
            "critical"
        ]
    );
    assert_eq!(rows[3][6], "", "a missing severity is an empty cell");
    assert_eq!(
        rows[4][5],
        "<script>alert('pain')</script> \"quoted\", with a comma"
    );
    assert_eq!(rows[5][5], "'-20% code rejected\nat checkout");
    assert_eq!(rows[7][0], "store-return");
    assert_eq!(rows[7][3], "2", "the step's number in its journey");

    let opportunities = &files["data/opportunities.csv"];
    let rows = csv_rows(opportunities);
    assert_eq!(
        rows[0],
        [
            "journey",
            "journey_title",
            "stage",
            "step",
            "action",
            "opportunity",
            "owner",
            "priority",
            "status"
        ]
    );
    assert_eq!(rows.len(), 6);
    assert_eq!(
        rows[2][5],
        "'=HYPERLINK(\"https://evil.example\", \"Click\")"
    );
    assert_eq!(rows[2][6], "'@data");
    assert_eq!(rows[3][6..], ["Checkout squad", "", "in progress"]);
    assert_eq!(rows[4][6..], ["", "", ""]);

    // Linked from every page's footer.
    let home = common::text(&files, "index.html");
    assert!(home.contains(r#"href="data/pains.csv""#));
    assert!(home.contains(r#"href="data/opportunities.csv""#));
}

#[test]
fn tags_have_pages_and_fold_to_one_slug() {
    let files = site();
    let doc = page(&files, "tags/index.html");
    let tags: Vec<(String, String, String)> = select(&doc, ".tag-list li")
        .iter()
        .map(|li| {
            let a = li.select(&Selector::parse("a").unwrap()).next().unwrap();
            let count = li
                .select(&Selector::parse(".tag-count").unwrap())
                .next()
                .unwrap();
            (a.attr("href").unwrap().to_string(), text(&a), text(&count))
        })
        .collect();
    let expect = |href: &str, name: &str, count: &str| {
        (href.to_string(), name.to_string(), count.to_string())
    };
    assert_eq!(
        tags,
        [
            expect("../tags/b2c/index.html", "#b2c", "3 journeys"),
            expect("../tags/retail/index.html", "#Retail", "1 journey"),
            expect(
                "../tags/self-service/index.html",
                "#Self-service",
                "1 journey"
            ),
            expect("../tags/x-21-21-21/index.html", "#!!!", "1 journey"),
        ]
    );

    // `B2C` and `b2c` share one page, with their journeys as cards, named as most of
    // them write it.
    let tag_pages: Vec<&str> = files
        .keys()
        .filter(|p| p.starts_with("tags/"))
        .map(String::as_str)
        .collect();
    assert_eq!(
        tag_pages,
        [
            "tags/b2c/index.html",
            "tags/index.html",
            "tags/retail/index.html",
            "tags/self-service/index.html",
            "tags/x-21-21-21/index.html"
        ]
    );
    let b2c = page(&files, "tags/b2c/index.html");
    assert_eq!(text(&select(&b2c, "h1")[0]), "#b2c");
    let cards: Vec<String> = select(&b2c, ".journey-card h2 a")
        .iter()
        .map(|a| format!("{} {}", text(a), a.attr("href").unwrap()))
        .collect();
    assert_eq!(
        cards,
        [
            "A narrative without stages ../../journeys/narrative/index.html",
            "Ordering online ../../journeys/retail/online-order/index.html",
            "Returning an item in store ../../journeys/store-return/index.html"
        ]
    );
    assert!(common::text(&files, "tags/b2c/index.html").contains("Written as #B2C, #b2c."));

    // The overview's tags lead to these pages, the one without letters too.
    let home = page(&files, "index.html");
    let home_tags: Vec<&str> = select(&home, "a[href^='tags/']")
        .iter()
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert!(
        home_tags.contains(&"tags/x-21-21-21/index.html"),
        "{home_tags:?}"
    );
    for href in home_tags {
        assert!(files.contains_key(href), "{href} on the overview");
    }

    // Tags on a journey page and on its cards link to their pages.
    let journey = page(&files, "journeys/store-return/index.html");
    let links: Vec<&str> = select(&journey, "a.badge.tag")
        .iter()
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert_eq!(
        links,
        [
            "../../tags/b2c/index.html",
            "../../tags/self-service/index.html",
            "../../tags/x-21-21-21/index.html"
        ]
    );
    let index = page(&files, "journeys/index.html");
    assert!(
        select(&index, ".journey-card .badge.tag a")
            .iter()
            .any(|a| a.attr("href") == Some("../tags/retail/index.html"))
    );
}

#[test]
fn heat_map_cells_link_to_the_steps_of_their_channel() {
    let files = site();
    let doc = page(&files, "channels/index.html");
    let cells: Vec<String> = select(&doc, "table.matrix tbody a")
        .iter()
        .map(|a| a.attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        cells,
        [
            "../channels/in-store/index.html",
            "../channels/in-store/index.html#stage-purchase",
            "../channels/website/index.html",
            "../channels/website/index.html#stage-discovery",
            "../channels/website/index.html#stage-purchase",
            "../channels/website/index.html#stage-aftercare",
        ]
    );

    let web = page(&files, "channels/website/index.html");
    assert_eq!(text(&select(&web, "h1")[0]), "Website");
    let stages: Vec<(&str, usize)> = select(&web, "section.channel-stage")
        .iter()
        .map(|s| {
            (
                s.attr("id").unwrap(),
                s.select(&Selector::parse("li").unwrap()).count(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            ("stage-discovery", 1),
            ("stage-purchase", 1),
            ("stage-aftercare", 1)
        ]
    );
    let step_links: Vec<&str> = select(&web, ".channel-steps a")
        .iter()
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert_eq!(
        step_links,
        [
            "../../journeys/retail/online-order/index.html#stage-discovery",
            "../../journeys/retail/online-order/index.html#stage-purchase",
            "../../journeys/store-return/index.html#stage-aftercare"
        ]
    );
}

#[test]
fn the_lists_are_in_the_navigation_and_the_sitemap() {
    let files = site();
    let doc = page(&files, "journeys/index.html");
    let nav: Vec<String> = select(&doc, "header nav a").iter().map(text).collect();
    let channels = nav.iter().position(|t| t == "Channels").unwrap();
    assert_eq!(
        nav[channels + 1..channels + 3],
        ["Pain points", "Opportunities"]
    );
    let sitemap = common::text(&files, "sitemap.xml");
    for dir in [
        "pains/",
        "opportunities/",
        "tags/",
        "tags/b2c/",
        "channels/website/",
    ] {
        assert!(
            sitemap.contains(&format!(
                "<loc>https://cx.example.com/portfolio/{dir}</loc>"
            )),
            "{dir} in the sitemap"
        );
    }
}

#[test]
fn a_site_without_pains_or_tags_says_so() {
    let files = common::render(&common::fixture("basic"));
    assert!(common::text(&files, "tags/index.html").contains("tags/retail/index.html"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cxmap.toml"), "title = \"Empty\"\n").unwrap();
    let files = common::render(dir.path());
    for (path, says) in [
        ("pains/index.html", "No pain points yet."),
        ("opportunities/index.html", "No opportunities yet."),
        ("tags/index.html", "No journey has tags yet."),
    ] {
        let html = common::text(&files, path);
        assert!(html.contains(says), "{path}");
        assert!(!html.contains("<table"), "{path}: no empty table");
    }
    assert_eq!(
        common::text(&files, "data/pains.csv"),
        "journey,journey_title,stage,step,action,pain,severity\r\n"
    );
}

#[test]
fn the_portfolio_fixture_validates() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("portfolio");
    let outcome = cxmap::build(&common::fixture("portfolio"), Some(&out)).unwrap();
    assert!(
        outcome.diagnostics.all().is_empty(),
        "{}",
        outcome.diagnostics.render(false)
    );
    let status = Command::new(manifest.join("scripts/validate-html"))
        .arg(&out)
        .status()
        .expect("scripts/validate-html runs (install with scripts/setup)");
    assert!(status.success(), "the Nu validator found errors");
}

/// A site of 30 journeys with 4 steps each on the web in one stage, journey `i`'s
/// steps scored `(i + k) % 5 + 1`.
fn busy_channel(dir: &Path) {
    std::fs::create_dir_all(dir.join("journeys")).unwrap();
    std::fs::write(dir.join("cxmap.toml"), "title = \"Atlas\"\n").unwrap();
    for i in 0..30 {
        let steps: String = (0..4)
            .map(|k| {
                format!(
                    "  [[stages.steps]]\n  action = \"Step {i:02}-{k}\"\n  channel = \"web\"\n  emotion = {}\n\n",
                    (i + k) % 5 + 1
                )
            })
            .collect();
        std::fs::write(
            dir.join(format!("journeys/j{i:02}.md")),
            format!(
                "+++\ntitle = \"Journey {i:02}\"\n\n[[stages]]\nname = \"Buy\"\n\n{steps}+++\n"
            ),
        )
        .unwrap();
    }
}

#[test]
fn a_busy_channel_lists_the_lowest_scored_steps_of_a_stage_and_counts_them_all() {
    let dir = tempfile::tempdir().unwrap();
    busy_channel(dir.path());
    let files = common::render(dir.path());
    let doc = page(&files, "channels/web/index.html");
    let steps = select(&doc, ".channel-steps > li .action");
    assert_eq!(steps.len(), cxmap::render::portfolio::CHANNEL_STEPS);
    let heading = select(&doc, ".channel-stage h2");
    assert!(
        text(&heading[0]).contains("120 steps"),
        "{}",
        text(&heading[0])
    );
    let more = select(&doc, ".channel-stage .more");
    assert_eq!(
        text(&more[0]),
        "The 100 lowest-scored of these 120 steps; the heat map and the pain points count them all."
    );
    // 24 steps of each score 1 to 5: all the 1s, 2s, 3s and 4s and four 5s, lowest
    // first; among equals, in site order.
    let emotions: Vec<String> = select(&doc, ".channel-steps > li .emotion")
        .iter()
        .map(|e| text(e)[..1].to_string())
        .collect();
    let mut sorted = emotions.clone();
    sorted.sort();
    assert_eq!(emotions, sorted);
    assert_eq!(emotions.iter().filter(|e| *e == "5").count(), 4);
    assert_eq!(text(&steps[0]), "Step 00-0");
}
