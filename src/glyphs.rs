//! Characters that posters and report PDFs cannot draw.
//!
//! In: the linked [`Site`] and the site's font files (`fonts/`). Out: warnings, one
//! per field of a journey or persona that holds characters neither the bundled Inter
//! nor any site font has (they would print as empty boxes), naming the file, the
//! field by its key path (`stages[1].steps[0].action`) and the characters; and one per
//! font file that cannot be read. The site's own pages are not concerned (a browser
//! finds a font for every character), so nothing here is an error. `check` and `build`
//! both run it (`lib::read`); without site fonts and with text Inter has, it says
//! nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};
use crate::diagram::font::{self, SiteFonts};
use crate::model::{Journey, Persona, Site};

/// At most this many characters are listed in one warning; the rest are counted.
const SHOWN: usize = 8;

/// Warns of every field whose characters no font can draw, and of unreadable fonts.
pub fn check(site: &Site, font_files: &[(String, Vec<u8>)], diags: &mut Diagnostics) {
    let (fonts, problems) = SiteFonts::new(font_files);
    for p in problems {
        diags.push(p);
    }
    let mut coverage = Coverage {
        fonts: &fonts,
        known: BTreeMap::new(),
    };
    // A journey written in one language is in every language's lists: a file once.
    let mut seen = BTreeSet::new();
    for view in std::iter::once(site).chain(site.translations.iter()) {
        for j in &view.journeys {
            if seen.insert(j.source.clone()) {
                journey_fields(j, &mut |field, text| {
                    coverage.check(&j.source, field, text, diags);
                });
            }
        }
        for p in &view.personas {
            if seen.insert(p.source.clone()) {
                persona_fields(p, &mut |field, text| {
                    coverage.check(&p.source, field, text, diags);
                });
            }
        }
    }
}

/// Which characters some font has, asked once each.
struct Coverage<'a> {
    fonts: &'a SiteFonts,
    known: BTreeMap<char, bool>,
}

impl Coverage<'_> {
    fn drawable(&mut self, c: char) -> bool {
        // Latin and its extensions are Inter's: no lookup for the bulk of most text.
        if (c as u32) < 0x250 || is_invisible(c) {
            return true;
        }
        *self
            .known
            .entry(c)
            .or_insert_with(|| font::bundled_has(c) || self.fonts.covers(c))
    }

    fn check(
        &mut self,
        file: &Path,
        field: &dyn Fn() -> String,
        text: &str,
        diags: &mut Diagnostics,
    ) {
        let mut missing: Vec<char> = Vec::new();
        for c in text.chars() {
            if !self.drawable(c) && !missing.contains(&c) {
                missing.push(c);
            }
        }
        if missing.is_empty() {
            return;
        }
        let mut list: Vec<String> = missing
            .iter()
            .take(SHOWN)
            .map(|c| format!("{c} (U+{:04X})", *c as u32))
            .collect();
        if missing.len() > SHOWN {
            list.push(format!("and {} more", missing.len() - SHOWN));
        }
        diags.push(
            Diagnostic::warning(
                file,
                format!(
                    "`{}` has characters no font can draw in posters and report PDFs: {}",
                    field(),
                    list.join(", ")
                ),
            )
            .help(
                "the site's pages show them; for posters and PDFs put a font that has them \
                 into `fonts/` (`.ttf`, `.otf` or `.ttc`), e.g. the Noto Sans font of that script",
            ),
        );
    }
}

/// Characters that draw nothing: spaces, controls, joiners, direction marks, variation
/// selectors. No font needs a glyph for them.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{E0100}'..='\u{E01EF}')
}

