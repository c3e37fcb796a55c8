//! CSV: the one writer of the portfolio's tables, `data/pains.csv` and
//! `data/opportunities.csv` (rows from [`super::portfolio`]) and `journeys.csv`
//! (`cxmap export --format csv`, rows from [`journeys`]).
//!
//! In: a header and rows of cells. Out: bytes, a header line first, CRLF line ends (what
//! spreadsheets expect), quoting by the `csv` crate. Every text cell goes through
//! [`cell`], so a cell written by a user is never run as a formula by a spreadsheet;
//! closed sets are written as their frontmatter keys ([`key`]).
//!
//! It lives in `render` because its files are public formats rendered from the site,
//! as `data/journeys.json` is ([`super::data`]); `export` is a command on top of it.

use crate::error::{Error, Result};
use crate::model::Journey;

/// A CSV file: `header`, then one line per row.
pub fn file<R: AsRef<[String]>>(header: &[&str], rows: impl Iterator<Item = R>) -> Result<Vec<u8>> {
    let failed = |e: &dyn std::fmt::Display| Error::Export {
        message: format!("the CSV cannot be written: {e}"),
    };
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header).map_err(|e| failed(&e))?;
    for row in rows {
        w.write_record(row.as_ref()).map_err(|e| failed(&e))?;
    }
    w.into_inner().map_err(|e| failed(&e))
}

/// A text cell that a spreadsheet will not run as a formula: a leading `=`, `+`, `-`,
/// `@`, tab or carriage return gets an apostrophe in front.
pub fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The key of a closed-set value (`high`), as written in frontmatter.
pub fn key<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The columns of `journeys.csv`.
pub const JOURNEYS_COLUMNS: [&str; 10] = [
    "journey",
    "stage",
    "step",
    "action",
    "touchpoint",
    "channel",
    "emotion",
    "thought",
    "pains",
    "opportunities",
];

/// `journeys.csv`: one row per step, the journey's slug, the stage's name, the step's
/// number in the journey (from 1), then the step's fields. Several pains or
/// opportunities share a cell, one per line, with severity, priority and owner in
/// brackets as on the map.
pub fn journeys(journeys: &[&Journey]) -> Result<Vec<u8>> {
    let rows = journeys.iter().flat_map(|j| {
        j.steps()
            .enumerate()
            .map(move |(n, (stage, step))| step_row(j, n, &j.stages[stage].name, step))
    });
    file(&JOURNEYS_COLUMNS, rows)
}

/// The row of `journeys.csv` for the `n`th step (from 0) of journey `j`.
fn step_row(j: &Journey, n: usize, stage: &str, step: &crate::model::Step) -> [String; 10] {
    let channel = step
        .channel_label
        .clone()
        .or_else(|| step.channel.clone())
        .unwrap_or_default();
    let pains: Vec<String> = step
        .pains
        .iter()
        .map(|p| match p.severity {
            Some(s) => format!("{} [{}]", p.text, key(&s)),
            None => p.text.clone(),
        })
        .collect();
    let opportunities: Vec<String> = step
        .opportunities
        .iter()
        .map(|o| {
            let mut meta = Vec::new();
            if let Some(p) = o.priority {
                meta.push(key(&p));
            }
            if let Some(owner) = &o.owner {
                meta.push(owner.clone());
            }
            if meta.is_empty() {
                o.text.clone()
            } else {
                format!("{} [{}]", o.text, meta.join(" · "))
            }
        })
        .collect();
    [
        cell(&j.id.0),
        cell(stage),
        (n + 1).to_string(),
        cell(&step.action),
        cell(step.touchpoint.as_deref().unwrap_or_default()),
        cell(&channel),
        step.emotion.map(|e| e.to_string()).unwrap_or_default(),
        cell(step.thought.as_deref().unwrap_or_default()),
        cell(&pains.join("\n")),
        cell(&opportunities.join("\n")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_never_start_a_formula() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-20% off"), "'-20% off");
        assert_eq!(cell("Pays with her card"), "Pays with her card");
    }

    #[test]
    fn a_file_is_a_header_and_crlf_rows() {
        let rows = [vec!["a,b".to_string(), cell("=1")]];
        let bytes = file(&["x", "y"], rows.iter()).unwrap();
        assert_eq!(bytes, b"x,y\r\n\"a,b\",'=1\r\n");
    }
}
