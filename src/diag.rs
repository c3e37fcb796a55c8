//! Diagnostics: problems in the user's content, collected as data.
//!
//! Every stage of the pipeline pushes [`Diagnostic`]s into one [`Diagnostics`] list and
//! goes on, so a single run reports every problem of the site. Spans are byte ranges into
//! the whole file (frontmatter and body alike); the renderer turns them into
//! `file:line:column`, quotes the line and draws a caret under the offending text.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site cannot be built as written.
    Error,
    /// The site builds, but something is probably not what the author meant.
    Warning,
}

/// One problem in one file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, lower-case, the offending thing in backticks.
    pub message: String,
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// Byte range in the file; `None` when the problem is the file as a whole.
    pub span: Option<Range<usize>>,
    /// A short label under the caret: what was expected.
    pub label: Option<String>,
    /// How to fix it, when the fix is obvious.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error about `file`.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: file.into(),
            span: None,
            label: None,
            help: None,
        }
    }

    /// A new warning about `file`.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Points the diagnostic at a byte range of the file.
    pub fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    /// Adds a label under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a `help:` line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a "did you mean" help when one of `candidates` is close to `word`.
    pub fn did_you_mean<'a>(
        self,
        word: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        match closest(word, candidates) {
            Some(best) => self.help(format!("did you mean `{best}`?")),
            None => self,
        }
    }
}

/// The closest candidate to `word`, when it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Every diagnostic of a run, with the text of the files they point into.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
    sources: BTreeMap<PathBuf, Arc<str>>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Remembers a file's text so diagnostics about it can quote it.
    pub fn add_source(&mut self, file: &Path, text: Arc<str>) {
        self.sources.insert(file.to_path_buf(), text);
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    /// Adds every diagnostic of another list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
        self.sources.extend(other.sources);
    }

    /// All diagnostics so far.
    pub fn all(&self) -> &[Diagnostic] {
        &self.list
    }

    /// How many errors there are.
    pub fn error_count(&self) -> usize {
        self.list
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// How many warnings there are.
    pub fn warning_count(&self) -> usize {
        self.list.len() - self.error_count()
    }

    /// Whether any error was reported.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Sorts by file, then position, then message, and drops exact repeats, so the
    /// report reads top to bottom and is the same on every run.
    pub fn sort(&mut self) {
        self.list.sort_by(|a, b| {
            (
                &a.file,
                a.span.as_ref().map(|s| (s.start, s.end)),
                a.severity,
                &a.message,
            )
                .cmp(&(
                    &b.file,
                    b.span.as_ref().map(|s| (s.start, s.end)),
                    b.severity,
                    &b.message,
                ))
        });
        self.list.dedup();
    }

    /// The `file:line:column` of a diagnostic (1-based; columns count characters).
    pub fn location(&self, d: &Diagnostic) -> String {
        let file = d.file.display().to_string().replace('\\', "/");
        match (&d.span, self.sources.get(&d.file)) {
            (Some(span), Some(text)) => {
                let (line, col) = line_col(text, span.start);
                format!("{file}:{line}:{col}")
            }
            _ => file,
        }
    }

    /// Renders every diagnostic, rustc-style; `color` for a terminal.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in &self.list {
            out.push_str(&self.render_one(d, color));
            out.push('\n');
        }
        out
    }

    /// Renders one diagnostic: message, location, the quoted line with a caret, help.
    pub fn render_one(&self, d: &Diagnostic, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = d.file.display().to_string().replace('\\', "/");
        let path = terminal_safe(&path);
        let message = terminal_safe(&d.message);
        let title = level.primary_title(message.as_ref());
        let text = self.sources.get(&d.file);
        let label = d.label.as_deref().map(terminal_safe);
        let snippet_text;
        let report_group;
        match (&d.span, text) {
            (Some(span), Some(text)) => {
                let span = clamp_span(text, span.clone());
                let (first, last) = lines_around(text, &span);
                // Same length, so the span still points at the same bytes.
                snippet_text = terminal_safe(&text[first..last]);
                let local = (span.start - first)..(span.end - first);
                let (line, _) = line_col(text, first);
                let mut annotation = AnnotationKind::Primary.span(local);
                if let Some(label) = &label {
                    annotation = annotation.label(label.as_ref());
                }
                report_group = title.element(
                    Snippet::source(snippet_text.as_ref())
                        .line_start(line)
                        .path(path.as_ref())
                        .annotation(annotation),
                );
            }
            _ => {
                report_group = title.element(annotate_snippets::Origin::path(path.as_ref()));
            }
        }
        let mut report = vec![report_group];
        let help = d.help.as_deref().map(terminal_safe);
        if let Some(help) = &help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_ref()),
            ));
        }
        let mut out = String::new();
        let _ = write!(out, "{}", renderer.render(&report));
        out.push('\n');
        out
    }
}

