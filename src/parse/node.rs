//! A spanned value tree: what a frontmatter block or `cxmap.toml` says, with the byte
//! range of every key and value in the whole file.
//!
//! TOML (`+++`) and YAML (`---`) frontmatter both become a [`Node`], so the model is read
//! by one piece of code and reports errors the same way for both.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use saphyr::Scalar;
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use toml::de::{DeTable, DeValue};

/// A calendar date, as written in `reviewed = 2026-10-01`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of month, 1–31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` (a time part after `T` or a space is ignored); only days of
    /// the calendar: 2026-02-30 or 2025-02-29 is `None`.
    pub fn parse(text: &str) -> Option<Date> {
        Date::read(text).ok()
    }

    /// Parses like [`Date::parse`], saying what is wrong when it is not a date.
    pub fn read(text: &str) -> Result<Date, DateError> {
        let date = text
            .trim()
            .split(['T', 't', ' '])
            .next()
            .unwrap_or_default();
        let mut parts = date.split('-');
        let mut number = || parts.next().and_then(|p| p.parse::<u32>().ok());
        let (Some(year), Some(month), Some(day)) = (number(), number(), number()) else {
            return Err(DateError::Shape);
        };
        if date.split('-').count() != 3 {
            return Err(DateError::Shape);
        }
        let (year, month, day) = (
            u16::try_from(year).map_err(|_| DateError::Shape)?,
            u8::try_from(month).map_err(|_| DateError::Month)?,
            u8::try_from(day).map_err(|_| DateError::Shape)?,
        );
        Date::new(year, month, day)
    }

    /// The date, when the month has that day.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, DateError> {
        if !(1..=12).contains(&month) {
            return Err(DateError::Month);
        }
        let days = days_in_month(year, month);
        if day == 0 || day > days {
            return Err(DateError::Day { year, month, days });
        }
        Ok(Date { year, month, day })
    }
}

/// Why a text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not `YYYY-MM-DD`.
    Shape,
    /// A month outside 1–12.
    Month,
    /// A day the month does not have (February 30th, April 31st, February 29th in a
    /// common year).
    Day {
        /// The year written.
        year: u16,
        /// The month written, 1–12.
        month: u8,
        /// How many days that month has that year.
        days: u8,
    },
}

/// English month names, for messages.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// Days since 1970-01-01 (negative before), for comparing dates.
    pub fn days(&self) -> i64 {
        // Howard Hinnant's days-from-civil algorithm.
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A value and where it stands in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Byte range in the whole file.
    pub span: Range<usize>,
    /// The value.
    pub kind: Kind,
}

/// The kinds of values frontmatter can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// A date (TOML date, or a YAML string that reads as one is kept as `Str`).
    Date(Date),
    /// A TOML date-time or time that is not a plain date.
    OtherDatetime(String),
    /// An array.
    Array(Vec<Node>),
    /// A table, in the order the file wrote it.
    Table(Vec<Entry>),
    /// YAML `null` or an empty value.
    Null,
}

/// A key of a table, its span, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as written.
    pub key: String,
    /// Where the key stands.
    pub key_span: Range<usize>,
    /// The value.
    pub value: Node,
}

impl Kind {
    /// The name of the kind for "expected X, found Y" messages.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Str(_) => "a string",
            Kind::Int(_) => "an integer",
            Kind::Float(_) => "a number",
            Kind::Bool(_) => "a boolean",
            Kind::Date(_) | Kind::OtherDatetime(_) => "a date",
            Kind::Array(_) => "an array",
            Kind::Table(_) => "a table",
            Kind::Null => "nothing",
        }
    }
}

/// A syntax error in the frontmatter: message and span in the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What the parser said.
    pub message: String,
    /// Where, in the whole file.
    pub span: Range<usize>,
    /// Set when the text is well-formed but over a budget ([`MAX_YAML_VALUES`],
    /// [`MAX_DEPTH`]): the message then stands on its own, and `label` and `help`
    /// say what reached the limit and what to do.
    pub help: Option<String>,
    /// What stands under the caret, for an error over a budget.
    pub label: Option<String>,
}

