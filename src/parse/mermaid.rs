//! Mermaid's user-journey diagrams (`journey`): text → [`MermaidJourney`] and problems.
//!
//! In: the text of a Mermaid `journey` diagram, from a ```` ```journey ```` fence in a
//! Markdown body or from a file given to `cxmap import mermaid`. Out: a typed
//! [`MermaidJourney`] and a list of [`Problem`]s, each with a byte span into the text,
//! so the caller can point at the right line of the file the text came from. Nothing
//! here draws: `diagram::mermaid` turns a diagram into a journey and draws it.
//!
//! The grammar follows Mermaid's own lexer (`journey.jison`), quirks included:
//! keywords are case-insensitive; `title` runs to the end of the statement (so it may
//! hold a `:`); a section name stops at `:`; `accTitle:` and `accDescr:` run to the end
//! of the line, `;` and `#` included, and `accDescr { … }` to the closing brace, across
//! lines; `%%` starts a comment anywhere, `#` too outside those values; `%%{…}%%`
//! directives are skipped, and so is a leading `---` frontmatter block, indented or not
//! (its `title:` is read, every other top-level setting is a warning that names it);
//! `<br>` in a section or task name is a line break (`\n`).
//! Where Mermaid is stricter or looser, this parser is what a CX writer would expect:
//! `;` ends a statement like a line break does, tasks before the first `section` land in
//! an unnamed first section, `Task: 3` and `Task: 3:` are tasks without actors, and a
//! score that is missing, not a whole number or outside 1–5 is an error (the contract's
//! rule for `emotion`) where Mermaid would draw it off the chart; but a stray setting
//! such as `size: 2rem` (one word, no number, no actors) is skipped with a warning, as
//! Mermaid draws past it.
//!
//! The parser never panics: it only slices the text at ASCII delimiters it found, and
//! every problem is reported and skipped, so one pass reports them all.

use std::ops::Range;
use std::path::Path;

use crate::diag::{Diagnostic, Severity};
use crate::slug::slugify;

/// Whether the text has to start with the `journey` statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header {
    /// A Mermaid file: anything else is not a journey diagram.
    Required,
    /// A ```` ```journey ```` fence, whose language already says what it is.
    Optional,
}

/// A parsed Mermaid user-journey diagram.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MermaidJourney {
    /// `title …` (or `title:` in the frontmatter).
    pub title: Option<String>,
    /// `accTitle: …`, the accessible name.
    pub acc_title: Option<String>,
    /// `accDescr: …` or `accDescr { … }`, the accessible description.
    pub acc_descr: Option<String>,
    /// Sections in order; tasks written before any `section` are in a first section
    /// with an empty name.
    pub sections: Vec<Section>,
}

impl MermaidJourney {
    /// Every actor, once, in the order they first appear.
    pub fn actors(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for task in self.sections.iter().flat_map(|s| &s.tasks) {
            for actor in &task.actors {
                if !out.contains(&actor.as_str()) {
                    out.push(actor);
                }
            }
        }
        out
    }

    /// How many tasks there are in all sections.
    pub fn task_count(&self) -> usize {
        self.sections.iter().map(|s| s.tasks.len()).sum()
    }
}

/// A `section`: a column of the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The name; empty for the tasks written before the first `section`.
    pub name: String,
    /// Where the `section` statement is (empty for the unnamed first section).
    pub span: Range<usize>,
    /// Tasks in order.
    pub tasks: Vec<Task>,
}

/// A task: `Make tea: 5: Me, Cat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// What the actors do.
    pub name: String,
    /// 1 (frustrated) to 5 (delighted); `None` when it was missing or invalid.
    pub score: Option<u8>,
    /// Who does it, as written (trimmed, empty names dropped).
    pub actors: Vec<String>,
    /// The whole statement.
    pub span: Range<usize>,
}

/// Something wrong in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Errors stop a build; warnings do not.
    pub severity: Severity,
    /// Byte range in the text given to [`parse`].
    pub span: Range<usize>,
    /// What is wrong, lower-case.
    pub message: String,
    /// What was expected, shown under the caret.
    pub label: String,
    /// How to fix it, when the fix is obvious.
    pub help: Option<String>,
}

impl Problem {
    fn new(severity: Severity, span: Range<usize>, message: String, label: &str) -> Self {
        Problem {
            severity,
            span,
            message,
            label: label.to_string(),
            help: None,
        }
    }

