//! The git history of a site, read with gix (pure Rust; no `git` binary is run).
//!
//! [`open`] finds the repository that holds the site (searching upwards) and where the
//! site sits inside its work tree. [`history`] walks the commits reachable from `HEAD`
//! once and tells, for every file under the site folder, which commits changed it,
//! following renames. [`files_at`], [`file_at`] and [`resolve`] read the site as it was
//! at a revision, for `cxmap diff` and for curves at earlier revisions.
//!
//! Nothing here fails a build: outside git, in a bare repository or on any failure to
//! open, [`open`] gives `None`; the other functions return an [`Error`] a build turns
//! into a warning. The same repository gives the same answers every time: no clock, no
//! randomness, and the repository's own diff settings are not read.
//!
//! How the walk works:
//!
//! - Every commit reachable from `HEAD` is read once (all parents, not only the first),
//!   then ordered like `git log --date-order`: a commit always comes before its parents,
//!   newer committer dates first among those that are ready, ties in the order the walk
//!   met them (first parents first).
//! - For each commit, the tree of the site folder is compared with the same folder in
//!   each parent (the root commit and a shallow boundary against nothing). When the
//!   folder's tree id is the same, nothing is read: most commits cost one lookup.
//! - A commit counts for a path when the path differs from *every* parent (as
//!   `git log -- path` does): a merge lists only what it changed itself, e.g. a
//!   conflict resolution; the commits of the merged branch are listed as themselves.
//! - Renames are detected as `git` does by default (50% similar content, exact matches
//!   first, no copies), within the site folder. Each commit carries a map from its paths
//!   to the files at `HEAD`; a rename between a commit and its parent hands the file's
//!   name in the parent over to the same file, so `journeys/new.md` keeps the commits
//!   of `journeys/old.md`. An addition ends a file's history along that parent.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use gix::ObjectId;
use gix::bstr::{BStr, BString, ByteSlice};
use gix::objs::tree::EntryKind;

use crate::parse::node::Date;

/// The repository that holds a site, and the site's folder inside its work tree.
pub struct Repo {
    repo: gix::ThreadSafeRepository,
    /// The site root relative to the work tree; empty when they are the same folder.
    prefix: PathBuf,
    /// The work tree, as the file system names it (canonical).
    workdir: PathBuf,
}

impl fmt::Debug for Repo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Repo")
            .field("workdir", &self.workdir)
            .field("prefix", &self.prefix)
            .finish()
    }
}

impl Repo {
    /// The site root relative to the work tree (`""` when the site is the work tree).
    pub fn prefix(&self) -> &Path {
        &self.prefix
    }

    /// The repository's work tree (canonical path).
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// A handle for this thread, with an object cache for repeated tree lookups.
    fn local(&self) -> gix::Repository {
        let mut repo = self.repo.to_thread_local();
        repo.object_cache_size_if_unset(16 * 1024 * 1024);
        repo
    }
}

/// Opens the repository containing `site_root` (searching upwards); `None` outside git,
/// for a bare repository, or on any failure to open (which is never an error for a
/// build).
pub fn open(site_root: &Path) -> Option<Repo> {
    let root = std::fs::canonicalize(site_root).ok()?;
    let repo = gix::ThreadSafeRepository::discover(&root).ok()?;
    let workdir = std::fs::canonicalize(repo.work_dir()?).ok()?;
    let prefix = root.strip_prefix(&workdir).ok()?.to_path_buf();
    // A site inside the `.git` folder is no site of this repository.
    if prefix
        .components()
        .next()
        .is_some_and(|c| c.as_os_str() == ".git")
    {
        return None;
    }
    Some(Repo {
        repo,
        prefix,
        workdir,
    })
}

/// One commit as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Commit {
    /// The full object id, in hex.
    pub id: String,
    /// The first 7 hex digits of the id.
    pub short: String,
    /// The author's name.
    pub author: String,
    /// The author's email.
    pub email: String,
    /// Author time, in seconds since the epoch.
    pub time: i64,
    /// The author's offset from UTC, in minutes.
    pub offset_minutes: i32,
    /// The author's local date.
    pub date: Date,
    /// The subject as `git log` shows it: the message's first paragraph on one line.
    pub subject: String,
}