/// Parses TOML text that starts at byte `offset` of its file.
pub fn from_toml(text: &str, offset: usize) -> (Node, Vec<SyntaxError>) {
    let (table, errors) = DeTable::parse_recoverable(text);
    let span = table.span();
    let node = Node {
        span: shift(span, offset),
        kind: toml_table(table.get_ref(), offset),
    };
    let errors = errors
        .into_iter()
        .map(|e| SyntaxError {
            message: first_line(e.message()),
            span: shift(e.span().unwrap_or(0..0), offset),
            help: None,
            label: None,
        })
        .collect();
    (node, errors)
}

fn first_line(message: &str) -> String {
    message
        .trim()
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

fn shift(span: Range<usize>, offset: usize) -> Range<usize> {
    span.start + offset..span.end + offset
}

fn toml_table(table: &DeTable<'_>, offset: usize) -> Kind {
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|(k, v)| Entry {
            key: k.get_ref().to_string(),
            key_span: shift(k.span(), offset),
            value: Node {
                span: shift(v.span(), offset),
                kind: toml_value(v.get_ref(), offset),
            },
        })
        .collect();
    // The map is sorted by key; the author's order is the order of the keys in the file.
    entries.sort_by_key(|e| e.key_span.start);
    Kind::Table(entries)
}

fn toml_value(value: &DeValue<'_>, offset: usize) -> Kind {
    match value {
        DeValue::String(s) => Kind::Str(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            let (sign, digits) = match digits.strip_prefix('-') {
                Some(rest) => (-1, rest.to_string()),
                None => (1, digits.trim_start_matches('+').to_string()),
            };
            let digits = digits
                .trim_start_matches("0x")
                .trim_start_matches("0o")
                .trim_start_matches("0b");
            match i64::from_str_radix(digits, i.radix()) {
                Ok(n) => Kind::Int(sign * n),
                Err(_) => Kind::Float(f64::NAN),
            }
        }
        DeValue::Float(f) => {
            let text = f.as_str().replace('_', "");
            let n = match text.as_str() {
                "inf" | "+inf" => f64::INFINITY,
                "-inf" => f64::NEG_INFINITY,
                "nan" | "+nan" | "-nan" => f64::NAN,
                t => t.parse().unwrap_or(f64::NAN),
            };
            Kind::Float(n)
        }
        DeValue::Boolean(b) => Kind::Bool(*b),
        DeValue::Datetime(dt) => match (dt.date, dt.time) {
            // The toml crate checks the calendar too; a date it let through that is
            // not one is left as text, for the reader to refuse with its reason.
            (Some(d), None) => Date::new(d.year, d.month, d.day)
                .map_or_else(|_| Kind::OtherDatetime(dt.to_string()), Kind::Date),
            _ => Kind::OtherDatetime(dt.to_string()),
        },
        DeValue::Array(items) => Kind::Array(
            items
                .iter()
                .map(|v| Node {
                    span: shift(v.span(), offset),
                    kind: toml_value(v.get_ref(), offset),
                })
                .collect(),
        ),
        DeValue::Table(t) => toml_table(t, offset),
    }
}

/// Deepest nesting of arrays and tables a frontmatter may have, as deep as the Markdown
/// of a body may nest ([`crate::parse::markdown::MAX_NESTING`]): a journey needs about
/// five levels, and later stages walk the tree recursively.
pub const MAX_DEPTH: usize = 512;

/// Values a YAML frontmatter may make, besides one per byte of its text. An alias
/// counts the size of what it copies and an anchor the copy kept of it, so nine nested
/// anchors of nine aliases each ("billion laughs", 384 bytes) stop here in microseconds
/// instead of growing to gigabytes, while YAML without anchors (at most one value per
/// byte) is never refused. A real journey makes a few hundred values.
pub const MAX_YAML_VALUES: usize = 100_000;