    /// The problem as a diagnostic of `file`, whose text holds the parsed text at byte
    /// `offset`.
    pub fn to_diagnostic(&self, file: &Path, offset: usize) -> Diagnostic {
        let d = match self.severity {
            Severity::Error => Diagnostic::error(file, self.message.clone()),
            Severity::Warning => Diagnostic::warning(file, self.message.clone()),
        }
        .at(offset + self.span.start..offset + self.span.end)
        .label(self.label.clone());
        match &self.help {
            Some(help) => d.help(help.clone()),
            None => d,
        }
    }
}

/// What [`parse`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The diagram, with whatever could be read.
    pub journey: MermaidJourney,
    /// Every problem, in the order of the text.
    pub problems: Vec<Problem>,
}

impl Parsed {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

const SCORE_LABEL: &str = "expected a whole number from 1 (frustrated) to 5 (delighted)";
const STATEMENT_LABEL: &str = "expected `section`, `title` or a task like `Make tea: 5: Me`";

/// Parses a Mermaid `journey` diagram.
pub fn parse(text: &str, header: Header) -> Parsed {
    let mut p = Parser {
        text,
        pos: 0,
        header,
        started: false,
        out: Parsed::default(),
    };
    if text.starts_with('\u{feff}') {
        p.pos = 3;
    }
    p.frontmatter();
    p.statements();
    p.out
}

struct Parser<'t> {
    text: &'t str,
    pos: usize,
    header: Header,
    /// Whether a statement has been read (the `journey` line counts).
    started: bool,
    out: Parsed,
}

