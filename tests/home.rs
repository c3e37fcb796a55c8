//! The home page: headline figures, maps due for review, journeys by tag; a large
//! portfolio's states show their most recently changed maps and link to the rest.

mod common;

use std::path::Path;

#[test]
fn maps_older_than_stale_after_days_are_due_for_review() {
    let root = common::fixture("home");
    let site = cxmap::check(&root).unwrap().site.unwrap();
    let stale: Vec<&str> = site
        .journeys
        .iter()
        .filter(|j| j.stale)
        .map(|j| j.id.0.as_str())
        .collect();
    // 2026-01-01 is 243 days before the newest review (2026-09-01); a map never
    // reviewed has no date to judge.
    assert_eq!(stale, ["old"]);
    assert_eq!(
        site.content_date.map(|d| d.to_string()).as_deref(),
        Some("2026-09-01")
    );

    let files = common::render(&root);
    let home = common::text(&files, "index.html");
    assert!(home.contains("<dt>Due for review</dt><dd>1</dd>"), "{home}");
    assert_eq!(home.matches("badge stale").count(), 1, "{home}");
    let old = common::text(&files, "journeys/old/index.html");
    assert!(old.contains("Review due:"), "{old}");
    let fresh = common::text(&files, "journeys/fresh/index.html");
    assert!(!fresh.contains("Review due:"));
}

#[test]
fn tags_that_fold_together_count_once() {
    // `b2c` (fresh.md) and `B2C` (old.md) share a page; the first journey in slug order
    // names it.
    let files = common::render(&common::fixture("home"));
    let home = common::text(&files, "index.html");
    assert!(
        home.contains("href=\"tags/b2c/index.html\">#b2c <span class=\"count\">2</span>"),
        "{home}"
    );
    assert!(
        home.contains("href=\"tags/retail/index.html\">#Retail <span class=\"count\">1</span>"),
        "{home}"
    );
}

/// A site of `n` current-state journeys, journey `i` reviewed on day `i` of 2026.
fn site(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir.join("journeys")).unwrap();
    std::fs::write(dir.join("cxmap.toml"), "title = \"Atlas\"\n").unwrap();
    for i in 0..n {
        let day = i % 28 + 1;
        let month = i / 28 + 1;
        std::fs::write(
            dir.join(format!("journeys/j{i:02}.md")),
            format!(
                "+++\ntitle = \"Journey {i:02}\"\nreviewed = 2026-{month:02}-{day:02}\n\n[[stages]]\nname = \"Only\"\n\n  [[stages.steps]]\n  action = \"Acts\"\n  emotion = 3\n+++\n"
            ),
        )
        .unwrap();
    }
}

fn card_titles(home: &str) -> Vec<String> {
    home.split("class=\"card-title\">")
        .skip(1)
        .map(|card| {
            let after = &card[card.find('>').unwrap() + 1..];
            after[..after.find("</a>").unwrap()].to_string()
        })
        .collect()
}

#[test]
fn a_state_with_many_maps_shows_the_latest_changes_and_links_to_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path(), 30);
    let files = common::render(dir.path());
    let home = common::text(&files, "index.html");
    let titles = card_titles(&home);
    assert_eq!(titles.len(), cxmap::render::views::HOME_CARDS, "{titles:?}");
    // Newest review first: journeys 29 down to 6.
    let expected: Vec<String> = (6..30).rev().map(|i| format!("Journey {i:02}")).collect();
    assert_eq!(titles, expected);
    assert!(
        home.contains(
            "<p class=\"more\"><a href=\"journeys/index.html\">The 24 most recently changed of 30 · all journeys</a></p>"
        ),
        "{home}"
    );
    // The headline figures and the journey list still count every map.
    assert!(home.contains("<dd>30</dd>"));
    let list = common::text(&files, "journeys/index.html");
    assert_eq!(card_titles(&list).len(), 30);
}

#[test]
fn a_small_portfolio_shows_every_map_in_site_order() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path(), 5);
    let files = common::render(dir.path());
    let home = common::text(&files, "index.html");
    let expected: Vec<String> = (0..5).map(|i| format!("Journey {i:02}")).collect();
    assert_eq!(card_titles(&home), expected);
    assert!(!home.contains("class=\"more\""));
}