/// Parses YAML text that starts at byte `offset` of its file.
///
/// The tree is built from the parser's events, not with saphyr's loader, which copies
/// every alias without limit: here copies count towards [`MAX_YAML_VALUES`] and nesting
/// stops at [`MAX_DEPTH`], each with a located error. Only the first document is read;
/// the others are still parsed for syntax errors, as before.
pub fn from_yaml(text: &str, offset: usize) -> (Node, Vec<SyntaxError>) {
    let empty = Node {
        span: offset..offset,
        kind: Kind::Table(Vec::new()),
    };
    let mut builder = YamlBuilder::new(text, offset);
    let mut parser = Parser::new_from_iter(text.chars());
    while let Some(event) = parser.next_event() {
        let step = match event {
            Ok((event, span)) => builder.event(event, span),
            Err(e) => {
                let at = builder.chars.byte(e.marker().index()) + offset;
                Err(SyntaxError {
                    message: e.info().to_string(),
                    span: at..at,
                    help: None,
                    label: None,
                })
            }
        };
        if let Err(error) = step {
            return (empty, vec![error]);
        }
    }
    (builder.root.unwrap_or(empty), Vec::new())
}

/// Maps YAML's character indexes to byte offsets.
struct CharIndex(Vec<usize>);

impl CharIndex {
    fn new(text: &str) -> Self {
        let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        v.push(text.len());
        CharIndex(v)
    }

    fn byte(&self, char_index: usize) -> usize {
        self.0
            .get(char_index)
            .copied()
            .unwrap_or_else(|| self.0.last().copied().unwrap_or(0))
    }
}

/// A finished YAML value with what it cost: values made (itself included) and levels
/// of nesting (0 for a scalar).
#[derive(Clone)]
struct Built {
    node: Node,
    size: usize,
    height: usize,
}

/// An array or table whose end has not been read yet.
struct Frame {
    open: Open,
    /// Byte where it starts, in the whole file.
    start: usize,
    anchor: usize,
    size: usize,
    height: usize,
}

enum Open {
    Seq(Vec<Node>),
    Map {
        /// `None` where a later duplicate key took the entry to the back, as YAML
        /// loaders do (the last value wins, in the place of the last key).
        entries: Vec<Option<Entry>>,
        index: HashMap<KeyId, usize>,
        key: Option<Node>,
    },
}

/// What makes two keys of a table the same key: equal scalars of the same kind.
#[derive(PartialEq, Eq, Hash)]
enum KeyId {
    Str(String),
    Int(i64),
    Float(u64),
    Bool(bool),
    Null,
    /// An array or table used as a key: never merged with another.
    Unique(usize),
}

struct YamlBuilder {
    chars: CharIndex,
    offset: usize,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Built>,
    made: usize,
    budget: usize,
    /// The first document's root, once it is complete.
    root: Option<Node>,
    /// Set after the first document: later ones are parsed but not built.
    done: bool,
}

impl YamlBuilder {
    fn new(text: &str, offset: usize) -> Self {
        YamlBuilder {
            chars: CharIndex::new(text),
            offset,
            stack: Vec::new(),
            anchors: HashMap::new(),
            made: 0,
            budget: MAX_YAML_VALUES.saturating_add(text.len()),
            root: None,
            done: false,
        }
    }

