//! `cxmap import mermaid FILE`: a Mermaid user-journey file to a journey file of the
//! site, and a proto-persona for every actor that has no persona file yet.
//!
//! In: the site root, the Mermaid file, where to write (optional). Out: the files
//! created, and the file's problems as diagnostics. Sections become stages, tasks steps
//! (the score is the emotion), actors the journey's personas (and each step keeps its
//! own actors in `extra.actors`); `accDescr` becomes the summary. Nothing is written
//! when the file has errors or no task (then [`Error::Usage`]: nothing to import), and
//! nothing is overwritten: an existing journey file is an
//! [`Error::Exists`] (unless `--force`, which replaces that one file), an existing
//! persona file is used as it is; nothing is written through a symbolic link.

use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::parse::mermaid::{Header, MermaidJourney, parse, unique_id};
use crate::scaffold::{capitalise, replace, toml_string};
use crate::slug::{segment, slugify};
use crate::write::Replace;

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    /// Problems in the Mermaid file (and its text, so they can be quoted).
    pub diagnostics: Diagnostics,
    /// The files written: the journey first, then new personas. Empty on errors.
    pub created: Vec<PathBuf>,
}

/// Where `-o PATH` (relative to the current folder) puts the journey: it has to be a
/// `.md` file in the site's `journeys/`, not hidden (no part of it starting with `.`),
/// or the site would not see it; anything else is an [`Error::Usage`].
pub fn output_path(root: &Path, output: &Path) -> Result<PathBuf> {
    let journeys = root.join("journeys");
    // As written when that is inside the site, so a link on the way is refused by
    // `write::file` by its name rather than followed; else with links resolved (a path
    // that reaches the site through a link above it).
    let path = match absolute(output, false) {
        written if written.starts_with(&journeys) => written,
        _ => absolute(output, true),
    };
    if path.extension().is_none_or(|e| e != "md") {
        return Err(Error::Usage {
            message: format!(
                "`{}` is not a Markdown file: a journey file's name ends in `.md`",
                output.display()
            ),
            help: None,
        });
    }
    if !path.starts_with(&journeys) {
        return Err(Error::Usage {
            message: format!(
                "`{}` is not in the site's `journeys/` folder",
                output.display()
            ),
            help: Some(format!(
                "give a path inside `{}`, or leave `-o` out",
                journeys.display()
            )),
        });
    }
    // The build skips hidden files and folders: a journey there would never be seen.
    let rest = path.strip_prefix(&journeys).unwrap_or(&path);
    if rest
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return Err(Error::Usage {
            message: format!(
                "`{}` is a hidden name (it starts with `.`): the build skips hidden files and folders",
                output.display()
            ),
            help: Some("give a name that does not start with `.`".into()),
        });
    }
    Ok(path)
}

/// `path` made absolute, with `.` and `..` resolved, and with `resolve` the part that
/// exists canonicalized, so it compares with the (canonical) site root.
fn absolute(path: &Path, resolve: bool) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut lexical = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            c => lexical.push(c),
        }
    }
    if !resolve {
        return lexical;
    }
    let mut existing = lexical.clone();
    let mut tail = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => tail.push(name.to_os_string()),
            None => break,
        }
        existing.pop();
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    out.extend(tail.iter().rev());
    out
}

