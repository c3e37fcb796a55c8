//! A spanned value tree: what a frontmatter block or `cxmap.toml` says, with the byte
//! range of every key and value in the whole file.
//!
//! TOML (`+++`) and YAML (`---`) frontmatter both become a [`Node`], so the model is read
//! by one piece of code and reports errors the same way for both.

use std::ops::Range;

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
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
    /// Parses `YYYY-MM-DD` (a time part after `T` or a space is ignored).
    pub fn parse(text: &str) -> Option<Date> {
        let date = text.trim().split(['T', 't', ' ']).next()?;
        let mut parts = date.split('-');
        let year = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        Some(Date { year, month, day })
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
            (Some(d), None) => Kind::Date(Date {
                year: d.year,
                month: d.month,
                day: d.day,
            }),
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

/// Parses YAML text that starts at byte `offset` of its file.
pub fn from_yaml(text: &str, offset: usize) -> (Node, Vec<SyntaxError>) {
    let chars = CharIndex::new(text);
    match MarkedYaml::load_from_str(text) {
        Ok(docs) => match docs.into_iter().next() {
            Some(doc) => (yaml_node(&doc, &chars, offset), Vec::new()),
            None => (
                Node {
                    span: offset..offset,
                    kind: Kind::Table(Vec::new()),
                },
                Vec::new(),
            ),
        },
        Err(e) => {
            let at = chars.byte(e.marker().index()) + offset;
            (
                Node {
                    span: offset..offset,
                    kind: Kind::Table(Vec::new()),
                },
                vec![SyntaxError {
                    message: e.info().to_string(),
                    span: at..at,
                }],
            )
        }
    }
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

fn yaml_node(node: &MarkedYaml<'_>, chars: &CharIndex, offset: usize) -> Node {
    let start = chars.byte(node.span.start.index()) + offset;
    let end = chars.byte(node.span.end.index()).max(start - offset) + offset;
    let kind = match &node.data {
        YamlData::Value(scalar) => match scalar {
            Scalar::Null => Kind::Null,
            Scalar::Boolean(b) => Kind::Bool(*b),
            Scalar::Integer(i) => Kind::Int(*i),
            Scalar::FloatingPoint(f) => Kind::Float(f.into_inner()),
            Scalar::String(s) => Kind::Str(s.to_string()),
        },
        YamlData::Representation(s, _, _) => Kind::Str(s.to_string()),
        YamlData::Sequence(items) => {
            Kind::Array(items.iter().map(|i| yaml_node(i, chars, offset)).collect())
        }
        YamlData::Mapping(map) => Kind::Table(
            map.iter()
                .map(|(k, v)| {
                    let key_node = yaml_node(k, chars, offset);
                    let key = match &key_node.kind {
                        Kind::Str(s) => s.clone(),
                        Kind::Int(i) => i.to_string(),
                        Kind::Bool(b) => b.to_string(),
                        other => other.name().to_string(),
                    };
                    Entry {
                        key,
                        key_span: key_node.span,
                        value: yaml_node(v, chars, offset),
                    }
                })
                .collect(),
        ),
        YamlData::Tagged(_, inner) => return yaml_node(inner, chars, offset),
        YamlData::Alias(_) | YamlData::BadValue => Kind::Null,
    };
    Node {
        span: start..end,
        kind,
    }
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
}
