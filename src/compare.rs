//! Which two versions of a site `cxmap diff` compares: two folders, two revisions, a
//! revision and the files on disk, or `HEAD` and the files on disk. Each side is checked
//! like `cxmap check`; [`Side::changes`] then says what changed in journey terms.

use std::path::PathBuf;

use crate::diff::Changes;
use crate::error::Result;
use crate::load::find_root;
use crate::{Outcome, check, check_at};

/// What the command line asked to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Two site folders (`--before DIR --after DIR`).
    Folders {
        /// The site as it was.
        before: PathBuf,
        /// The site as it is now.
        after: PathBuf,
    },
    /// Revisions of the site around `root`: none (`HEAD` against the files on disk),
    /// one (it against the files on disk) or two (the first against the second; more
    /// are ignored).
    Revisions {
        /// The site folder, or any folder inside it.
        root: PathBuf,
        /// The revisions as git names them.
        revs: Vec<String>,
    },
}

/// One version of the site, checked.
#[derive(Debug)]
pub struct Side {
    /// How messages name it: `--before site`, ``site at `HEAD` ``, `site on disk`.
    pub label: String,
    /// What checking it found.
    pub outcome: Outcome,
}

/// Reads and checks both sides, the earlier first. A folder that is not a site or a
/// revision git does not know is an error; content errors are in each side's
/// diagnostics.
pub fn sides(request: &Request) -> Result<(Side, Side)> {
    match request {
        Request::Folders { before, after } => Ok((
            Side {
                label: "--before site".to_string(),
                outcome: check(&find_root(before)?)?,
            },
            Side {
                label: "--after site".to_string(),
                outcome: check(&find_root(after)?)?,
            },
        )),
        Request::Revisions { root, revs } => {
            let root = find_root(root)?;
            let at = |rev: Option<&str>| -> Result<Side> {
                Ok(match rev {
                    Some(rev) => Side {
                        label: format!("site at `{rev}`"),
                        outcome: check_at(&root, rev)?,
                    },
                    None => Side {
                        label: "site on disk".to_string(),
                        outcome: check(&root)?,
                    },
                })
            };
            match revs.as_slice() {
                [] => Ok((at(Some("HEAD"))?, at(None)?)),
                [one] => Ok((at(Some(one))?, at(None)?)),
                [one, two, ..] => Ok((at(Some(one))?, at(Some(two))?)),
            }
        }
    }
}

/// What changed from `before` to `after`; `None` when either side has content errors
/// or could not be read, so nothing can be compared.
pub fn changes(before: &Side, after: &Side) -> Option<Changes> {
    let failed = [before, after]
        .iter()
        .any(|s| s.outcome.diagnostics.has_errors());
    match (&before.outcome.site, &after.outcome.site, failed) {
        (Some(b), Some(a), false) => Some(crate::diff::sites(b, a)),
        _ => None,
    }
}
