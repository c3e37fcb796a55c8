//! System failures: the site cannot be read or written, or a template is broken.
//! Problems in the user's content are [`crate::diag::Diagnostic`]s instead.

use std::path::PathBuf;

/// Something outside the content went wrong.
#[derive(Debug)]
pub enum Error {
    /// Reading or writing a file failed.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// No `cxmap.toml` in the folder or any folder above it.
    NotASite {
        /// Where we looked first.
        path: PathBuf,
    },
    /// A theme template does not parse or fails to render.
    Template {
        /// Template name.
        name: String,
        /// Tera's message.
        message: String,
    },
    /// The theme named in `cxmap.toml` does not exist or its templates do not parse.
    Theme {
        /// The theme's name.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// A name given on the command line cannot become a file name.
    InvalidName {
        /// The name as given.
        name: String,
    },
    /// The output folder would overwrite the site itself.
    UnsafeOutput {
        /// The output folder.
        path: PathBuf,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A file that would be created exists already.
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// A file would be written at or through a symbolic link.
    Symlink {
        /// The link.
        path: PathBuf,
    },
    /// A report or export would replace a file cxmap did not make.
    NotMade {
        /// The file.
        path: PathBuf,
    },
    /// A report or export would be written over one of the site's sources.
    SiteSource {
        /// The file or folder.
        path: PathBuf,
    },
    /// A command-line argument names something that cannot be used (an unknown
    /// journey, a journey with nothing to export, an out-of-range value).
    Usage {
        /// What is wrong, naming the argument.
        message: String,
        /// How to fix it, when that is clear.
        help: Option<String>,
    },
    /// A poster could not be drawn or encoded.
    Export {
        /// What failed.
        message: String,
    },
}

impl Error {
    /// Wraps an I/O error with its path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The process exit code for this failure: 2 when the command line asked for
    /// something that cannot be done as asked (a folder that is no site, a name or a
    /// path that is refused, a file in the way), 1 when the work itself failed.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::NotASite { .. }
            | Error::UnsafeOutput { .. }
            | Error::Exists { .. }
            | Error::Symlink { .. }
            | Error::NotMade { .. }
            | Error::SiteSource { .. }
            | Error::InvalidName { .. }
            | Error::Usage { .. } => 2,
            Error::Io { .. }
            | Error::Template { .. }
            | Error::Theme { .. }
            | Error::Export { .. } => 1,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::NotASite { path } => write!(
                f,
                "no `cxmap.toml` in `{}` or any folder above it (run `cxmap init` to start a site)",
                path.display()
            ),
            Error::Template { name, message } => write!(f, "template `{name}`: {message}"),
            Error::Theme { name, message } => write!(f, "theme `{name}`: {message}"),
            Error::InvalidName { name } => write!(
                f,
                "`{name}` cannot be turned into a file name: use letters or digits, with `/` between folders and no `..`"
            ),
            Error::UnsafeOutput { path, reason } => {
                write!(
                    f,
                    "refusing to write the site into `{}`: {reason}",
                    path.display()
                )
            }
            Error::Exists { path } => write!(
                f,
                "`{}` exists already; nothing was changed (add `--force` to replace it)",
                path.display()
            ),
            Error::Symlink { path } => write!(
                f,
                "`{}` is a symbolic link; nothing was written (cxmap never writes through a link: remove it or choose another path)",
                path.display()
            ),
            Error::NotMade { path } => write!(
                f,
                "`{}` exists and was not written by cxmap; nothing was changed (add `--force` to replace it)",
                path.display()
            ),
            Error::SiteSource { path } => write!(
                f,
                "`{}` is one of the site's sources; cxmap never writes a report or an export there, even with `--force` (choose another path)",
                path.display()
            ),
            Error::Usage { message, help } => {
                write!(f, "{message}")?;
                match help {
                    Some(help) => write!(f, "\n  = help: {help}"),
                    None => Ok(()),
                }
            }
            Error::Export { message } => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_mistakes_exit_2_and_failures_1() {
        let usage = Error::Usage {
            message: "no journey `x`".into(),
            help: None,
        };
        assert_eq!(usage.exit_code(), 2);
        assert_eq!(Error::NotASite { path: "x".into() }.exit_code(), 2);
        let io = Error::io("x", std::io::Error::other("disk full"));
        assert_eq!(io.exit_code(), 1);
    }
}