impl Parser<'_> {
    fn bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    fn problem(&mut self, severity: Severity, span: Range<usize>, message: String, label: &str) {
        self.out
            .problems
            .push(Problem::new(severity, span, message, label));
    }

    fn help(&mut self, help: String) {
        if let Some(p) = self.out.problems.last_mut() {
            p.help = Some(help);
        }
    }

    /// The end of the line holding `from` (the index of its `\n`, or the end).
    fn line_end(&self, from: usize) -> usize {
        self.bytes()[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.text.len(), |i| from + i)
    }

    /// Where a plain statement ends: a line break, `;`, `#` or `%%`.
    fn statement_end(&self, from: usize) -> usize {
        let b = self.bytes();
        let mut i = from;
        while i < b.len() {
            match b[i] {
                b'\n' | b';' | b'#' => return i,
                b'%' if b.get(i + 1) == Some(&b'%') => return i,
                _ => i += 1,
            }
        }
        i
    }

    /// `start..end` without white space at either end.
    fn trim(&self, span: Range<usize>) -> Range<usize> {
        let s = &self.text[span.clone()];
        let start = span.start + (s.len() - s.trim_start().len());
        let end = span.start + s.trim_end().len();
        start..end.max(start)
    }

    /// A `---` block before the diagram, as Mermaid allows, both fences indented alike
    /// or not (Mermaid's own tests indent them): its `title:` is used, every other key
    /// at its top level (`config:`, `displayMode:` …) is ignored with a warning.
    fn frontmatter(&mut self) {
        let rest = &self.text[self.pos..];
        let lead = rest.len() - rest.trim_start().len();
        let first = self.pos + lead;
        let first_end = self.line_end(first);
        if self.text[first..first_end].trim_end() != "---" {
            return;
        }
        // The indentation of the block's keys: the first key line's.
        let mut indent: Option<usize> = None;
        let mut keys: Vec<(usize, &str)> = Vec::new();
        let mut line = first_end + 1;
        while line <= self.text.len() {
            let end = self.line_end(line.min(self.text.len()));
            let content = &self.text[line.min(end)..end];
            let key_at = content.len() - content.trim_start().len();
            let key = content.trim();
            if key == "---" {
                for (at, key) in keys {
                    self.frontmatter_key(at, key);
                }
                self.pos = end;
                return;
            }
            if !key.is_empty() && !key.starts_with('#') && *indent.get_or_insert(key_at) == key_at {
                keys.push((line + key_at, key));
            }
            line = end + 1;
        }
        self.problem(
            Severity::Error,
            first..first + 3,
            "the frontmatter is never closed".into(),
            "expected a `---` line after it",
        );
        self.pos = self.text.len();
    }

    /// A top-level line of the frontmatter, `key` (trimmed) at byte `at`.
    fn frontmatter_key(&mut self, at: usize, key: &str) {
        if let Some(value) = key.strip_prefix("title:") {
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            if !value.is_empty() {
                self.out.journey.title = Some(value.to_string());
            }
            return;
        }
        let name = key.split(':').next().unwrap_or(key).trim();
        let name_end = at + key.find(':').unwrap_or(key.len());
        self.problem(
            Severity::Warning,
            at..name_end,
            format!(
                "Mermaid's `{}` setting is not used by cxmap: it is ignored",
                shorten(name)
            ),
            "ignored",
        );
        self.help(
            "cxmap draws the diagram with the site's own theme and layout; only `title:` is read here"
                .into(),
        );
    }

    fn statements(&mut self) {
        let text = self.text;
        let b = text.as_bytes();
        loop {
            while self.pos < b.len() && (b[self.pos].is_ascii_whitespace() || b[self.pos] == b';') {
                self.pos += 1;
            }
            if self.pos >= b.len() {
                return;
            }
            let rest = &text[self.pos..];
            if let Some(directive) = rest.strip_prefix("%%{") {
                match directive.find("}%%") {
                    Some(i) => self.pos += 3 + i + 3,
                    None => {
                        self.problem(
                            Severity::Error,
                            self.pos..self.pos + 3,
                            "this directive is never closed".into(),
                            "expected `}%%` after it",
                        );
                        return;
                    }
                }
            } else if rest.starts_with("%%") || rest.starts_with('#') {
                self.pos = self.line_end(self.pos);
            } else if !self.statement() {
                return;
            }
        }
    }

    /// Length of a case-insensitive keyword at `at`, when it is there.
    fn keyword(&self, at: usize, word: &str) -> Option<usize> {
        let b = self.bytes();
        let end = at + word.len();
        (end <= b.len() && b[at..end].eq_ignore_ascii_case(word.as_bytes())).then_some(end)
    }

    /// `accTitle` or `accDescr` followed by `:` or `{`: the end of the keyword and the
    /// byte that follows it.
    fn acc_keyword(&self, at: usize, word: &str) -> Option<(usize, u8)> {
        let mut i = self.keyword(at, word)?;
        let b = self.bytes();
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        match b.get(i) {
            Some(&c @ (b':' | b'{')) => Some((i, c)),
            _ => None,
        }
    }

    /// Reads one statement at `self.pos`; `false` when the rest of the text is not to be
    /// read.
    fn statement(&mut self) -> bool {
        let start = self.pos;
        let first = !self.started;
        self.started = true;

        let acc = self
            .acc_keyword(start, "accTitle")
            .map(|(at, c)| (at, c, true))
            .or_else(|| {
                self.acc_keyword(start, "accDescr")
                    .map(|(at, c)| (at, c, false))
            });
        if let Some((at, c, is_title)) = acc {
            if first && self.header == Header::Required {
                return self.not_a_journey(start..at);
            }
            if c == b'{' && !is_title {
                let open = at + 1;
                match self.text[open..].find('}') {
                    Some(i) => {
                        self.out.journey.acc_descr = Some(block_text(&self.text[open..open + i]));
                        self.pos = open + i + 1;
                    }
                    None => {
                        self.out.journey.acc_descr = Some(block_text(&self.text[open..]));
                        self.problem(
                            Severity::Error,
                            start..open,
                            "`accDescr {` is never closed".into(),
                            "expected a `}` after the description",
                        );
                        self.pos = self.text.len();
                    }
                }
                return true;
            }
            if c == b':' {
                let end = self.line_end(at);
                let value = self.text[at + 1..end].trim().to_string();
                let slot = if is_title {
                    &mut self.out.journey.acc_title
                } else {
                    &mut self.out.journey.acc_descr
                };
                *slot = Some(value).filter(|v| !v.is_empty());
                self.pos = end;
                return true;
            }
        }

        let end = self.statement_end(start);
        let span = self.trim(start..end);
        self.pos = end;
        let content = &self.text[span.clone()];

        if content.eq_ignore_ascii_case("journey") {
            if !first {
                self.problem(
                    Severity::Warning,
                    span,
                    "`journey` is only allowed as the first statement".into(),
                    "this line is ignored",
                );
            }
            return true;
        }
        if first && self.header == Header::Required {
            return self.not_a_journey(span);
        }
        if let Some(rest) = self.keyword_with_value(span.clone(), "title") {
            if rest.is_empty() {
                self.problem(
                    Severity::Warning,
                    span,
                    "the title is empty".into(),
                    "expected text after `title`",
                );
            } else {
                self.out.journey.title = Some(self.text[rest].to_string());
            }
            return true;
        }
        if let Some(rest) = self.keyword_with_value(span.clone(), "section") {
            self.section(span, rest);
            return true;
        }
        self.task(span);
        true
    }

    /// The trimmed text after a keyword that is followed by white space (or nothing).
    fn keyword_with_value(&self, span: Range<usize>, word: &str) -> Option<Range<usize>> {
        let after = self.keyword(span.start, word)?;
        if after > span.end {
            return None;
        }
        if after < span.end && !self.bytes()[after].is_ascii_whitespace() {
            return None;
        }
        Some(self.trim(after..span.end))
    }

    fn not_a_journey(&mut self, span: Range<usize>) -> bool {
        self.problem(
            Severity::Error,
            span,
            "this is not a Mermaid journey diagram".into(),
            "expected `journey` as the first statement",
        );
        self.help("a user-journey diagram starts with a line that says `journey`".into());
        false
    }

    fn section(&mut self, span: Range<usize>, rest: Range<usize>) {
        let name_span = match self.text[rest.clone()].find(':') {
            Some(colon) => {
                let at = rest.start + colon;
                self.problem(
                    Severity::Error,
                    at..at + 1,
                    "a section name cannot contain `:`".into(),
                    "expected `section` and a name on a line of its own",
                );
                self.help("write each task on its own line, like `Make tea: 5: Me`".into());
                self.trim(rest.start..at)
            }
            None => rest,
        };
        if name_span.is_empty() {
            self.problem(
                Severity::Error,
                span.clone(),
                "this section has no name".into(),
                "expected a name after `section`",
            );
        }
        self.out.journey.sections.push(Section {
            name: line_breaks(&self.text[name_span]),
            span,
            tasks: Vec::new(),
        });
    }

    fn task(&mut self, span: Range<usize>) {
        let content = &self.text[span.clone()];
        let Some(colon) = content.find(':') else {
            self.unknown_statement(span);
            return;
        };
        let colon = span.start + colon;
        let name_span = self.trim(span.start..colon);
        if name_span.is_empty() {
            self.problem(
                Severity::Error,
                colon..colon + 1,
                "this task has no name".into(),
                "expected a name before the `:`, like `Make tea: 5: Me`",
            );
            return;
        }
        // `score: actors: anything else`, as Mermaid splits it.
        let mut pieces = Vec::new();
        let mut piece_start = colon + 1;
        for (i, c) in self.text[colon + 1..span.end].char_indices() {
            if c == ':' {
                pieces.push(piece_start..colon + 1 + i);
                piece_start = colon + 2 + i;
            }
        }
        pieces.push(piece_start..span.end);

        let name = line_breaks(&self.text[name_span.clone()]);
        if pieces.len() == 1 && self.is_stray_setting(name_span, pieces[0].clone()) {
            return;
        }
        let score = self.score(&name, colon, self.trim(pieces[0].clone()));
        let actors = pieces.get(1).map_or_else(Vec::new, |p| {
            self.text[p.clone()]
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect()
        });
        if pieces.len() > 2 {
            let extra = self.trim(pieces[2].start..span.end);
            if !extra.is_empty() {
                self.problem(
                    Severity::Warning,
                    extra,
                    "text after the actors is ignored".into(),
                    "expected `Task name: score: actors`",
                );
            }
        }
        if self.out.journey.sections.is_empty() {
            self.out.journey.sections.push(Section {
                name: String::new(),
                span: span.start..span.start,
                tasks: Vec::new(),
            });
        }
        if let Some(section) = self.out.journey.sections.last_mut() {
            section.tasks.push(Task {
                name,
                score,
                actors,
                span,
            });
        }
    }

    /// Whether `name: value` is a stray setting such as `size: 2rem` (one word, a value
    /// that is no number, no actors) rather than a task: Mermaid draws past such a line,
    /// so it is skipped with a warning instead of stopping the diagram.
    fn is_stray_setting(&mut self, name: Range<usize>, value: Range<usize>) -> bool {
        let value = self.trim(value);
        let raw = &self.text[value.clone()];
        let word = &self.text[name.clone()];
        if raw.is_empty()
            || raw.parse::<f64>().is_ok()
            || word.contains(|c: char| c.is_whitespace() || c == '<')
        {
            return false;
        }
        let line = format!("{}: {}", shorten(word), shorten(raw));
        self.problem(
            Severity::Warning,
            name.start..value.end,
            format!("`{line}` is not a task: the line is skipped"),
            "expected a task like `Make tea: 5: Me`",
        );
        self.help(format!(
            "a task's score is a whole number from 1 to 5, like `{}: 3`; remove the line if it is not a task",
            shorten(word)
        ));
        true
    }

    fn score(&mut self, task: &str, colon: usize, span: Range<usize>) -> Option<u8> {
        let raw = &self.text[span.clone()];
        if raw.is_empty() {
            self.problem(
                Severity::Error,
                colon..colon + 1,
                format!("task `{}` has no score", shorten(task)),
                SCORE_LABEL,
            );
            self.help(format!(
                "write `{}: 3`, or with actors `{}: 3: Me`",
                task, task
            ));
            return None;
        }
        if let Ok(n) = raw.parse::<i64>() {
            if (1..=5).contains(&n) {
                return Some(n as u8);
            }
            self.problem(
                Severity::Error,
                span,
                format!("score `{n}` is out of range"),
                SCORE_LABEL,
            );
            return None;
        }
        let message = if raw.parse::<f64>().is_ok_and(f64::is_finite) {
            format!("score `{raw}` is not a whole number")
        } else {
            format!("score `{}` is not a number", shorten(raw))
        };
        self.problem(Severity::Error, span, message, SCORE_LABEL);
        None
    }

    fn unknown_statement(&mut self, span: Range<usize>) {
        let content = &self.text[span.clone()];
        self.problem(
            Severity::Error,
            span,
            format!("unknown statement `{}`", shorten(content)),
            STATEMENT_LABEL,
        );
        let word = content.split_whitespace().next().unwrap_or("");
        let help = if word.eq_ignore_ascii_case("accTitle") || word.eq_ignore_ascii_case("accDescr")
        {
            format!("write `{word}: …` with a colon")
        } else if let Some(best) = crate::diag::closest(
            word,
            ["section", "title", "journey", "accTitle", "accDescr"],
        ) {
            format!("did you mean `{best}`?")
        } else {
            format!("a task needs a score: `{}: 3: Me`", shorten(content))
        };
        self.help(help);
    }
}

