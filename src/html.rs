//! Markup that is already safe, and the escaping that makes text safe.
//!
//! [`Html`] is the one place where rendered Markdown and SVG are marked safe for the
//! templates: it serializes to Tera as a safe string, and to JSON as a plain string.
//! Everything else that reaches a template is a plain string and gets Tera's
//! autoescaping.

use serde::{Serialize, Serializer};

/// A fragment of HTML or SVG produced by cxmap itself (sanitized Markdown, diagrams).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Html(String);

impl Html {
    /// Wraps markup that cxmap produced or sanitized.
    pub fn from_trusted(markup: String) -> Self {
        Html(markup)
    }

    /// The markup.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether there is no markup at all (only white space).
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl Serialize for Html {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Inside Tera's serializer a `tera::Value` passes through as it is, so the string
        // arrives marked safe; any other serializer sees a plain string.
        tera::Value::safe_string(&self.0).serialize(serializer)
    }
}

/// Escapes text for HTML or XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(text, &mut out);
    out
}

/// Tera's autoescaping, the same as [`escape_into`]: text in pages is escaped as in
/// diagrams, so a control character pasted into a field never reaches a page either.
pub fn escape_write(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    escape_pieces(text, |piece| {
        if result.is_ok() {
            result = out.write_all(piece.as_bytes());
        }
    });
    result
}

/// Escapes text for HTML or XML into `out`; drops characters XML forbids.
pub fn escape_into(text: &str, out: &mut String) {
    escape_pieces(text, |piece| out.push_str(piece));
}

/// Hands `text` to `put` escaped, in pieces: runs that need nothing as they are, and
/// the replacement of each character that does (empty for one XML forbids).
fn escape_pieces(text: &str, mut put: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let (replacement, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            0x00..=0x1f => ("", 1),
            // U+FFFE and U+FFFF, the only characters above U+001F that XML forbids and
            // a Rust string can hold.
            0xef if bytes[i + 1..].starts_with(&[0xbf, 0xbe])
                || bytes[i + 1..].starts_with(&[0xbf, 0xbf]) =>
            {
                ("", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        put(&text[start..i]);
        put(replacement);
        i += len;
        start = i;
    }
    put(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters XML allows (its `Char` production).
    fn is_xml_char(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    }

    /// Escaping one character at a time: what [`escape_into`] must give.
    fn by_character(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c if is_xml_char(c) => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn escaping_in_pieces_is_escaping_each_character() {
        for text in [
            "",
            "plain",
            "a\u{FFFE}b\u{FFFF}c\u{FFFD}\u{EFFF}\u{F000}ï¿½",
            "\u{0}\u{1f}\t\n\r\u{7f}\u{80}<&>\"'",
            "日本語 ✗ → ◆ 😀",
            "ends with <",
        ] {
            assert_eq!(escape(text), by_character(text), "{text:?}");
        }
        proptest::proptest!(|(text in "\\PC*|[\u{0}-\u{20}\u{fff0}-\u{ffff}<>&\"'a]*")| {
            proptest::prop_assert_eq!(escape(&text), by_character(&text));
            let mut written = Vec::new();
            escape_write(&text, &mut written).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(written).unwrap(), by_character(&text));
        });
    }

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("<a href=\"x\">&'\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn html_is_safe_in_tera_and_plain_in_json() {
        let mut tera = tera::Tera::new();
        tera.add_raw_template("t.html", "{{ h }}|{{ s }}").unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("h", &Html::from_trusted("<b>x</b>".into()));
        ctx.insert("s", "<b>x</b>");
        let out = tera.render("t.html", &ctx).unwrap();
        assert_eq!(out, "<b>x</b>|&lt;b&gt;x&lt;/b&gt;");
        assert_eq!(
            serde_json::to_string(&Html::from_trusted("<i>".into())).unwrap(),
            "\"<i>\""
        );
    }
}
