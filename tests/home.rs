//! The home page: headline figures, maps due for review, journeys by tag.

mod common;

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