    /// Byte range of a parser span in the whole file (never ending before it starts).
    fn span(&self, span: Span) -> Range<usize> {
        let start = self.chars.byte(span.start.index());
        let end = self.chars.byte(span.end.index()).max(start);
        start + self.offset..end + self.offset
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), SyntaxError> {
        if self.done {
            return Ok(());
        }
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                self.spend(1, &span, None)?;
                let node = Node {
                    span: self.span(span),
                    kind: yaml_scalar(value, style, tag.as_ref()),
                };
                self.insert(
                    Built {
                        node,
                        size: 1,
                        height: 0,
                    },
                    anchor,
                )
            }
            Event::SequenceStart(anchor, _) => self.open(Open::Seq(Vec::new()), anchor, span),
            Event::MappingStart(anchor, _) => self.open(
                Open::Map {
                    entries: Vec::new(),
                    index: HashMap::new(),
                    key: None,
                },
                anchor,
                span,
            ),
            Event::SequenceEnd | Event::MappingEnd => self.close(span),
            Event::Alias(id) => self.alias(id, span),
            Event::DocumentEnd => {
                self.done = true;
                if self.root.is_none() {
                    self.root = Some(Node {
                        span: self.span(span),
                        kind: Kind::Null,
                    });
                }
                Ok(())
            }
            Event::DocumentStart(_) | Event::Nothing | Event::StreamStart | Event::StreamEnd => {
                Ok(())
            }
        }
    }

    fn open(&mut self, open: Open, anchor: usize, span: Span) -> Result<(), SyntaxError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.too_deep(&span, 1));
        }
        self.spend(1, &span, None)?;
        let start = self.chars.byte(span.start.index()) + self.offset;
        self.stack.push(Frame {
            open,
            start,
            anchor,
            size: 1,
            height: 1,
        });
        Ok(())
    }

    fn close(&mut self, span: Span) -> Result<(), SyntaxError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let end = (self.chars.byte(span.start.index()) + self.offset).max(frame.start);
        let kind = match frame.open {
            Open::Seq(items) => Kind::Array(items),
            Open::Map { entries, .. } => Kind::Table(entries.into_iter().flatten().collect()),
        };
        let node = Node {
            span: frame.start..end,
            kind,
        };
        self.insert(
            Built {
                node,
                size: frame.size,
                height: frame.height,
            },
            frame.anchor,
        )
    }

    /// A copy of the anchored value, where the alias stands; an alias to an anchor not
    /// yet complete (a value inside itself) is null, as before.
    fn alias(&mut self, id: usize, span: Span) -> Result<(), SyntaxError> {
        let Some(&Built { size, height, .. }) = self.anchors.get(&id) else {
            self.spend(1, &span, None)?;
            let node = Node {
                span: self.span(span),
                kind: Kind::Null,
            };
            return self.insert(
                Built {
                    node,
                    size: 1,
                    height: 0,
                },
                0,
            );
        };
        if self.stack.len() + height > MAX_DEPTH {
            return Err(self.too_deep(&span, height));
        }
        let label = format!("this alias copies {} values", thousands(size));
        self.spend(size, &span, Some(label))?;
        let kind = self
            .anchors
            .get(&id)
            .map_or(Kind::Null, |a| a.node.kind.clone());
        let node = Node {
            span: self.span(span),
            kind,
        };
        self.insert(Built { node, size, height }, 0)
    }

    /// Places a finished value in the array or table it belongs to (or makes it the
    /// root), and keeps a copy when it carries an anchor.
    fn insert(&mut self, built: Built, anchor: usize) -> Result<(), SyntaxError> {
        if anchor > 0 {
            let span = built.node.span.clone();
            let label = format!(
                "the anchor of this value keeps a copy of its {} values",
                thousands(built.size)
            );
            self.spend_at(built.size, span, Some(label))?;
            self.anchors.insert(anchor, built.clone());
        }
        let Some(frame) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(built.node);
            }
            return Ok(());
        };
        frame.size += built.size;
        frame.height = frame.height.max(built.height + 1);
        match &mut frame.open {
            Open::Seq(items) => items.push(built.node),
            Open::Map { key, .. } if key.is_none() => *key = Some(built.node),
            Open::Map {
                entries,
                index,
                key,
            } => {
                let Some(key) = key.take() else {
                    return Ok(());
                };
                add_entry(entries, index, key, built.node);
            }
        }
        Ok(())
    }

    fn spend(&mut self, n: usize, span: &Span, label: Option<String>) -> Result<(), SyntaxError> {
        let at = self.span(*span);
        self.spend_at(n, at, label)
    }

    /// Counts `n` values made; past the budget, an error at `at`.
    fn spend_at(
        &mut self,
        n: usize,
        at: Range<usize>,
        label: Option<String>,
    ) -> Result<(), SyntaxError> {
        self.made = self.made.saturating_add(n);
        if self.made <= self.budget {
            return Ok(());
        }
        Err(SyntaxError {
            message: format!(
                "this YAML frontmatter makes more than {} values",
                thousands(self.budget)
            ),
            span: at,
            label: Some(label.unwrap_or_else(|| "the limit is reached here".to_string())),
            help: Some(
                "anchors (`&name`) and aliases (`*name`) multiply what they copy; write \
                 the values out or use fewer aliases (a frontmatter may make 100,000 \
                 values, and one more per byte of its text)"
                    .to_string(),
            ),
        })
    }

    /// Nesting past [`MAX_DEPTH`]: `extra` levels (an alias's copy) at `span`.
    fn too_deep(&self, span: &Span, extra: usize) -> SyntaxError {
        let label = if extra > 1 {
            format!(
                "this alias copies {extra} levels at level {}",
                self.stack.len() + 1
            )
        } else {
            format!("level {} starts here", self.stack.len() + 1)
        };
        SyntaxError {
            message: format!("this YAML frontmatter is nested deeper than {MAX_DEPTH} levels"),
            span: self.span(*span),
            label: Some(label),
            help: Some(
                "a journey needs a few levels of tables and lists; flatten this value".to_string(),
            ),
        }
    }
}

