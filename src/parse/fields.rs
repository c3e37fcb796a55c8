//! Reading typed fields out of a spanned [`Node`] table, with a diagnostic for every
//! problem instead of stopping at the first.
//!
//! serde's `deny_unknown_fields` stops a file at its first mistake; a CX writer who
//! mistyped three keys wants to hear about all three. [`Fields`] remembers which keys the
//! model asked for, so [`Fields::finish`] can name every unknown key with a "did you
//! mean" from the keys that exist.

use std::cell::RefCell;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::node::{Date, DateError, Entry, Kind, MONTHS, Node};
use crate::diag::Diagnostic;

/// A value and the byte range it came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it stands in the file.
    pub span: Range<usize>,
}

/// The file being read and the diagnostics found in it so far.
#[derive(Debug)]
pub struct Ctx {
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// The file's text, when known: messages quote values as they were written.
    text: Option<Arc<str>>,
    diags: RefCell<Vec<Diagnostic>>,
}

impl Ctx {
    /// A context for one file.
    pub fn new(file: &Path) -> Self {
        Ctx {
            file: file.to_path_buf(),
            text: None,
            diags: RefCell::new(Vec::new()),
        }
    }

    /// A context for one file whose text messages may quote.
    pub fn with_text(file: &Path, text: Arc<str>) -> Self {
        Ctx {
            text: Some(text),
            ..Ctx::new(file)
        }
    }

    /// What the file says at `span`, trimmed, when the text is known (`1e23` rather than
    /// the number it reads as).
    pub fn written(&self, span: &Range<usize>) -> Option<&str> {
        let text = self.text.as_deref()?.get(span.clone())?.trim();
        (!text.is_empty()).then_some(text)
    }

    /// Reports an error at `span`.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> DiagBuilder<'_> {
        DiagBuilder {
            ctx: self,
            diag: Some(Diagnostic::error(&self.file, message).at(span)),
        }
    }

    /// Reports a warning at `span`.
    pub fn warning(&self, span: Range<usize>, message: impl Into<String>) -> DiagBuilder<'_> {
        DiagBuilder {
            ctx: self,
            diag: Some(Diagnostic::warning(&self.file, message).at(span)),
        }
    }

    /// Everything reported.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diags.into_inner()
    }
}

/// A diagnostic being built; it is recorded when dropped.
pub struct DiagBuilder<'a> {
    ctx: &'a Ctx,
    diag: Option<Diagnostic>,
}

impl DiagBuilder<'_> {
    /// Adds a label under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.diag = self.diag.take().map(|d| d.label(label));
        self
    }

    /// Adds a help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.diag = self.diag.take().map(|d| d.help(help));
        self
    }

    /// Adds a "did you mean" when a candidate is close.
    pub fn did_you_mean<'c>(
        mut self,
        word: &str,
        cands: impl IntoIterator<Item = &'c str>,
    ) -> Self {
        self.diag = self.diag.take().map(|d| d.did_you_mean(word, cands));
        self
    }
}

impl Drop for DiagBuilder<'_> {
    fn drop(&mut self) {
        if let Some(d) = self.diag.take() {
            self.ctx.diags.borrow_mut().push(d);
        }
    }
}

/// A table being read: every accessor records its key as known.
pub struct Fields<'a> {
    ctx: &'a Ctx,
    entries: &'a [Entry],
    /// Span of the table as a whole, for "missing key" errors.
    pub span: Range<usize>,
    what: &'static str,
    known: Vec<&'static str>,
    dynamic: Vec<String>,
}

impl<'a> Fields<'a> {
    /// Starts reading `node` as a `what` table ("journey", "stage", ...).
    pub fn new(ctx: &'a Ctx, node: &'a Node, what: &'static str) -> Option<Self> {
        match &node.kind {
            Kind::Table(entries) => Some(Fields {
                ctx,
                entries,
                span: node.span.clone(),
                what,
                known: Vec::new(),
                dynamic: Vec::new(),
            }),
            Kind::Null => Some(Fields {
                ctx,
                entries: &[],
                span: node.span.clone(),
                what,
                known: Vec::new(),
                dynamic: Vec::new(),
            }),
            other => {
                ctx.error(node.span.clone(), format!("a {what} must be a table"))
                    .label(format!("expected a table, found {}", other.name()));
                None
            }
        }
    }

