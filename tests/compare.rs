//! A future-state map against its baseline: stage by stage, the change in emotion.

mod common;

use cxmap::diagram::{self, compare};

#[test]
fn stages_are_matched_by_id_and_the_change_is_future_minus_current() {
    let site = cxmap::check(&common::fixture("compare"))
        .unwrap()
        .site
        .unwrap();
    let today = &site.journeys[0];
    let tomorrow = &site.journeys[1];
    assert_eq!(
        (today.id.0.as_str(), tomorrow.id.0.as_str()),
        ("today", "tomorrow")
    );
    let rows = compare::rows(today, tomorrow);
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    // The future map's stages in order, then the stage only today's map has.
    assert_eq!(names, ["Notice", "Self-service", "Call"]);
    assert_eq!(rows[0].current, Some(2.5));
    assert_eq!(rows[0].delta(), Some(1.5));
    assert_eq!(rows[1].delta(), None);
    assert_eq!(rows[2].future, None);
    assert_eq!(rows[0].pains, (1, 0));
    let chart = diagram::compare(today, tomorrow, &diagram::Labels::default()).unwrap();
    insta::assert_snapshot!("compare_chart", diagram::svg::write(&chart));
}

#[test]
fn the_future_page_shows_the_comparison_and_both_pages_link_each_other() {
    let files = common::render(&common::fixture("compare"));
    let future = common::text(&files, "journeys/tomorrow/index.html");
    assert!(future.contains("Compared with the current state"));
    assert!(future.contains("<strong>+1.5</strong>"), "{future}");
    assert!(future.contains("class=\"cx-compare\""));
    assert!(future.contains("href=\"../../journeys/today/index.html\""));
    let current = common::text(&files, "journeys/today/index.html");
    assert!(current.contains("href=\"../../journeys/tomorrow/index.html\""));
    assert!(!current.contains("Compared with the current state"));
}