/// The history of the site's files, from one walk of the commits reachable from HEAD.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Commits that changed at least one file under the site folder, newest first: a
    /// commit always before its parents, then by committer date, ties in walk order.
    pub commits: Vec<Commit>,
    /// For each file that exists at HEAD, by its path relative to the SITE root
    /// (`journeys/retail/order.md`): the indexes into `commits` of the commits that
    /// changed it, newest first, following renames (a file renamed from
    /// `journeys/a.md` keeps `a.md`'s commits).
    pub files: BTreeMap<PathBuf, Vec<usize>>,
    /// Whether the history stops at a shallow boundary (a shallow clone). The oldest
    /// commit then shows every file as added: pages say "history starts at …".
    pub shallow: bool,
    /// Site files that differ from HEAD in the work tree or index (modified, added,
    /// deleted, untracked under the site folder), relative to the site root; empty when
    /// that cannot be known cheaply. Pages say "uncommitted changes".
    pub uncommitted: BTreeSet<PathBuf>,
    /// For each of `commits`, the site files it changed against its first parent (all
    /// its files for a root commit), sorted: what the "What changed" page reads.
    pub changed: Vec<Vec<FileChange>>,
}

/// A site file a commit changed: its path before (none when added) and after (none
/// when deleted); both differ for a rename. Relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileChange {
    /// The path in the parent.
    pub before: Option<PathBuf>,
    /// The path in the commit.
    pub after: Option<PathBuf>,
}

/// Reading the repository failed; a build turns this into a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A revision names nothing in the repository.
    UnknownRevision {
        /// The revision as given.
        rev: String,
    },
    /// A revision names an object that is not a commit (a tree or a blob).
    NotACommit {
        /// The revision as given.
        rev: String,
    },
    /// The repository could not be read.
    Git {
        /// What gix said.
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownRevision { rev } => write!(f, "no revision `{rev}` in the repository"),
            Error::NotACommit { rev } => write!(f, "revision `{rev}` does not name a commit"),
            Error::Git { message } => write!(f, "cannot read the git repository: {message}"),
        }
    }
}

impl std::error::Error for Error {}

fn git(error: impl fmt::Display) -> Error {
    Error::Git {
        message: error.to_string(),
    }
}

/// Walks the history once and tells which commits changed each site file.
pub fn history(repo: &Repo) -> Result<History, Error> {
    let r = repo.local();
    let prefix = prefix_bytes(&repo.prefix);
    let mut out = History {
        uncommitted: uncommitted(&r, &prefix),
        ..History::default()
    };
    let Some(head) = head_commit(&r)? else {
        return Ok(out); // unborn HEAD: no commits yet
    };
    let shallow: HashSet<ObjectId> = match r.shallow_commits() {
        Ok(Some(commits)) => commits.iter().copied().collect(),
        _ => HashSet::new(),
    };
    let (nodes, hit_shallow) = walk(&r, head, &shallow, &prefix)?;
    out.shallow = hit_shallow;
    let order = date_order(&nodes);

    // The files at HEAD: their paths (the key of every map below) and their commits.
    let head_files = match nodes[0].site {
        Some(tree) => blob_paths(&r, tree)?,
        None => Vec::new(),
    };
    let mut hits: Vec<Vec<usize>> = vec![Vec::new(); head_files.len()];
    let head_map: PathMap = head_files
        .iter()
        .enumerate()
        .map(|(i, (_, bytes, _))| (bytes.clone(), i))
        .collect();

    let mut differ = Differ::new(&r)?;
    let mut maps: Vec<Option<Rc<PathMap>>> = vec![None; nodes.len()];
    maps[0] = Some(Rc::new(head_map));
    for &i in &order {
        let map = maps[i].take().unwrap_or_default();
        let node = &nodes[i];
        // Changes against each parent, or against nothing for a root commit.
        let parent_sites: Vec<Option<ObjectId>> = if node.parents.is_empty() {
            vec![None]
        } else {
            node.parents.iter().map(|&p| nodes[p].site).collect()
        };
        let mut touched: Option<BTreeSet<BString>> = None;
        let mut first: Vec<FileChange> = Vec::new();
        for (k, &parent_site) in parent_sites.iter().enumerate() {
            let changes = differ.diff(parent_site, node.site)?;
            if k == 0 {
                first = changes.iter().filter_map(Change::file_change).collect();
                first.sort();
            }
            let paths: BTreeSet<BString> = changes.iter().map(|c| c.path().to_owned()).collect();
            touched = Some(match touched {
                None => paths,
                Some(before) => before.intersection(&paths).cloned().collect(),
            });
            if let Some(&p) = node.parents.get(k) {
                let parent_map = hand_over(&map, &changes);
                give(&mut maps[p], parent_map);
            }
        }
        let touched = touched.unwrap_or_default();
        if touched.is_empty() {
            continue;
        }
        let c = out.commits.len();
        out.commits.push(commit_info(&r, node.id)?);
        out.changed.push(first);
        for path in &touched {
            if let Some(&f) = map.get(path)
                && hits[f].last() != Some(&c)
            {
                hits[f].push(c);
            }
        }
    }
    out.files = head_files
        .into_iter()
        .zip(hits)
        .map(|((_, _, path), commits)| (path, commits))
        .collect();
    Ok(out)
}

