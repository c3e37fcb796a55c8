//! The terminal: whether to colour, the few coloured words cxmap prints itself
//! (diagnostics colour their own through [`Diagnostics::render`]), and the lines the
//! commands close with. Everything a user wrote goes through [`terminal_safe`] first.

use std::io::IsTerminal;
use std::path::Path;

use crate::diag::{Diagnostics, terminal_safe};
use crate::model::Site;
use crate::serve::Report;
use crate::text::plural;

/// Bold red, as rustc and cargo print `error`.
const RED: &str = "\x1b[1;31m";
/// Back to plain text.
const RESET: &str = "\x1b[0m";

/// How a command speaks on standard error.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    /// Colour the output.
    pub color: bool,
    /// Print progress and closing lines (not with `--quiet`, nor when nobody watches).
    pub chatty: bool,
}

impl Out {
    /// `color`: `Some` for `--color always|never`; `None` (auto) colours only a
    /// terminal, and never when `NO_COLOR` is set (<https://no-color.org>).
    pub fn new(color: Option<bool>, quiet: bool) -> Out {
        let tty = std::io::stderr().is_terminal();
        Out {
            color: color.unwrap_or_else(|| tty && std::env::var_os("NO_COLOR").is_none()),
            chatty: !quiet && tty,
        }
    }

    /// Prints a progress line when someone is watching.
    pub fn say(self, line: impl FnOnce() -> String) {
        if self.chatty {
            eprintln!("{}", line());
        }
    }

    /// Prints a failure outside the content: `error: …`.
    pub fn error(self, message: &str) {
        eprintln!("{}: {}", error_word(self.color), terminal_safe(message));
    }

    /// Prints diagnostics and the closing line: `success()` (with the warnings counted)
    /// when there are no errors, else the count of errors. Returns whether there were
    /// errors.
    pub fn finish(self, diags: &Diagnostics, success: impl FnOnce() -> String) -> bool {
        if !diags.all().is_empty() {
            eprint!("{}", diags.render(self.color));
        }
        let (errors, warnings) = (diags.error_count(), diags.warning_count());
        if errors > 0 {
            let also = match warnings {
                0 => String::new(),
                n => format!(", {}", plural(n, "warning")),
            };
            let (word, errors) = (error_word(self.color), plural(errors, "error"));
            eprintln!("{word}: {errors}{also}; nothing was written");
            return true;
        }
        let also = match warnings {
            0 => String::new(),
            n => format!(" ({})", plural(n, "warning")),
        };
        self.say(|| format!("{}{also}", success()));
        false
    }
}

/// The word `error`, bold red when `color`.
pub fn error_word(color: bool) -> String {
    if color {
        format!("{RED}error{RESET}")
    } else {
        "error".to_string()
    }
}

/// A path as the user would type it from here: relative to the current folder, `.` for
/// the current folder itself, never with a control character.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let rel = path.strip_prefix(&cwd).unwrap_or(path);
    let shown = if rel.as_os_str().is_empty() {
        ".".to_string()
    } else {
        rel.display().to_string()
    };
    terminal_safe(&shown).into_owned()
}

/// The maps due for review, a line each, for `cxmap check --stale` (before
/// [`terminal_safe`], which the caller applies to all of it).
pub fn stale_report(site: &Site) -> String {
    let days = site.config.stale_after_days;
    let stale = site.stale();
    let Some(today) = site.content_date.filter(|_| !stale.is_empty()) else {
        return format!("no map is due for review (stale_after_days = {days})\n");
    };
    let mut out = format!(
        "{} due for review: not reviewed within {days} days of {today}, the newest date in the content\n",
        plural(stale.len(), "map")
    );
    for s in stale {
        out.push_str(&format!(
            "  {}  {} {}, {} days before\n",
            s.journey.source.display(),
            if s.reviewed {
                "reviewed"
            } else {
                "last changed"
            },
            s.seen,
            s.days
        ));
    }
    out
}

/// What `cxmap serve` prints after each build: its diagnostics or failure, then a line
/// with the time it took (the first build counts files, later ones changed files).
pub fn serve_reporter(color: bool) -> impl FnMut(&Report) + Send + 'static {
    let mut first = true;
    move |r: &Report| {
        if !r.diagnostics.all().is_empty() {
            eprint!("{}", r.diagnostics.render(color));
        }
        if let Some(f) = &r.failure {
            eprintln!("error: {}", terminal_safe(&f.to_string()));
        }
        let ms = r.elapsed.as_secs_f64() * 1000.0;
        if r.failed() {
            eprintln!("build failed in {ms:.0} ms; still serving the last good build");
        } else if first {
            eprintln!("built {} in {ms:.0} ms", plural(r.files, "file"));
        } else {
            let changed = plural(r.changed, "file");
            eprintln!("rebuilt in {ms:.0} ms: {changed} changed");
        }
        first = false;
    }
}

/// Opens `url` with the system's handler; a failure only prints a note.
pub fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if cmd
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("could not open a browser; open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_red_only_in_colour() {
        assert_eq!(error_word(false), "error");
        assert_eq!(error_word(true), "\x1b[1;31merror\x1b[0m");
    }
}
