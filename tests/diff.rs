//! `cxmap diff`: what changed between two sites, in journey terms. One fixture per kind
//! of change under `tests/fixtures/diff/<case>/{before,after}`.

mod common;

use std::process::Command;

use cxmap::diff::{self, Changes, JourneyChange};
use cxmap::model::Site;

fn site(case: &str, side: &str) -> Site {
    let root = common::fixture("diff").join(case).join(side);
    let outcome = cxmap::check(&root).expect("check");
    assert!(
        !outcome.diagnostics.has_errors(),
        "{}",
        outcome.diagnostics.render(false)
    );
    outcome.site.expect("site")
}

fn changes(case: &str) -> Changes {
    diff::sites(&site(case, "before"), &site(case, "after"))
}

/// The text rendering, one line per statement.
fn lines(case: &str) -> Vec<String> {
    changes(case)
        .to_text()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn identical_sites_have_no_changes() {
    for case in ["many", "personas", "stages"] {
        for side in ["before", "after"] {
            let s = site(case, side);
            let c = diff::sites(&s, &s);
            assert!(c.is_empty(), "{case}/{side}: {c:?}");
            assert_eq!(c.to_text(), "no changes to the maps\n");
            assert_eq!(c.to_markdown(), "No changes to the maps.\n");
        }
    }
}

#[test]
fn journeys_added_and_removed_and_unchanged_ones_not_mentioned() {
    assert_eq!(
        lines("journeys"),
        [
            "journey “Opening an account” (new)",
            "  journey added",
            "journey “Calling support” (old)",
            "  journey removed",
        ]
    );
}

#[test]
fn a_journey_under_a_new_slug_is_renamed_by_title_or_by_content() {
    assert_eq!(
        lines("renamed"),
        [
            "journey “Returning an item” (retail/returns)",
            "  renamed from `returns`",
            "journey “Making a warranty claim” (warranty-claim)",
            "  renamed from `claim`",
            "  title “Claiming” → “Making a warranty claim”",
        ]
    );
}

#[test]
fn title_and_state() {
    assert_eq!(
        lines("title-state"),
        [
            "journey “Paying a bill online” (bill)",
            "  title “Paying a bill” → “Paying a bill online”",
            "  state current → future",
        ]
    );
}

#[test]
fn stages_added_removed_and_reordered() {
    assert_eq!(
        lines("stages"),
        [
            "journey “Paying a bill” (bill)",
            "  stage “Chat” added",
            "  stage “Wait” removed",
            "  stages reordered: “Notice”, “Call” → “Call”, “Notice”",
            "  step “Chats with an agent” added to “Chat”",
            "  step “Waits for the refund” removed from “Wait”",
        ]
    );
}

#[test]
fn stages_renamed_under_the_same_id_or_at_the_same_place_with_the_same_steps() {
    assert_eq!(
        lines("stage-renamed"),
        [
            "journey “Paying a bill” (bill)",
            "  stage “Notice” renamed to “Becoming aware”",
            "  stage “Pay” renamed to “Payment”",
        ]
    );
}

#[test]
fn steps_added_removed_moved_and_reworded() {
    assert_eq!(
        lines("steps"),
        [
            "journey “Paying a bill” (bill)",
            "  step “Compares with last month” added to “Notice”",
            "  step “Files the letter” in “Notice” now reads “Puts the letter away”",
            "  step “Checks the amount” moved from “Notice” to “Pay”",
            "  step “Logs in” removed from “Pay”",
        ]
    );
}

#[test]
fn emotion_up_down_and_newly_set() {
    assert_eq!(
        lines("emotion"),
        [
            "journey “Paying a bill” (bill)",
            "  emotion 2 → 4 ↑ at “Reads the bill” (“Notice”)",
            "  emotion 4 → 3 ↓ at “Checks the amount” (“Notice”)",
            "  emotion — → 1 at “Calls the bank” (“Notice”)",
        ]
    );
    let c = changes("emotion");
    assert_eq!(
        c.journeys[0].changes[0],
        JourneyChange::Emotion {
            stage: "Notice".into(),
            step: "Reads the bill".into(),
            from: Some(2),
            to: Some(4),
        }
    );
}

#[test]
fn pains_added_and_resolved() {
    assert_eq!(
        lines("pains"),
        [
            "journey “Paying a bill” (bill)",
            "  pain added at “Reads the bill” (“Notice”): “No due date”",
            "  pain resolved at “Reads the bill” (“Notice”): “Jargon everywhere”",
        ]
    );
}

#[test]
fn opportunities_added_changed_and_removed() {
    assert_eq!(
        lines("opportunities"),
        [
            "journey “Paying a bill” (bill)",
            "  opportunity “Plain-language bill” at “Reads the bill” (“Notice”): `owner` “Billing” → “Content team”",
            "  opportunity “Plain-language bill” at “Reads the bill” (“Notice”): `priority` “low” → “high”",
            "  opportunity “Plain-language bill” at “Reads the bill” (“Notice”): `status` “idea” → “planned”",
            "  opportunity added at “Reads the bill” (“Notice”): “Due-date reminder”",
            "  opportunity removed at “Reads the bill” (“Notice”): “Paper bill by default”",
        ]
    );
}

#[test]
fn touchpoint_and_channel_by_its_label() {
    assert_eq!(
        lines("touchpoints"),
        [
            "journey “Paying a bill” (bill)",
            "  touchpoint “Paper letter” → “Email” at “Reads the bill” (“Notice”)",
            "  channel “Phone” → “Website” at “Reads the bill” (“Notice”)",
        ]
    );
}

#[test]
fn personas_added_removed_and_fields_changed() {
    assert_eq!(
        lines("personas"),
        [
            "persona “Ana Silva” (ana)",
            "  persona added",
            "persona “María Puig” (maria)",
            "  `role` “Freelance designer” → “Freelance designer, 34”",
            "  `kind` — → “research”",
            "  `goals`: added “Spend less time on admin”",
            "  `empathy.feels`: added “Relieved”; removed “Anxious”",
            "persona “Tom Berg” (tom)",
            "  persona removed",
        ]
    );
}

#[test]
fn many_changes_as_a_pull_request_comment() {
    insta::assert_snapshot!("diff_many_markdown", changes("many").to_markdown());
}

#[test]
fn json_names_each_kind_of_change() {
    let json = serde_json::to_value(changes("renamed")).unwrap();
    assert_eq!(json["journeys"][0]["journey"], "retail/returns");
    assert_eq!(json["journeys"][0]["changes"][0]["kind"], "journey-renamed");
    assert_eq!(json["journeys"][0]["changes"][0]["from"], "returns");
    assert_eq!(json["personas"], serde_json::json!([]));
}

#[test]
fn diffing_the_same_site_twice_gives_the_same_bytes() {
    let a = changes("many");
    let b = changes("many");
    assert_eq!(a.to_markdown(), b.to_markdown());
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
}

fn cxmap(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cxmap"))
        .args(args)
        .current_dir(common::fixture("diff"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run cxmap")
}

#[test]
fn the_command_prints_each_format_on_stdout() {
    let out = cxmap(&[
        "diff",
        "--before",
        "pains/before",
        "--after",
        "pains/after",
        "--format",
        "markdown",
    ]);
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("## What changed in the maps\n"), "{md}");
    assert!(md.contains("- Pain resolved at “Reads the bill”"), "{md}");

    let out = cxmap(&[
        "diff",
        "--before",
        "pains/before",
        "--after",
        "pains/after",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["journeys"][0]["changes"][1]["kind"], "pain-resolved");

    let out = cxmap(&["diff", "--before", "pains/after", "--after", "pains/after"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "no changes to the maps\n"
    );
}

#[test]
fn content_errors_in_either_site_are_reported_and_exit_1() {
    let out = cxmap(&[
        "diff",
        "--before",
        "broken/before",
        "--after",
        "broken/after",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("in the --after site:"), "{err}");
    assert!(err.contains("emotion `9` is out of range"), "{err}");
    let out = cxmap(&[
        "diff",
        "--before",
        "broken/after",
        "--after",
        "broken/before",
    ]);
    assert_eq!(out.status.code(), Some(1));
}