/// Adds `key: value` to a table being built; a key written twice keeps its first
/// place in the key list but moves to the back with the last value, as saphyr did.
fn add_entry(
    entries: &mut Vec<Option<Entry>>,
    index: &mut HashMap<KeyId, usize>,
    key: Node,
    value: Node,
) {
    let id = match &key.kind {
        Kind::Str(s) => KeyId::Str(s.clone()),
        Kind::Int(i) => KeyId::Int(*i),
        // As ordered-float compares: every NaN is one key, and 0.0 is -0.0.
        Kind::Float(f) if f.is_nan() => KeyId::Float(f64::NAN.to_bits()),
        Kind::Float(f) => KeyId::Float((f + 0.0).to_bits()),
        Kind::Bool(b) => KeyId::Bool(*b),
        Kind::Null => KeyId::Null,
        _ => KeyId::Unique(entries.len()),
    };
    let (name, key_span) = match index.get(&id).and_then(|&i| entries[i].take()) {
        Some(first) => (first.key, first.key_span),
        None => (key_name(&key.kind), key.span),
    };
    index.insert(id, entries.len());
    entries.push(Some(Entry {
        key: name,
        key_span,
        value,
    }));
}

fn key_name(kind: &Kind) -> String {
    match kind {
        Kind::Str(s) => s.clone(),
        Kind::Int(i) => i.to_string(),
        Kind::Bool(b) => b.to_string(),
        other => other.name().to_string(),
    }
}