/// Every text of a journey that posters and reports print, with its key path (made
/// only when a warning needs it: `serve` runs this on every save).
fn journey_fields(j: &Journey, each: &mut dyn FnMut(&dyn Fn() -> String, &str)) {
    each(&|| "title".to_string(), &j.title);
    opt(each, &|| "summary".to_string(), j.summary.as_deref());
    opt(each, &|| "scenario".to_string(), j.scenario.as_deref());
    opt(each, &|| "owner".to_string(), j.owner.as_deref());
    opt(each, &|| "status".to_string(), j.status.as_deref());
    list(each, &|| "tags".to_string(), &j.tags);
    for (i, s) in j.stages.iter().enumerate() {
        let at = || format!("stages[{i}]");
        each(&|| format!("{}.name", at()), &s.name);
        opt(each, &|| format!("{}.goal", at()), s.goal.as_deref());
        opt(each, &|| format!("{}.phase", at()), s.phase.as_deref());
        for (m, metric) in s.metrics.iter().enumerate() {
            let at = || format!("{}.metrics[{m}]", at());
            each(&|| format!("{}.name", at()), &metric.name);
            opt(each, &|| format!("{}.value", at()), metric.value.as_deref());
            opt(
                each,
                &|| format!("{}.target", at()),
                metric.target.as_deref(),
            );
        }
        for (k, step) in s.steps.iter().enumerate() {
            let at = || format!("{}.steps[{k}]", at());
            each(&|| format!("{}.action", at()), &step.action);
            opt(
                each,
                &|| format!("{}.touchpoint", at()),
                step.touchpoint.as_deref(),
            );
            opt(
                each,
                &|| format!("{}.channel", at()),
                step.channel_label.as_deref(),
            );
            opt(
                each,
                &|| format!("{}.thought", at()),
                step.thought.as_deref(),
            );
            for (n, pain) in step.pains.iter().enumerate() {
                each(&|| format!("{}.pains[{n}]", at()), &pain.text);
            }
            for (n, o) in step.opportunities.iter().enumerate() {
                each(&|| format!("{}.opportunities[{n}]", at()), &o.text);
                opt(
                    each,
                    &|| format!("{}.opportunities[{n}].owner", at()),
                    o.owner.as_deref(),
                );
            }
            list(each, &|| format!("{}.backstage", at()), &step.backstage);
            for (n, e) in step.evidence.iter().enumerate() {
                let at = || format!("{}.evidence[{n}]", at());
                opt(each, &|| format!("{}.source", at()), e.source.as_deref());
                opt(each, &|| format!("{}.quote", at()), e.quote.as_deref());
            }
        }
    }
}

/// Every text of a persona that reports print, with its key path.
fn persona_fields(p: &Persona, each: &mut dyn FnMut(&dyn Fn() -> String, &str)) {
    each(&|| "name".to_string(), &p.name);
    opt(each, &|| "role".to_string(), p.role.as_deref());
    opt(each, &|| "quote".to_string(), p.quote.as_deref());
    list(each, &|| "goals".to_string(), &p.goals);
    list(each, &|| "needs".to_string(), &p.needs);
    list(each, &|| "frustrations".to_string(), &p.frustrations);
    list(each, &|| "motivations".to_string(), &p.motivations);
    list(each, &|| "channels".to_string(), &p.channels);
    list(each, &|| "empathy.says".to_string(), &p.empathy.says);
    list(each, &|| "empathy.thinks".to_string(), &p.empathy.thinks);
    list(each, &|| "empathy.does".to_string(), &p.empathy.does);
    list(each, &|| "empathy.feels".to_string(), &p.empathy.feels);
}

fn opt(
    each: &mut dyn FnMut(&dyn Fn() -> String, &str),
    field: &dyn Fn() -> String,
    text: Option<&str>,
) {
    if let Some(text) = text {
        each(field, text);
    }
}

fn list(
    each: &mut dyn FnMut(&dyn Fn() -> String, &str),
    field: &dyn Fn() -> String,
    items: &[String],
) {
    for (i, item) in items.iter().enumerate() {
        each(&|| format!("{}[{i}]", field()), item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_and_invisible_characters_need_no_font() {
        let fonts = SiteFonts::default();
        let mut coverage = Coverage {
            fonts: &fonts,
            known: BTreeMap::new(),
        };
        for c in ['a', 'ñ', 'ł', '→', '…', '\u{200D}', '\u{FE0F}', ' '] {
            assert!(coverage.drawable(c), "{c:?}");
        }
        for c in ['日', 'ש', '😀'] {
            assert!(!coverage.drawable(c), "{c:?}");
        }
    }
}