/// Imports `file` into the site at `root`; `output` is a path from [`output_path`].
pub fn mermaid(root: &Path, file: &Path, output: Option<&Path>, force: bool) -> Result<Imported> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let mut diagnostics = Diagnostics::new();
    let Ok(text) = String::from_utf8(bytes) else {
        diagnostics.push(
            Diagnostic::error(file, "this file is not UTF-8 text")
                .help("save it as UTF-8 and import it again"),
        );
        return Ok(Imported {
            diagnostics,
            created: Vec::new(),
        });
    };
    diagnostics.add_source(file, text.as_str().into());
    let parsed = parse(&text, Header::Required);
    for p in &parsed.problems {
        diagnostics.push(p.to_diagnostic(file, 0));
    }
    let m = parsed.journey;
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Ok(Imported {
            diagnostics,
            created: Vec::new(),
        });
    }
    if m.task_count() == 0 {
        // Mermaid draws such a diagram, but a journey needs steps: nothing is written.
        let has = match m.sections.len() {
            0 => "no sections and no tasks".to_string(),
            1 => "a section but no tasks".to_string(),
            n => format!("{n} sections but no tasks"),
        };
        return Err(Error::Usage {
            message: format!("nothing to import: `{}` has {has}", file.display()),
            help: Some(
                "add tasks under a `section` line, like `Make tea: 5: Me`, and import it again"
                    .into(),
            ),
        });
    }

    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = m
        .title
        .clone()
        .or_else(|| m.acc_title.clone())
        .unwrap_or_else(|| capitalise(stem.replace(['-', '_'], " ").trim()));
    let journey_path = match output {
        Some(p) => p.to_path_buf(),
        None => {
            let slug = [segment(&title), segment(&stem)]
                .into_iter()
                .find(|s| !s.is_empty())
                .unwrap_or_else(|| "imported-journey".into());
            root.join("journeys").join(format!("{slug}.md"))
        }
    };
    crate::write::check(root, &journey_path, replace(force))?;

    let mut slugs: Vec<String> = Vec::new();
    let personas: Vec<(String, &str)> = m
        .actors()
        .into_iter()
        .enumerate()
        .filter_map(|(i, actor)| {
            let slug = match segment(actor) {
                s if s.is_empty() => format!("actor-{}", i + 1),
                s => s,
            };
            (!slugs.contains(&slug)).then(|| {
                slugs.push(slug.clone());
                (slug, actor)
            })
        })
        .collect();

    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = journey_text(&m, &title, &slugs, &name);
    crate::write::file(root, &journey_path, text.as_bytes(), replace(force))?;
    let mut created = vec![journey_path];
    for (slug, actor) in &personas {
        let path = root.join("personas").join(format!("{slug}.md"));
        if path.exists() {
            continue;
        }
        let text = persona_text(actor, &name);
        match crate::write::file(root, &path, text.as_bytes(), Replace::Never) {
            Ok(()) => created.push(path),
            // Created by someone else meanwhile: theirs stays.
            Err(Error::Exists { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Imported {
        diagnostics,
        created,
    })
}

fn journey_text(m: &MermaidJourney, title: &str, personas: &[String], file: &str) -> String {
    let mut out = format!("+++\ntitle = {}\n", toml_string(title));
    if !personas.is_empty() {
        let list: Vec<String> = personas.iter().map(|p| toml_string(p)).collect();
        out.push_str(&format!("personas = [{}]\n", list.join(", ")));
    }
    if let Some(descr) = &m.acc_descr {
        out.push_str(&format!("summary = {}\n", toml_string(&one_line(descr))));
    }
    out.push_str("status = \"draft\"\n");
    let mut ids = Vec::new();
    for (i, section) in m.sections.iter().enumerate() {
        // A `<br>` in Mermaid is a line break in the drawing; a stage name is one line.
        let name = match one_line(&section.name) {
            n if n.is_empty() => "Untitled stage".to_string(),
            n => n,
        };
        let name = name.as_str();
        let id = unique_id(name, i, &mut ids);
        out.push_str(&format!("\n[[stages]]\nname = {}\n", toml_string(name)));
        if id != slugify(name) {
            out.push_str(&format!("id = {}\n", toml_string(&id)));
        }
        for task in &section.tasks {
            out.push_str(&format!(
                "\n  [[stages.steps]]\n  action = {}\n",
                toml_string(&one_line(&task.name))
            ));
            if let Some(score) = task.score {
                out.push_str(&format!("  emotion = {score}\n"));
            }
            if !task.actors.is_empty() {
                let list: Vec<String> = task.actors.iter().map(|a| toml_string(a)).collect();
                out.push_str(&format!("  extra = {{ actors = [{}] }}\n", list.join(", ")));
            }
        }
    }
    out.push_str(&format!(
        "+++\n\nImported from the Mermaid user-journey diagram `{}`.\n\nAdd touchpoints, thoughts, pains and opportunities to the steps, and the research\nbehind them.\n",
        file.replace('`', "'")
    ));
    out
}

/// `text` on one line: its line breaks as spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn persona_text(actor: &str, file: &str) -> String {
    format!(
        "+++\nname = {}\nkind = \"proto\"\n+++\n\nAn actor in the Mermaid user-journey diagram `{}`.\n\nDescribe who this is, and replace the assumptions with what research shows.\n",
        toml_string(actor),
        file.replace('`', "'")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("cxmap.toml"), "title = \"T\"\n").unwrap();
        dir
    }

    #[test]
    fn writes_a_journey_and_new_personas_only() {
        let dir = site();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("personas")).unwrap();
        std::fs::write(root.join("personas/me.md"), "mine").unwrap();
        let file = root.join("day.mmd");
        std::fs::write(
            &file,
            "journey\ntitle \"Day\" off\naccDescr: A day\nBefore: 2\nsection Go\nA: 5: Me, Cat\nsection Go\nB: 3:\n",
        )
        .unwrap();
        let out = mermaid(&root, &file, None, false).unwrap();
        assert!(
            !out.diagnostics.has_errors(),
            "{}",
            out.diagnostics.render(false)
        );
        assert_eq!(
            out.created,
            [
                root.join("journeys/day-off.md"),
                root.join("personas/cat.md")
            ]
        );
        assert_eq!(
            std::fs::read_to_string(root.join("personas/me.md")).unwrap(),
            "mine"
        );
        let text = std::fs::read_to_string(root.join("journeys/day-off.md")).unwrap();
        assert!(text.starts_with("+++\ntitle = \"\\\"Day\\\" off\"\npersonas = [\"me\", \"cat\"]\nsummary = \"A day\"\n"), "{text}");
        assert!(text.contains("name = \"Untitled stage\"\n"), "{text}");
        assert!(text.contains("name = \"Go\"\nid = \"go-2\"\n"), "{text}");
        assert!(
            text.contains(
                "  action = \"A\"\n  emotion = 5\n  extra = { actors = [\"Me\", \"Cat\"] }\n"
            ),
            "{text}"
        );
        let persona = std::fs::read_to_string(root.join("personas/cat.md")).unwrap();
        assert!(
            persona.starts_with("+++\nname = \"Cat\"\nkind = \"proto\"\n+++\n"),
            "{persona}"
        );
        // A second run would overwrite: refused, nothing changed.
        assert!(matches!(
            mermaid(&root, &file, None, false),
            Err(Error::Exists { .. })
        ));
    }

    #[test]
    fn line_breaks_become_spaces_and_no_task_is_nothing_to_import() {
        let dir = site();
        let root = dir.path().canonicalize().unwrap();
        let file = root.join("day.mmd");
        std::fs::write(&file, "journey\nsection Go<br/>out\nA<br>cup: 5\n").unwrap();
        mermaid(&root, &file, None, false).unwrap();
        let text = std::fs::read_to_string(root.join("journeys/day.md")).unwrap();
        assert!(text.contains("name = \"Go out\"\n\n"), "{text}");
        assert!(text.contains("action = \"A cup\"\n"), "{text}");
        let file = root.join("plan.mmd");
        std::fs::write(&file, "journey\ntitle Plan\nsection A\nsection B\n").unwrap();
        match mermaid(&root, &file, None, false) {
            Err(Error::Usage { message, .. }) => {
                assert!(
                    message.ends_with("has 2 sections but no tasks"),
                    "{message}"
                )
            }
            other => panic!("{other:?}"),
        }
        assert!(!root.join("journeys/plan.md").exists());
    }

    #[test]
    fn errors_write_nothing() {
        let dir = site();
        let root = dir.path().canonicalize().unwrap();
        let file = root.join("bad.mmd");
        std::fs::write(&file, "journey\nsection A\nTea: 7: Me\n").unwrap();
        let out = mermaid(&root, &file, None, false).unwrap();
        assert_eq!(out.diagnostics.error_count(), 1);
        assert!(out.created.is_empty());
        assert!(!root.join("journeys").exists());
        let text = out.diagnostics.render(false);
        assert!(text.contains("bad.mmd:3:6"), "{text}");
    }

    #[test]
    fn output_must_be_a_markdown_file_in_journeys() {
        let dir = site();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(
            output_path(&root, &root.join("journeys/x/../retail/day.md")).unwrap(),
            root.join("journeys/retail/day.md")
        );
        assert!(output_path(&root, &root.join("journeys/day.txt")).is_err());
        assert!(output_path(&root, &root.join("personas/day.md")).is_err());
        assert!(output_path(&root, &root.join("journeys/../day.md")).is_err());
    }
}