/// A scalar as saphyr's loader resolves it: a tag outside YAML's core schema is
/// ignored, a core tag (`!!str`, `!!int`) decides the type, and a value its tag
/// refuses (`!!int abc`) is null.
fn yaml_scalar(value: Cow<'_, str>, style: ScalarStyle, tag: Option<&Cow<'_, Tag>>) -> Kind {
    let tag = tag.filter(|t| t.is_yaml_core_schema());
    match Scalar::parse_from_cow_and_metadata(value, style, tag) {
        None | Some(Scalar::Null) => Kind::Null,
        Some(Scalar::Boolean(b)) => Kind::Bool(b),
        Some(Scalar::Integer(i)) => Kind::Int(i),
        Some(Scalar::FloatingPoint(f)) => Kind::Float(f.into_inner()),
        Some(Scalar::String(s)) => Kind::Str(s.into_owned()),
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(node: &Node) -> &[Entry] {
        match &node.kind {
            Kind::Table(t) => t,
            other => panic!("not a table: {other:?}"),
        }
    }

    #[test]
    fn toml_spans_are_shifted_into_the_file() {
        let text = "title = \"Hi\"\nemotion = 4\nreviewed = 2026-10-01\n";
        let (node, errors) = from_toml(text, 4);
        assert!(errors.is_empty());
        let t = table(&node);
        assert_eq!(t[0].key, "title");
        assert_eq!(t[0].key_span, 4..9);
        assert_eq!(t[1].value.kind, Kind::Int(4));
        assert_eq!(
            t[2].value.kind,
            Kind::Date(Date {
                year: 2026,
                month: 10,
                day: 1
            })
        );
    }

    #[test]
    fn toml_syntax_errors_are_all_reported() {
        let (_, errors) = from_toml("a = \nb = [1,\n", 0);
        assert!(!errors.is_empty());
    }

    #[test]
    fn yaml_spans_count_bytes_not_characters() {
        let text = "name: María\nrole: x\n";
        let (node, errors) = from_yaml(text, 10);
        assert!(errors.is_empty());
        let t = table(&node);
        assert_eq!(t[1].key, "role");
        assert_eq!(t[1].key_span.start, 10 + text.find("role").unwrap());
    }

    #[test]
    fn days_count_from_1970() {
        let d = |s: &str| Date::parse(s).unwrap().days();
        assert_eq!(d("1970-01-01"), 0);
        assert_eq!(d("2026-10-01") - d("2026-09-01"), 30);
        assert_eq!(d("2025-03-01") - d("2025-02-28"), 1);
        assert_eq!(d("2024-03-01") - d("2024-02-28"), 2);
    }

    #[test]
    fn dates_parse_strictly() {
        assert!(Date::parse("2026-10-01").is_some());
        assert!(Date::parse("2026-13-01").is_none());
        assert!(Date::parse("yesterday").is_none());
    }

    #[test]
    fn days_past_the_end_of_their_month_are_not_dates() {
        for text in [
            "2026-02-30",
            "2026-04-31",
            "2025-02-29",
            "1900-02-29",
            "2026-06-31",
        ] {
            assert!(Date::parse(text).is_none(), "{text}");
        }
        for text in ["2024-02-29", "2000-02-29", "2026-01-31", "2026-12-31"] {
            assert!(Date::parse(text).is_some(), "{text}");
        }
        assert_eq!(
            Date::read("2026-02-30"),
            Err(DateError::Day {
                year: 2026,
                month: 2,
                days: 28
            })
        );
        assert_eq!(Date::read("2026-13-01"), Err(DateError::Month));
        assert_eq!(Date::read("2026-1"), Err(DateError::Shape));
        assert_eq!(Date::read("2026-01-01-01"), Err(DateError::Shape));
    }

    /// Nine anchors, each a list of nine aliases of the one before: 384 bytes that a
    /// loader copying every alias grows to 21.6 GB.
    fn billion_laughs() -> String {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            let aliases = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{aliases}]\n"));
        }
        text
    }

    #[test]
    fn yaml_billion_laughs_stops_at_the_budget_with_a_located_error() {
        let text = billion_laughs();
        assert!(text.len() < 400, "{}", text.len());
        let start = std::time::Instant::now();
        let (node, errors) = from_yaml(&text, 4);
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(node.kind, Kind::Table(Vec::new()));
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        assert_eq!(
            e.message,
            format!(
                "this YAML frontmatter makes more than {} values",
                thousands(MAX_YAML_VALUES + text.len())
            )
        );
        // Where the count ran out: the list the anchor `&e` keeps a copy of.
        let at = text.find("&e [").unwrap() + 3 + 4;
        assert_eq!(e.span.start, at, "{e:?}");
        assert!(
            e.label.as_deref().unwrap().contains("66,430 values"),
            "{e:?}"
        );
        assert!(e.help.is_some());
    }

    #[test]
    fn yaml_aliases_past_the_budget_are_located_at_the_alias() {
        // One anchor of 60,000 values, copied twice: the second copy is too many.
        let text = format!(
            "a: &big [{}]\nb: *big\nc: *big\n",
            vec!["1"; 60_000].join(",")
        );
        let (_, errors) = from_yaml(&text, 0);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let at = text.rfind("*big").unwrap();
        assert_eq!(errors[0].span, at..at + 4, "{:?}", errors[0]);
        assert_eq!(
            errors[0].label.as_deref(),
            Some("this alias copies 60,001 values")
        );
    }

    #[test]
    fn yaml_aliases_within_the_budget_are_copied_where_they_stand() {
        let text = "base: &b {channel: web, emotion: 3}\nstep: *b\n";
        let (node, errors) = from_yaml(text, 0);
        assert!(errors.is_empty(), "{errors:?}");
        let t = table(&node);
        assert_eq!(t[1].value.kind, t[0].value.kind);
        let at = text.find("*b").unwrap();
        assert_eq!(t[1].value.span, at..at + 2);
    }

    #[test]
    fn yaml_without_aliases_is_never_over_the_budget() {
        // More values than the fixed part of the budget, one per two bytes.
        let text = format!("[{}]\n", vec!["1"; 2 * MAX_YAML_VALUES].join(","));
        let (node, errors) = from_yaml(&text, 0);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(matches!(node.kind, Kind::Array(ref items) if items.len() == 2 * MAX_YAML_VALUES));
    }

    #[test]
    fn yaml_nested_deeper_than_the_limit_is_an_error_at_the_first_level_too_many() {
        // Block lists (`- - - x`): the parser itself stops flow lists (`[[[`) at 255.
        let nested = |levels: usize| format!("{}x\n", "- ".repeat(levels));
        let (_, errors) = from_yaml(&nested(MAX_DEPTH), 0);
        assert!(errors.is_empty(), "{errors:?}");
        let start = std::time::Instant::now();
        let (_, errors) = from_yaml(&nested(100_000), 3);
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].span.start, 3 + 2 * MAX_DEPTH);
        assert_eq!(errors[0].label.as_deref(), Some("level 513 starts here"));
    }

    #[test]
    fn yaml_aliases_cannot_nest_past_the_limit() {
        // 250 levels behind an anchor, copied inside 301 more.
        let (open, close) = ("[".repeat(250), "]".repeat(250));
        let text = format!("a: &d {open}{close}\nb:\n{}*d\n", "- ".repeat(300));
        let (_, errors) = from_yaml(&text, 0);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let at = text.find("*d").unwrap();
        assert_eq!(errors[0].span, at..at + 2);
    }

    #[test]
    fn yaml_keeps_keys_tags_and_nulls_as_saphyr_read_them() {
        let text = "1: a\ntrue: b\nn: ~\ns: !!str 12\nt: !custom {x: 1}\nk: 1\nk: 2\n";
        let (node, errors) = from_yaml(text, 0);
        assert!(errors.is_empty(), "{errors:?}");
        let t = table(&node);
        let keys: Vec<_> = t.iter().map(|e| e.key.as_str()).collect();
        // A key written twice moves to the back with its last value.
        assert_eq!(keys, ["1", "true", "n", "s", "t", "k"]);
        assert_eq!(t[2].value.kind, Kind::Null);
        assert_eq!(t[3].value.kind, Kind::Str("12".into()));
        assert!(matches!(t[4].value.kind, Kind::Table(_)));
        assert_eq!(t[5].value.kind, Kind::Int(2));
        assert_eq!(t[5].key_span.start, text.find("k: 1").unwrap());
    }
}