    /// The context, for reporting.
    pub fn ctx(&self) -> &'a Ctx {
        self.ctx
    }

    /// The raw node of `key`, recording the key as known.
    pub fn node(&mut self, key: &'static str) -> Option<&'a Node> {
        self.known.push(key);
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.value)
            .filter(|n| n.kind != Kind::Null)
    }

    /// Every key of the table, in file order.
    pub fn keys(&self) -> impl Iterator<Item = &'a str> {
        self.entries.iter().map(|e| e.key.as_str())
    }

    /// The node of a key chosen by the user (a map such as `[channels]`); every key of
    /// such a table is known.
    pub fn node_dynamic(&mut self, key: &str) -> Option<&'a Node> {
        let entry = self.entries.iter().find(|e| e.key == key)?;
        self.dynamic.push(entry.key.clone());
        Some(&entry.value)
    }

    /// Whether the table has `key` (without recording it).
    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key == key)
    }

    fn wrong_type(&self, key: &str, node: &Node, expected: &str) {
        self.ctx
            .error(node.span.clone(), format!("wrong type for `{key}`"))
            .label(format!("expected {expected}, found {}", node.kind.name()));
    }

    /// An optional string.
    pub fn str(&mut self, key: &'static str) -> Option<Spanned<String>> {
        let node = self.node(key)?;
        match &node.kind {
            Kind::Str(s) => Some(Spanned {
                value: s.clone(),
                span: node.span.clone(),
            }),
            _ => {
                self.wrong_type(key, node, "a string");
                None
            }
        }
    }

    /// An optional string, without its span; empty strings count as absent.
    pub fn text(&mut self, key: &'static str) -> Option<String> {
        self.str(key)
            .map(|s| s.value)
            .filter(|s| !s.trim().is_empty())
    }

    /// A required string: reports a missing or empty one.
    pub fn required_str(&mut self, key: &'static str) -> Option<Spanned<String>> {
        let present = self.has(key);
        let value = self.str(key);
        match &value {
            Some(s) if s.value.trim().is_empty() => {
                self.ctx
                    .error(s.span.clone(), format!("`{key}` is empty"))
                    .label(format!("a {} needs a `{key}`", self.what));
                return None;
            }
            None if !present => {
                let at = self.span.start..self.span.start;
                self.ctx
                    .error(at, format!("this {} has no `{key}`", self.what))
                    .label(format!("`{key}` is required"))
                    .help(format!("add `{key} = \"…\"`"));
            }
            _ => {}
        }
        value
    }

    /// An optional integer.
    pub fn int(&mut self, key: &'static str) -> Option<Spanned<i64>> {
        let node = self.node(key)?;
        match &node.kind {
            Kind::Int(i) => Some(Spanned {
                value: *i,
                span: node.span.clone(),
            }),
            _ => {
                self.wrong_type(key, node, "an integer");
                None
            }
        }
    }

    /// An optional number (integers are numbers too).
    pub fn number(&mut self, key: &'static str) -> Option<Spanned<f64>> {
        let node = self.node(key)?;
        match &node.kind {
            Kind::Int(i) => Some(Spanned {
                value: *i as f64,
                span: node.span.clone(),
            }),
            Kind::Float(f) => Some(Spanned {
                value: *f,
                span: node.span.clone(),
            }),
            _ => {
                self.wrong_type(key, node, "a number");
                None
            }
        }
    }

    /// An optional boolean.
    pub fn bool(&mut self, key: &'static str) -> Option<bool> {
        let node = self.node(key)?;
        match &node.kind {
            Kind::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(key, node, "`true` or `false`");
                None
            }
        }
    }

    /// An optional date: a TOML date, or a `YYYY-MM-DD` string (YAML).
    pub fn date(&mut self, key: &'static str) -> Option<Date> {
        let node = self.node(key)?;
        let parsed = match &node.kind {
            Kind::Date(d) => Ok(*d),
            Kind::Str(s) | Kind::OtherDatetime(s) => Date::read(s),
            _ => Err(DateError::Shape),
        };
        if let Err(e) = parsed {
            self.not_a_date(key, node, e);
        }
        parsed.ok()
    }

    /// Says why `node` is not a date, quoting what was written.
    fn not_a_date(&self, key: &str, node: &Node, error: DateError) {
        let written = match (self.ctx.written(&node.span), &node.kind) {
            (Some(w), _) => w.trim_matches(['"', '\'']).to_string(),
            (None, Kind::Str(s) | Kind::OtherDatetime(s)) => s.clone(),
            (None, other) => other.name().to_string(),
        };
        let (message, label) = match error {
            DateError::Day { year, month, days } => {
                let name = MONTHS[usize::from(month - 1)];
                (
                    format!("`{key}` is not a date: `{written}` is past the end of {name} {year}"),
                    format!(
                        "{name} {year} has {days} days; expected a date like {year}-{month:02}-{days:02}"
                    ),
                )
            }
            DateError::Month => (
                format!("`{key}` is not a date: `{written}` has no month from 01 to 12"),
                "expected a date like 2026-10-01 (year-month-day)".to_string(),
            ),
            DateError::Shape => (
                format!("`{key}` is not a date: `{written}`"),
                "expected a date like 2026-10-01 (year-month-day)".to_string(),
            ),
        };
        self.ctx.error(node.span.clone(), message).label(label);
    }

    /// An optional array's items; a single value is read as a list of one.
    pub fn array(&mut self, key: &'static str) -> &'a [Node] {
        match self.node(key) {
            Some(Node {
                kind: Kind::Array(items),
                ..
            }) => items,
            Some(node) => std::slice::from_ref(node),
            None => &[],
        }
    }

    /// A list of strings; a single string is accepted as a list of one.
    pub fn str_list(&mut self, key: &'static str) -> Vec<Spanned<String>> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        match &node.kind {
            Kind::Str(s) => vec![Spanned {
                value: s.clone(),
                span: node.span.clone(),
            }],
            Kind::Array(items) => items
                .iter()
                .filter_map(|item| match &item.kind {
                    Kind::Str(s) => Some(Spanned {
                        value: s.clone(),
                        span: item.span.clone(),
                    }),
                    other => {
                        self.ctx
                            .error(item.span.clone(), format!("wrong type in `{key}`"))
                            .label(format!("expected a string, found {}", other.name()));
                        None
                    }
                })
                .collect(),
            _ => {
                self.wrong_type(key, node, "an array of strings");
                Vec::new()
            }
        }
    }

    /// A list of strings, without spans, empty ones dropped.
    pub fn texts(&mut self, key: &'static str) -> Vec<String> {
        self.str_list(key)
            .into_iter()
            .map(|s| s.value)
            .filter(|s| !s.trim().is_empty())
            .collect()
    }

    /// An optional sub-table.
    pub fn table(&mut self, key: &'static str, what: &'static str) -> Option<Fields<'a>> {
        let node = self.node(key)?;
        Fields::new(self.ctx, node, what)
    }

    /// The free-form `extra` table, as JSON for templates and `data/`.
    pub fn extra(&mut self) -> serde_json::Value {
        match self.node("extra") {
            Some(
                node @ Node {
                    kind: Kind::Table(_),
                    ..
                },
            ) => to_json(node),
            Some(node) => {
                self.wrong_type("extra", node, "a table");
                serde_json::Value::Null
            }
            None => serde_json::Value::Null,
        }
    }

    /// Reports every key that no accessor asked for, with a "did you mean".
    pub fn finish(self) {
        for entry in self.entries {
            if !self.known.contains(&entry.key.as_str()) && !self.dynamic.contains(&entry.key) {
                let known = self.known.iter().copied();
                self.ctx
                    .error(
                        entry.key_span.clone(),
                        format!("unknown key `{}` in {}", entry.key, article(self.what)),
                    )
                    .label("not a field cxmap knows")
                    .did_you_mean(&entry.key, known);
            }
        }
    }
}