/// Text of `accDescr { … }`: each line trimmed, blank lines at either end dropped.
fn block_text(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// `name` with each HTML line break Mermaid accepts (`<br>`, `<br/>`, `<br />`,
/// `</br>`, any case) as a `\n`, each line trimmed: Mermaid draws a line break there,
/// and cxmap draws text, never markup.
fn line_breaks(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tag = &rest[at + 1..];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let is_br = tag.get(..2).is_some_and(|w| w.eq_ignore_ascii_case("br"));
        let after = tag.get(2..).unwrap_or("").trim_start();
        let after = after.strip_prefix('/').unwrap_or(after);
        match after.strip_prefix('>') {
            Some(tail) if is_br => {
                out.push('\n');
                rest = tail;
            }
            _ => {
                out.push('<');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    if !out.contains('\n') {
        return out;
    }
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// At most 40 characters of `text`, for a message.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// A stage id for the section `name`, the `index`-th: its slug, or `stage-N` when it has
/// none, with `-2`, `-3` … when taken.
pub(crate) fn unique_id(name: &str, index: usize, taken: &mut Vec<String>) -> String {
    let base = match slugify(name) {
        s if s.is_empty() => format!("stage-{}", index + 1),
        s => s,
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}

/// Parses the text of a ```` ```journey ```` fence, whose `journey` line is optional. A
/// fence with no section to draw and no other problem gets a warning: it stays a code
/// block. Sections without tasks are drawn, as Mermaid draws them.
pub fn parse_fence(text: &str) -> Parsed {
    let mut parsed = parse(text, Header::Optional);
    let nothing = parsed.journey.sections.is_empty();
    if nothing
        && !parsed
            .problems
            .iter()
            .any(|p| p.severity == Severity::Error)
    {
        let span = 0..text.trim_end().len();
        parsed.problems.push(Problem {
            help: Some("write a `section` line and tasks under it, like `Make tea: 5: Me`".into()),
            ..Problem::new(
                Severity::Warning,
                span,
                "this journey diagram has no sections".into(),
                "expected `section` and tasks like `Make tea: 5: Me`",
            )
        })
    }
    parsed
}

/// Mermaid's own example, and a reading of it that must have no problem: shared by the
/// tests of the parser and of the drawing.
#[cfg(test)]
pub(crate) mod examples {
    use super::{Header, MermaidJourney, parse};

    /// The diagram of Mermaid's syntax page.
    pub(crate) const EXAMPLE: &str = "journey
    title My working day
    section Go to work
      Make tea: 5: Me
      Go upstairs: 3: Me
      Do work: 1: Me, Cat
    section Go home
      Go downstairs: 5: Me
      Sit down: 5: Me
";

    /// `text` read, with no problem.
    pub(crate) fn ok(text: &str) -> MermaidJourney {
        let p = parse(text, Header::Required);
        assert!(p.problems.is_empty(), "{:#?}", p.problems);
        p.journey
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::examples::{EXAMPLE, ok};

    fn messages(text: &str, header: Header) -> Vec<(Severity, String, String)> {
        let p = parse(text, header);
        p.problems
            .iter()
            .map(|p| {
                (
                    p.severity,
                    p.message.clone(),
                    text[p.span.clone()].to_string(),
                )
            })
            .collect()
    }

    /// (name, score, actors) of a task.
    type Row = (String, Option<u8>, Vec<String>);

    fn shape(j: &MermaidJourney) -> Vec<(String, Vec<Row>)> {
        j.sections
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    s.tasks
                        .iter()
                        .map(|t| (t.name.clone(), t.score, t.actors.clone()))
                        .collect(),
                )
            })
            .collect()
    }

    fn task(name: &str, score: u8, actors: &[&str]) -> Row {
        (
            name.into(),
            Some(score),
            actors.iter().map(|a| a.to_string()).collect(),
        )
    }

    #[test]
    fn mermaids_documented_example() {
        let j = ok(EXAMPLE);
        assert_eq!(j.title.as_deref(), Some("My working day"));
        assert_eq!(
            shape(&j),
            vec![
                (
                    "Go to work".to_string(),
                    vec![
                        task("Make tea", 5, &["Me"]),
                        task("Go upstairs", 3, &["Me"]),
                        task("Do work", 1, &["Me", "Cat"]),
                    ]
                ),
                (
                    "Go home".to_string(),
                    vec![
                        task("Go downstairs", 5, &["Me"]),
                        task("Sit down", 5, &["Me"])
                    ]
                ),
            ]
        );
        assert_eq!(j.actors(), ["Me", "Cat"]);
        let t = &j.sections[0].tasks[2];
        assert_eq!(&EXAMPLE[t.span.clone()], "Do work: 1: Me, Cat");
    }

    #[test]
    fn semicolons_end_statements() {
        let j = ok("journey; title Day; section A; Tea: 5: Me; Work: 2\nsection B;Home: 4:;");
        assert_eq!(j.title.as_deref(), Some("Day"));
        assert_eq!(
            shape(&j),
            vec![
                (
                    "A".to_string(),
                    vec![task("Tea", 5, &["Me"]), task("Work", 2, &[])]
                ),
                ("B".to_string(), vec![task("Home", 4, &[])]),
            ]
        );
    }

    #[test]
    fn comments_and_directives_are_skipped() {
        let text = "%%{init: {'theme': 'forest',\n  'themeVariables': {}}}%%\njourney\n%% a whole line\n# another one\n  title Day %% trailing\nsection A # trailing too\n  Tea: 5: Me %% who else?\n  Coffee: 4: Me # later\n";
        let j = ok(text);
        assert_eq!(j.title.as_deref(), Some("Day"));
        assert_eq!(
            shape(&j),
            vec![(
                "A".to_string(),
                vec![task("Tea", 5, &["Me"]), task("Coffee", 4, &["Me"])]
            )]
        );
    }

    #[test]
    fn keywords_ignore_case() {
        let j = ok("JOURNEY\nTitle Day\nSection A\nTea: 5: Me");
        assert_eq!(j.title.as_deref(), Some("Day"));
        assert_eq!(j.sections[0].name, "A");
    }

    #[test]
    fn accessibility_fields() {
        let j = ok(
            "journey\naccTitle: Day; with # all\naccDescr {\n   First line\n   second line\n}\nsection A\nTea: 5",
        );
        assert_eq!(j.acc_title.as_deref(), Some("Day; with # all"));
        assert_eq!(j.acc_descr.as_deref(), Some("First line\nsecond line"));
        let j = ok("journey\naccDescr : One line\naccDescr{inline}section A\nTea: 5");
        assert_eq!(j.acc_descr.as_deref(), Some("inline"));
        assert_eq!(j.sections.len(), 1);
        let m = messages("journey\naccDescr {\nnever closed", Header::Required);
        assert_eq!(m[0].1, "`accDescr {` is never closed");
    }

    #[test]
    fn tasks_before_any_section_get_an_unnamed_section() {
        let j = ok("journey\nTea: 5: Me\nsection Later\nHome: 3");
        assert_eq!(
            shape(&j),
            vec![
                (String::new(), vec![task("Tea", 5, &["Me"])]),
                ("Later".to_string(), vec![task("Home", 3, &[])]),
            ]
        );
    }

    #[test]
    fn actors_may_be_missing_or_empty() {
        let j = ok("journey\nsection A\nOne: 3\nTwo: 3:\nThree: 3: ,Me, ,Cat,\n");
        assert_eq!(
            shape(&j)[0].1,
            vec![
                task("One", 3, &[]),
                task("Two", 3, &[]),
                task("Three", 3, &["Me", "Cat"])
            ]
        );
    }

    #[test]
    fn bad_scores_are_errors_and_keep_the_task() {
        let text = "journey\nsection A\nA: 7: Me\nB: high: Me\nC: 2.5\nD: 0\nE:\nF: -1";
        let m = messages(text, Header::Required);
        let got: Vec<(&str, &str)> = m
            .iter()
            .map(|(_, msg, s)| (msg.as_str(), s.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("score `7` is out of range", "7"),
                ("score `high` is not a number", "high"),
                ("score `2.5` is not a whole number", "2.5"),
                ("score `0` is out of range", "0"),
                ("task `E` has no score", ":"),
                ("score `-1` is out of range", "-1"),
            ]
        );
        assert!(m.iter().all(|(s, _, _)| *s == Severity::Error));
        let p = parse(text, Header::Required);
        assert_eq!(p.journey.task_count(), 6);
        assert_eq!(p.journey.sections[0].tasks[0].score, None);
        assert_eq!(p.journey.sections[0].tasks[0].actors, ["Me"]);
    }

    #[test]
    fn unknown_statements_say_what_was_expected() {
        let text =
            "journey\nsectoin A\nJust words\nsection\n: 4: Me\nsection B: 3\nT: 3: Me: extra\n";
        let p = parse(text, Header::Required);
        let got: Vec<(Severity, &str, &str, &str)> = p
            .problems
            .iter()
            .map(|p| {
                (
                    p.severity,
                    p.message.as_str(),
                    &text[p.span.clone()],
                    p.help.as_deref().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    Severity::Error,
                    "unknown statement `sectoin A`",
                    "sectoin A",
                    "did you mean `section`?"
                ),
                (
                    Severity::Error,
                    "unknown statement `Just words`",
                    "Just words",
                    "a task needs a score: `Just words: 3: Me`"
                ),
                (Severity::Error, "this section has no name", "section", ""),
                (Severity::Error, "this task has no name", ":", ""),
                (
                    Severity::Error,
                    "a section name cannot contain `:`",
                    ":",
                    "write each task on its own line, like `Make tea: 5: Me`"
                ),
                (
                    Severity::Warning,
                    "text after the actors is ignored",
                    "extra",
                    ""
                ),
            ]
        );
        assert_eq!(p.problems[0].label, STATEMENT_LABEL);
    }

    #[test]
    fn the_journey_line_is_required_in_files_only() {
        let m = messages("flowchart LR\nA --> B", Header::Required);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].1, "this is not a Mermaid journey diagram");
        assert_eq!(m[0].2, "flowchart LR");
        let p = parse("section A\nTea: 5", Header::Optional);
        assert!(p.problems.is_empty());
        assert_eq!(p.journey.task_count(), 1);
        let m = messages("section A\njourney\nTea: 5", Header::Optional);
        assert_eq!(m[0].0, Severity::Warning);
    }

    #[test]
    fn frontmatter_title_and_bom() {
        let j = ok("\u{feff}---\ntitle: \"Front\"\n---\njourney\nsection A\nTea: 5");
        assert_eq!(j.title.as_deref(), Some("Front"));
        let j = ok("---\ntitle: Front\n---\njourney\ntitle Body\nsection A\nTea: 5");
        assert_eq!(j.title.as_deref(), Some("Body"));
        let m = messages("---\ntitle: x\njourney", Header::Required);
        assert_eq!(m[0].1, "the frontmatter is never closed");
    }

    #[test]
    fn indented_frontmatter_and_settings_cxmap_does_not_use() {
        let text = "\n      ---\n      title: Front\n      config:\n        journey:\n          maxLabelWidth: 320\n      displayMode: compact\n      ---\n      journey\n        section A\n          Tea: 5:\n";
        let p = parse(text, Header::Required);
        assert_eq!(p.journey.title.as_deref(), Some("Front"));
        assert_eq!(p.journey.task_count(), 1);
        let got: Vec<(Severity, &str, &str)> = p
            .problems
            .iter()
            .map(|p| (p.severity, p.message.as_str(), &text[p.span.clone()]))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Severity::Warning,
                    "Mermaid's `config` setting is not used by cxmap: it is ignored",
                    "config"
                ),
                (
                    Severity::Warning,
                    "Mermaid's `displayMode` setting is not used by cxmap: it is ignored",
                    "displayMode"
                ),
            ]
        );
        let m = messages("  ---\n  title: x\n  journey", Header::Required);
        assert_eq!(m[0].1, "the frontmatter is never closed");
    }

    #[test]
    fn html_line_breaks_in_names_are_line_breaks() {
        let j = ok(
            "journey\nsection Line1<br>Line2<br/>Line3</br />Line4<br\t/>Line5 <BR> Six\nA<br>task: 3\nKeep <b>: 2",
        );
        assert_eq!(j.sections[0].name, "Line1\nLine2\nLine3\nLine4\nLine5\nSix");
        assert_eq!(j.sections[0].tasks[0].name, "A\ntask");
        assert_eq!(j.sections[0].tasks[1].name, "Keep <b>");
        assert_eq!(line_breaks("<brown> <br"), "<brown> <br");
        assert_eq!(line_breaks("é<bré>"), "é<bré>");
    }

    #[test]
    fn a_stray_setting_is_skipped_with_a_warning() {
        let text = "journey\nsection A\nTea: 5: Me\n\n    size: 2rem\nfont-size: \"big\"\nMake tea: Hello: Me\nGo home: later\n";
        let p = parse(text, Header::Required);
        let got: Vec<(Severity, &str, &str)> = p
            .problems
            .iter()
            .map(|p| (p.severity, p.message.as_str(), &text[p.span.clone()]))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Severity::Warning,
                    "`size: 2rem` is not a task: the line is skipped",
                    "size: 2rem"
                ),
                (
                    Severity::Warning,
                    "`font-size: \"big\"` is not a task: the line is skipped",
                    "font-size: \"big\""
                ),
                (Severity::Error, "score `Hello` is not a number", "Hello"),
                (Severity::Error, "score `later` is not a number", "later"),
            ]
        );
        assert_eq!(p.journey.task_count(), 3);
    }

    #[test]
    fn title_may_hold_a_colon_and_crlf_is_fine() {
        let j = ok("journey\r\ntitle Day: the long one\r\nsection A\r\nTea: 5: Me\r\n");
        assert_eq!(j.title.as_deref(), Some("Day: the long one"));
        assert_eq!(shape(&j)[0].1, vec![task("Tea", 5, &["Me"])]);
    }

    #[test]
    fn never_panics() {
        // A small deterministic generator over the characters that matter.
        let alphabet: Vec<char> =
            "journey title section accTitle accDescr :;,#%{}\n\r\t 5-7.é💥\u{feff}-"
                .chars()
                .collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 60) as usize;
            let mut s = String::new();
            let mut x = seed;
            for _ in 0..len {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[(x >> 33) as usize % alphabet.len()]);
            }
            for header in [Header::Required, Header::Optional] {
                let p = parse(&s, header);
                for problem in &p.problems {
                    assert!(problem.span.start <= problem.span.end, "{s:?}");
                    assert!(s.get(problem.span.clone()).is_some(), "{s:?} {problem:?}");
                }
                for t in p.journey.sections.iter().flat_map(|s| &s.tasks) {
                    assert!(s.get(t.span.clone()).is_some(), "{s:?}");
                }
            }
        }
    }
}