/// Every file under the site folder at revision `rev` (anything `git rev-parse`
/// accepts: `HEAD`, `HEAD~3`, a branch, a tag, a short id), as (path relative to the
/// site root, bytes), sorted by path. Paths that are not UTF-8 are left out.
pub fn files_at(repo: &Repo, rev: &str) -> Result<Vec<(PathBuf, Vec<u8>)>, Error> {
    let r = repo.local();
    let commit = peel_commit(&r, rev)?;
    let tree = commit.tree_id().map_err(git)?.detach();
    let Some(site) = site_tree(&r, tree, &prefix_bytes(&repo.prefix))? else {
        return Ok(Vec::new());
    };
    let mut files = Vec::new();
    for (oid, _, path) in blob_paths(&r, site)? {
        let blob = r.find_blob(oid).map_err(git)?;
        files.push((path, blob.data.clone()));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// The contents of one site file (`path` relative to the site root) at a commit (an id,
/// or any revision), `None` when the file is absent there.
pub fn file_at(repo: &Repo, commit: &str, path: &Path) -> Result<Option<Vec<u8>>, Error> {
    let r = repo.local();
    let tree = peel_commit(&r, commit)?.tree().map_err(git)?;
    let full = repo.prefix.join(path);
    let Some(entry) = tree.lookup_entry_by_path(&full).map_err(git)? else {
        return Ok(None);
    };
    if !matches!(
        entry.mode().kind(),
        EntryKind::Blob | EntryKind::BlobExecutable
    ) {
        return Ok(None);
    }
    let blob = r.find_blob(entry.object_id()).map_err(git)?;
    Ok(Some(blob.data.clone()))
}

/// The commit a revision names (for `cxmap diff REV REV` messages); an unknown
/// revision is [`Error::UnknownRevision`] ("no revision `x` in the repository").
pub fn resolve(repo: &Repo, rev: &str) -> Result<Commit, Error> {
    let r = repo.local();
    let commit = peel_commit(&r, rev)?;
    commit_info(&r, commit.id)
}

// --- walking ---------------------------------------------------------------------

/// A commit reached from HEAD.
struct Node {
    id: ObjectId,
    /// Indexes of the parents in the walk (missing and shallow parents left out).
    parents: Vec<usize>,
    /// The tree of the site folder, `None` when the commit has no such folder.
    site: Option<ObjectId>,
    /// Committer time, for the order.
    time: i64,
}

/// Reads every commit reachable from `head` once: parents, committer time and the tree
/// of the site folder. `nodes[0]` is `head`. Also tells whether a shallow boundary was
/// met.
fn walk(
    r: &gix::Repository,
    head: ObjectId,
    shallow: &HashSet<ObjectId>,
    prefix: &[Vec<u8>],
) -> Result<(Vec<Node>, bool), Error> {
    let mut index: HashMap<ObjectId, usize> = HashMap::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut parent_ids: Vec<Vec<ObjectId>> = Vec::new();
    let mut hit_shallow = false;
    let mut stack = vec![head];
    while let Some(id) = stack.pop() {
        if index.contains_key(&id) {
            continue;
        }
        let commit = r.find_commit(id).map_err(git)?;
        let decoded = commit.decode().map_err(git)?;
        let mut parents: Vec<ObjectId> = Vec::new();
        if shallow.contains(&id) {
            hit_shallow |= decoded.parents().next().is_some();
        } else {
            // A parent missing from the object database (a damaged or partial clone)
            // is treated like a shallow boundary.
            for p in decoded.parents() {
                if r.has_object(p) {
                    parents.push(p);
                } else {
                    hit_shallow = true;
                }
            }
        }
        let time = decoded.time().map(|t| t.seconds).unwrap_or(0);
        let tree = decoded.tree();
        drop(decoded);
        let site = site_tree(r, tree, prefix)?;
        index.insert(id, nodes.len());
        nodes.push(Node {
            id,
            parents: Vec::new(),
            site,
            time,
        });
        // First parent on top, so it is read next.
        stack.extend(parents.iter().rev().copied());
        parent_ids.push(parents);
    }
    for (node, ids) in nodes.iter_mut().zip(parent_ids) {
        node.parents = ids.iter().filter_map(|p| index.get(p).copied()).collect();
    }
    Ok((nodes, hit_shallow))
}

/// `git log --date-order`: each commit before its parents; among the commits whose
/// children are all out, the newest committer time first, ties in walk order.
fn date_order(nodes: &[Node]) -> Vec<usize> {
    let mut children = vec![0usize; nodes.len()];
    for node in nodes {
        for &p in &node.parents {
            children[p] += 1;
        }
    }
    let mut ready = BinaryHeap::new();
    let mut order = Vec::with_capacity(nodes.len());
    if !nodes.is_empty() {
        ready.push((nodes[0].time, Reverse(0usize)));
    }
    while let Some((_, Reverse(i))) = ready.pop() {
        order.push(i);
        for &p in &nodes[i].parents {
            children[p] -= 1;
            if children[p] == 0 {
                ready.push((nodes[p].time, Reverse(p)));
            }
        }
    }
    order
}

/// A commit's paths (relative to the site root) → the index of the file at HEAD.
type PathMap = BTreeMap<BString, usize>;

/// The map of a parent: a rename gives the old path the file; an addition ends the
/// file's history along this parent.
fn hand_over(map: &Rc<PathMap>, changes: &[Change]) -> Rc<PathMap> {
    if !changes
        .iter()
        .any(|c| matches!(c, Change::Added(_) | Change::Renamed { .. }))
    {
        return Rc::clone(map);
    }
    let mut parent = PathMap::clone(map);
    let mut moved = Vec::new();
    for change in changes {
        match change {
            Change::Added(path) => {
                parent.remove(path);
            }
            Change::Renamed { from, to } => {
                if let Some(f) = parent.remove(to) {
                    moved.push((from.clone(), f));
                }
            }
            Change::Modified(_) | Change::Deleted(_) => {}
        }
    }
    parent.extend(moved);
    Rc::new(parent)
}

/// Gives a parent the map of one more child: the first child's map, completed with the
/// paths later children know (a commit reached along several branches).
fn give(slot: &mut Option<Rc<PathMap>>, map: Rc<PathMap>) {
    match slot {
        None => *slot = Some(map),
        Some(existing) => {
            if Rc::ptr_eq(existing, &map) || **existing == *map {
                return;
            }
            let existing = Rc::make_mut(existing);
            for (path, &f) in map.iter() {
                existing.entry(path.clone()).or_insert(f);
            }
        }
    }
}

// --- diffing ---------------------------------------------------------------------

/// A change to a file between two trees of the site folder; paths relative to it.
#[derive(Debug)]
enum Change {
    Added(BString),
    Deleted(BString),
    Modified(BString),
    Renamed { from: BString, to: BString },
}

impl Change {
    /// The change as paths; `None` when a path is not UTF-8.
    fn file_change(&self) -> Option<FileChange> {
        let path = |p: &BString| p.to_str().ok().map(PathBuf::from);
        Some(match self {
            Change::Added(p) => FileChange {
                before: None,
                after: Some(path(p)?),
            },
            Change::Deleted(p) => FileChange {
                before: Some(path(p)?),
                after: None,
            },
            Change::Modified(p) => FileChange {
                before: Some(path(p)?),
                after: Some(path(p)?),
            },
            Change::Renamed { from, to } => FileChange {
                before: Some(path(from)?),
                after: Some(path(to)?),
            },
        })
    }

    /// The path in the newer tree (the deleted path for a deletion).
    fn path(&self) -> &BStr {
        match self {
            Change::Added(p) | Change::Deleted(p) | Change::Modified(p) => p.as_ref(),
            Change::Renamed { to, .. } => to.as_ref(),
        }
    }
}

fn is_file(kind: EntryKind) -> bool {
    matches!(kind, EntryKind::Blob | EntryKind::BlobExecutable)
}

/// Tree diffs with rename tracking, reusing one blob cache and diff state.
struct Differ<'r> {
    repo: &'r gix::Repository,
    cache: gix::diff::blob::Platform,
    state: gix::diff::tree::State,
}

impl<'r> Differ<'r> {
    fn new(repo: &'r gix::Repository) -> Result<Self, Error> {
        Ok(Differ {
            repo,
            cache: repo.diff_resource_cache_for_tree_diff().map_err(git)?,
            state: gix::diff::tree::State::default(),
        })
    }

    /// The file changes from `old` to `new` (trees of the site folder; `None` is empty).
    fn diff(&mut self, old: Option<ObjectId>, new: Option<ObjectId>) -> Result<Vec<Change>, Error> {
        if old == new {
            return Ok(Vec::new());
        }
        let kind = self.repo.object_hash();
        let load = |id: Option<ObjectId>| -> Result<Vec<u8>, Error> {
            match id {
                Some(id) => Ok(self.repo.find_tree(id).map_err(git)?.detach().data),
                None => Ok(Vec::new()),
            }
        };
        let (old_data, new_data) = (load(old)?, load(new)?);
        let mut changes = Vec::new();
        let options = gix::diff::tree_with_rewrites::Options {
            location: Some(gix::diff::tree::recorder::Location::Path),
            rewrites: Some(gix::diff::Rewrites::default()),
        };
        let result = gix::diff::tree_with_rewrites(
            gix::objs::TreeRefIter::from_bytes(&old_data, kind),
            gix::objs::TreeRefIter::from_bytes(&new_data, kind),
            &mut self.cache,
            &mut self.state,
            &self.repo.objects,
            |change| {
                use gix::diff::tree_with_rewrites::ChangeRef;
                let change = match change {
                    ChangeRef::Addition {
                        location,
                        entry_mode,
                        ..
                    } => is_file(entry_mode.kind()).then(|| Change::Added(location.to_owned())),
                    ChangeRef::Deletion {
                        location,
                        entry_mode,
                        ..
                    } => is_file(entry_mode.kind()).then(|| Change::Deleted(location.to_owned())),
                    ChangeRef::Modification {
                        location,
                        previous_entry_mode,
                        entry_mode,
                        ..
                    } => (is_file(entry_mode.kind()) || is_file(previous_entry_mode.kind()))
                        .then(|| Change::Modified(location.to_owned())),
                    ChangeRef::Rewrite {
                        source_location,
                        location,
                        entry_mode,
                        copy,
                        ..
                    } => is_file(entry_mode.kind()).then(|| {
                        if copy {
                            Change::Added(location.to_owned())
                        } else {
                            Change::Renamed {
                                from: source_location.to_owned(),
                                to: location.to_owned(),
                            }
                        }
                    }),
                };
                changes.extend(change);
                Ok(std::ops::ControlFlow::Continue(()))
            },
            options,
        );
        self.cache.clear_resource_cache_keep_allocation();
        result.map_err(git)?;
        Ok(changes)
    }
}

// --- reading ---------------------------------------------------------------------

/// The commit HEAD points to; `None` when HEAD is unborn.
fn head_commit(r: &gix::Repository) -> Result<Option<ObjectId>, Error> {
    let head = r.head().map_err(git)?;
    let Some(id) = head.try_into_peeled_id().map_err(git)? else {
        return Ok(None);
    };
    let commit = id.object().map_err(git)?.peel_to_commit().map_err(git)?;
    Ok(Some(commit.id))
}

/// The commit `rev` names.
fn peel_commit<'r>(r: &'r gix::Repository, rev: &str) -> Result<gix::Commit<'r>, Error> {
    let unknown = || Error::UnknownRevision {
        rev: rev.to_owned(),
    };
    if rev.is_empty() {
        return Err(unknown());
    }
    let id = r.rev_parse_single(rev).map_err(|_| unknown())?;
    let object = id.object().map_err(git)?;
    object.peel_to_commit().map_err(|_| Error::NotACommit {
        rev: rev.to_owned(),
    })
}

