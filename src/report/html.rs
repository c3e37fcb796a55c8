//! The report as one self-contained HTML file (written by the HTML helper).

use super::Report;
use crate::error::Result;

/// The report as HTML.
pub fn write(report: &Report) -> Result<String> {
    Ok(format!(
        "<!DOCTYPE html><html lang=\"{}\"><title>{}</title></html>",
        report.lang,
        crate::html::escape(&report.title)
    ))
}