/// Text that is safe to print on a terminal: control characters (escape sequences that
/// set the window title, clear the screen or move the cursor, from a file name or a
/// step's text) become `?`, one `?` per byte, so byte offsets into the text still point
/// at the same characters. Tabs, line feeds and the carriage return of a CRLF stay.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char, next: Option<char>| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || (c == '\r' && next != Some('\n'))
    };
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if bad(c, chars.peek().copied()) {
            any = true;
            break;
        }
    }
    if !any {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if bad(c, chars.peek().copied()) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let mut end = floor_char_boundary(text, span.end.min(text.len())).max(start);
    // Point at the first line only: a caret over twenty lines helps nobody.
    if let Some(nl) = text[start..end].find('\n') {
        end = start + nl;
    }
    start..end
}

/// The byte range of the whole lines that hold `span`.
fn lines_around(text: &str, span: &Range<usize>) -> (usize, usize) {
    let first = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let mut last = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    if last > span.end && text[..last].ends_with('\r') {
        last -= 1;
    }
    (first, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "a = 1\nnom = \"María\"\nx";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        let i = text.find('"').unwrap() + 6; // after "Marí
        assert_eq!(line_col(text, i + 1), (2, 13));
    }

    #[test]
    fn escape_sequences_never_reach_the_terminal() {
        let text = "title = \"\x1b]0;owned\x07\x1b[2J\u{9b}x\"\r\nok\rx\tz";
        let safe = terminal_safe(text);
        assert_eq!(safe.len(), text.len(), "byte offsets stay");
        assert!(!safe.contains(|c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r')));
        assert!(safe.contains("\r\nok?x\tz"), "{safe:?}");
        assert!(matches!(
            terminal_safe("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
        let mut diags = Diagnostics::default();
        diags.add_source(Path::new("journeys/\x1b[2Ja.md"), text.into());
        diags.push(
            Diagnostic::error("journeys/\x1b[2Ja.md", "bad \x1b]0;t\x07")
                .at(9..12)
                .help("\x1b[31m"),
        );
        let out = diags.render(false);
        assert!(!out.contains('\x1b') && !out.contains('\u{9b}'), "{out:?}");
    }

    #[test]
    fn closest_finds_typos_only() {
        let cands = ["maria", "john", "consideration"];
        assert_eq!(closest("mria", cands), Some("maria"));
        assert_eq!(closest("considerashun", cands), Some("consideration"));
        assert_eq!(closest("zzz", cands), None);
    }

    #[test]
    fn renders_file_line_column_and_caret() {
        let mut diags = Diagnostics::new();
        let file = Path::new("journeys/a.md");
        diags.add_source(file, "+++\ntitle = 1\n+++\n".into());
        diags.push(
            Diagnostic::error(file, "`title` must be a string")
                .at(12..13)
                .label("expected a string")
                .help("write `title = \"…\"`"),
        );
        let text = diags.render(false);
        assert!(text.contains("journeys/a.md:2:9"), "{text}");
        assert!(text.contains("title = 1"), "{text}");
        assert!(text.contains('^'), "{text}");
        assert!(text.contains("help: write"), "{text}");
    }
}