/// The tree of the site folder in the commit tree `tree`, `None` when it has none.
fn site_tree(
    r: &gix::Repository,
    tree: ObjectId,
    prefix: &[Vec<u8>],
) -> Result<Option<ObjectId>, Error> {
    if prefix.is_empty() {
        return Ok(Some(tree));
    }
    let tree = r.find_tree(tree).map_err(git)?;
    let entry = tree
        .lookup_entry(prefix.iter().map(Vec::as_slice))
        .map_err(git)?;
    Ok(entry.filter(|e| e.mode().is_tree()).map(|e| e.object_id()))
}

/// The site prefix as path components, in bytes.
fn prefix_bytes(prefix: &Path) -> Vec<Vec<u8>> {
    prefix
        .components()
        .map(|c| c.as_os_str().as_encoded_bytes().to_vec())
        .collect()
}

/// Every file (blob) under `tree`: its id and its path relative to `tree` (as bytes and
/// as a path), in the order of the paths as bytes. Paths that are not UTF-8 are left
/// out.
fn blob_paths(
    r: &gix::Repository,
    tree: ObjectId,
) -> Result<Vec<(ObjectId, BString, PathBuf)>, Error> {
    let tree = r.find_tree(tree).map_err(git)?;
    let mut files: Vec<(BString, ObjectId)> = tree
        .traverse()
        .breadthfirst
        .files()
        .map_err(git)?
        .into_iter()
        .filter(|e| is_file(e.mode.kind()))
        .map(|e| (e.filepath, e.oid))
        .collect();
    files.sort();
    Ok(files
        .into_iter()
        .filter_map(|(bytes, oid)| {
            let path = PathBuf::from(bytes.to_str().ok()?);
            Some((oid, bytes, path))
        })
        .collect())
}