fn article(what: &str) -> String {
    let vowel = what.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {what}", if vowel { "an" } else { "a" })
}

/// Converts a node to JSON (dates as `YYYY-MM-DD` strings).
pub fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.kind {
        Kind::Str(s) => J::String(s.clone()),
        Kind::Int(i) => J::from(*i),
        Kind::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Kind::Bool(b) => J::Bool(*b),
        Kind::Date(d) => J::String(d.to_string()),
        Kind::OtherDatetime(s) => J::String(s.clone()),
        Kind::Array(items) => J::Array(items.iter().map(to_json).collect()),
        Kind::Table(entries) => J::Object(
            entries
                .iter()
                .map(|e| (e.key.clone(), to_json(&e.value)))
                .collect(),
        ),
        Kind::Null => J::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::super::node::from_toml;
    use super::*;

    #[test]
    fn every_unknown_key_is_reported_with_a_suggestion() {
        let (node, _) = from_toml("titel = \"a\"\nsumary = \"b\"\nowner = \"c\"\n", 0);
        let ctx = Ctx::new(Path::new("j.md"));
        let mut f = Fields::new(&ctx, &node, "journey").unwrap();
        let _ = f.required_str("title");
        let _ = f.text("summary");
        let _ = f.text("owner");
        f.finish();
        let diags = ctx.into_diagnostics();
        let messages: Vec<_> = diags.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages.contains(&"this journey has no `title`"),
            "{messages:?}"
        );
        assert!(messages.contains(&"unknown key `titel` in a journey"));
        assert!(messages.contains(&"unknown key `sumary` in a journey"));
        let helps: Vec<_> = diags.iter().filter_map(|d| d.help.as_deref()).collect();
        assert!(helps.contains(&"did you mean `summary`?"), "{helps:?}");
    }

    #[test]
    fn wrong_types_name_what_was_expected() {
        let (node, _) = from_toml("title = 3\ntags = \"x\"\n", 0);
        let ctx = Ctx::new(Path::new("j.md"));
        let mut f = Fields::new(&ctx, &node, "journey").unwrap();
        assert!(f.str("title").is_none());
        assert_eq!(f.texts("tags"), vec!["x".to_string()]);
        f.finish();
        let diags = ctx.into_diagnostics();
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].label.as_deref(),
            Some("expected a string, found an integer")
        );
    }
}
