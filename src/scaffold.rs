//! `cxmap init` and `cxmap new`: starting points written as a CX team would write them.
//! Never overwrites an existing file unless `--force` (then only the files named), and
//! never writes through a symbolic link: every file goes through [`crate::write::file`].

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::slug;
pub(crate) use crate::text::capitalise;
use crate::write::Replace;

const CONFIG: &str = r##"title = "Our CX Atlas"
description = "How our customers experience our service"
# base_url = "https://intranet.example.com/cx/"   # for sitemap.xml and canonical links
language = "en"
theme = "default"

[channels.web]
label = "Website"
colour = "#2b6cb0"

[channels.email]
label = "Email"
colour = "#6b46c1"

[channels.phone]
label = "Phone"
colour = "#2f855a"
"##;

const PERSONA: &str = r#"+++
name = "Alex Moreno"
role = "Busy parent, 38, commutes by train"
quote = "If it takes more than five minutes, I'll do it later — or never."
kind = "proto"
goals = ["Get everyday admin done from the phone", "Never be surprised by a bill"]
needs = ["Clear prices up front", "Status updates without having to ask"]
frustrations = ["Forms that forget what was typed", "Waiting on hold"]
motivations = ["More time with the family"]
channels = ["web", "email"]

[empathy]
says = ["Just tell me what it costs."]
thinks = ["Is this going to take all evening?"]
does = ["Compares two or three options on the phone"]
feels = ["Impatient", "Relieved when it just works"]
+++

Alex is a proto-persona: replace these assumptions with what your research shows.
"#;

const JOURNEY: &str = r#"+++
title = "Signing up for the service"
personas = ["alex"]
summary = "From first hearing about us to the first successful use"
scenario = "Alex heard about us from a friend and wants to try it this week."
state = "current"
owner = "Onboarding team"
status = "draft"
tags = ["onboarding"]

[[stages]]
name = "Discovery"
goal = "Find out whether the service fits"

  [[stages.steps]]
  action = "Reads a friend's recommendation and visits the website"
  touchpoint = "Home page"
  channel = "web"
  emotion = 4
  thought = "Sounds useful, what does it cost?"

  [[stages.steps]]
  action = "Looks for prices"
  touchpoint = "Pricing page"
  channel = "web"
  emotion = 2
  thought = "Why is the price hidden behind a form?"
  pains = [{ text = "Prices are only shown after sign-up", severity = "high" }]
  opportunities = [{ text = "Show prices on the pricing page", owner = "Web team", priority = "high" }]

[[stages]]
name = "Sign-up"
goal = "Create an account quickly"

  [[stages.steps]]
  action = "Fills in the sign-up form"
  touchpoint = "Sign-up form"
  channel = "web"
  emotion = 3
  backstage = ["Account service validates the address"]

  [[stages.steps]]
  action = "Confirms the email address"
  touchpoint = "Welcome email"
  channel = "email"
  emotion = 4
  moment_of_truth = true
+++

This map is a starting point. Replace the steps with what customers really do, and
back each step with evidence from research.

## Discovery

Most new customers come from recommendations; the pricing page is where we lose them.
"#;

const PAGE: &str = r#"+++
title = "About this atlas"
weight = 10
+++

This site collects the customer journeys and personas our teams work with. Each map is
a Markdown file in git: propose a change in a pull request like any other document.
"#;

/// What `init`'s `.gitignore` keeps out of the repository: everything cxmap writes —
/// the site, posters and data exports, and the default reports.
const GITIGNORE: &str = "/public/\n/exports/\n/report.pdf\n/report.html\n";

/// Creates a new site in `dir` (created when missing). Fails without writing anything
/// when any of its files exists already, unless `force` (then they are replaced; an
/// existing `.gitignore` is always kept).
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let files = [
        ("cxmap.toml", CONFIG),
        ("journeys/sign-up.md", JOURNEY),
        ("personas/alex.md", PERSONA),
        ("pages/about.md", PAGE),
        (".gitignore", GITIGNORE),
    ];
    // Every file is checked first: a refusal leaves the folder as it was.
    for (rel, _) in &files {
        if *rel != ".gitignore" {
            crate::write::check(dir, &dir.join(rel), replace(force))?;
        }
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        if rel == ".gitignore" && dir.join(rel).exists() {
            continue;
        }
        let path = dir.join(rel);
        crate::write::file(dir, &path, text.as_bytes(), replace(force))?;
        written.push(path);
    }
    std::fs::create_dir_all(dir.join("static")).map_err(|e| Error::io(dir.join("static"), e))?;
    Ok(written)
}

/// What `cxmap new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// `journeys/<name>.md`
    Journey,
    /// `personas/<name>.md`
    Persona,
}

/// Creates `journeys/<slug>.md` or `personas/<slug>.md` from a template; `name` may be
/// a title ("Returning an item") or a path ("retail/returns"). An existing file is an
/// error, unless `force` (then it is replaced).
pub fn new(root: &Path, kind: NewKind, name: &str, force: bool) -> Result<PathBuf> {
    let slug = slug::slugify_path(name).ok_or_else(|| Error::InvalidName {
        name: name.to_string(),
    })?;
    let title = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .replace(['-', '_'], " ");
    let title = capitalise(title.trim());
    let (folder, text) = match kind {
        NewKind::Journey => (
            "journeys",
            format!(
                "+++\ntitle = {title}\npersonas = []\nsummary = \"\"\nstate = \"current\"\nstatus = \"draft\"\n\n[[stages]]\nname = \"Discovery\"\ngoal = \"\"\n\n  [[stages.steps]]\n  action = \"What the customer does first\"\n  touchpoint = \"\"\n  emotion = 3\n+++\n\nWhat this journey is about, and what we know from research.\n",
                title = toml_string(&title)
            ),
        ),
        NewKind::Persona => (
            "personas",
            format!(
                "+++\nname = {name}\nrole = \"\"\nquote = \"\"\nkind = \"proto\"\ngoals = []\nneeds = []\nfrustrations = []\n\n[empathy]\nsays = []\nthinks = []\ndoes = []\nfeels = []\n+++\n\nBackground.\n",
                name = toml_string(&title)
            ),
        ),
    };
    let path = root.join(folder).join(format!("{slug}.md"));
    crate::write::file(root, &path, text.as_bytes(), replace(force))?;
    Ok(path)
}

/// What `--force` allows: replacing the one file the command names.
pub(crate) fn replace(force: bool) -> Replace {
    if force {
        Replace::Always
    } else {
        Replace::Never
    }
}

/// A TOML basic string with everything escaped.
pub(crate) fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), false).unwrap();
        std::fs::write(dir.path().join("cxmap.toml"), "title = \"mine\"").unwrap();
        assert!(matches!(init(dir.path(), false), Err(Error::Exists { .. })));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("cxmap.toml")).unwrap(),
            "title = \"mine\""
        );
    }

    #[test]
    fn new_makes_a_slug_and_escapes_the_title() {
        let dir = tempfile::tempdir().unwrap();
        let p = new(
            dir.path(),
            NewKind::Journey,
            "retail/Returning \"an\" item",
            false,
        )
        .unwrap();
        assert!(p.ends_with("journeys/retail/returning-an-item.md"));
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(
            text.contains(r#"title = "Returning \"an\" item""#),
            "{text}"
        );
        assert!(matches!(
            new(
                dir.path(),
                NewKind::Journey,
                "retail/returning an item",
                false
            ),
            Err(Error::Exists { .. })
        ));
    }
}