/// Builds the [`Commit`] shown on pages.
fn commit_info(r: &gix::Repository, id: ObjectId) -> Result<Commit, Error> {
    let commit = r.find_commit(id).map_err(git)?;
    let decoded = commit.decode().map_err(git)?;
    let (author, email, time) = match decoded.author() {
        Ok(sig) => {
            let sig = sig.trim();
            (
                sig.name.to_str_lossy().into_owned(),
                sig.email.to_str_lossy().into_owned(),
                sig.time().unwrap_or_default(),
            )
        }
        Err(_) => (String::new(), String::new(), gix::date::Time::default()),
    };
    let hex = id.to_string();
    Ok(Commit {
        short: hex.chars().take(7).collect(),
        id: hex,
        author,
        email,
        time: time.seconds,
        offset_minutes: time.offset / 60,
        date: local_date(time.seconds, time.offset),
        subject: decoded.message().summary().to_str_lossy().into_owned(),
    })
}

/// The calendar date at `seconds` since the epoch, `offset` seconds east of UTC.
fn local_date(seconds: i64, offset: i32) -> Date {
    let days = (seconds + i64::from(offset)).div_euclid(86_400);
    // Howard Hinnant's civil-from-days algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date {
        year: u16::try_from(year.clamp(0, 9999)).unwrap_or(0),
        month: u8::try_from(month).unwrap_or(1),
        day: u8::try_from(day).unwrap_or(1),
    }
}

