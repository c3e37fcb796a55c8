//! Splitting a content file into its frontmatter and its Markdown body.
//!
//! `+++` fences TOML, `---` fences YAML. A byte-order mark, CRLF line endings and blank
//! lines before the opening fence are accepted. Offsets returned are into the whole
//! file, so diagnostics point at the right line.

use std::ops::Range;

/// The frontmatter language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `+++` … `+++`
    Toml,
    /// `---` … `---`
    Yaml,
}

/// A file cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// TOML or YAML.
    pub format: Format,
    /// The frontmatter text, without fences.
    pub front: &'a str,
    /// Where `front` starts in the file.
    pub front_offset: usize,
    /// The Markdown body.
    pub body: &'a str,
    /// Where `body` starts in the file.
    pub body_offset: usize,
    /// The opening fence line.
    pub open: Range<usize>,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with `+++` or `---`.
    Missing,
    /// The opening fence at this span is never closed.
    Unterminated(Range<usize>),
}

/// Splits `text` (the whole file) into frontmatter and body.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // Skip blank lines before the fence.
    loop {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if pos < text.len() && text[pos..line_end].trim().is_empty() && line_end > pos {
            pos = line_end;
        } else {
            break;
        }
    }
    let (first, first_end) = line_at(text, pos);
    let fence = first.trim_end();
    let format = match fence {
        "+++" => Format::Toml,
        "---" => Format::Yaml,
        _ => return Err(SplitError::Missing),
    };
    let open = pos..pos + fence.len();
    let front_offset = first_end;
    let mut cursor = first_end;
    while cursor < text.len() {
        let (line, end) = line_at(text, cursor);
        if line.trim_end() == fence {
            return Ok(Split {
                format,
                front: &text[front_offset..cursor],
                front_offset,
                body: &text[end..],
                body_offset: end,
                open,
            });
        }
        cursor = end;
    }
    Err(SplitError::Unterminated(open))
}

/// The line starting at `pos` (without its newline) and where the next one starts.
fn line_at(text: &str, pos: usize) -> (&str, usize) {
    match text[pos..].find('\n') {
        Some(i) => (text[pos..pos + i].trim_end_matches('\r'), pos + i + 1),
        None => (&text[pos..], text.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_frontmatter_and_body() {
        let text = "+++\ntitle = \"x\"\n+++\n# Body\n";
        let s = split(text).unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.front, "title = \"x\"\n");
        assert_eq!(&text[s.front_offset..s.front_offset + 5], "title");
        assert_eq!(s.body, "# Body\n");
    }

    #[test]
    fn bom_crlf_and_yaml() {
        let text = "\u{feff}---\r\nname: A\r\n---\r\nbody";
        let s = split(text).unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.front, "name: A\r\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn unterminated_and_missing() {
        assert_eq!(
            split("+++\ntitle = 1\n"),
            Err(SplitError::Unterminated(0..3))
        );
        assert_eq!(split("# just markdown"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
    }

    #[test]
    fn empty_frontmatter_at_end_of_file() {
        let s = split("+++\n+++").unwrap();
        assert_eq!(s.front, "");
        assert_eq!(s.body, "");
    }
}