/// Site files that differ from HEAD in the index or the work tree, untracked ones
/// included; empty when the status cannot be read.
fn uncommitted(r: &gix::Repository, prefix: &[Vec<u8>]) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    if r.workdir().is_none() {
        return out;
    }
    let mut site: Vec<u8> = prefix.join(&b'/');
    let Ok(status) = r.status(gix::progress::Discard) else {
        return out;
    };
    let status = status
        .untracked_files(gix::status::UntrackedFiles::Files)
        .index_worktree_submodules(gix::status::Submodule::Given {
            ignore: gix::submodule::config::Ignore::All,
            check_dirty: false,
        })
        .index_worktree_rewrites(None)
        .tree_index_track_renames(gix::status::tree_index::TrackRenames::Disabled);
    let patterns: Vec<BString> = if site.is_empty() {
        Vec::new()
    } else {
        let mut pattern = b":(top,literal)".to_vec();
        pattern.extend_from_slice(&site);
        vec![pattern.into()]
    };
    let Ok(items) = status.into_iter(patterns) else {
        return out;
    };
    if !site.is_empty() {
        site.push(b'/');
    }
    for item in items {
        let Ok(item) = item else {
            return BTreeSet::new();
        };
        if let gix::status::Item::IndexWorktree(change) = &item
            && change.summary().is_none()
        {
            continue; // only a stat refresh, or an ignored file
        }
        let Some(rest) = item.location().strip_prefix(site.as_slice()) else {
            continue;
        };
        if let Ok(path) = rest.to_str() {
            out.insert(PathBuf::from(path));
        }
    }
    out
}
