//! The modules of `src/` form no loop: a module lower in the pipeline never imports one
//! higher up, directly or through others (ARCHITECTURE.md, "Loops between modules are
//! bugs").
//!
//! Every `src/**/*.rs` is read; each `crate::…` path (also inside `use crate::{…}`)
//! names a top-level module (`src/<name>.rs` or `src/<name>/`), or an item of the crate
//! root (`lib.rs`, the node `lib`). Comment lines and the `#[cfg(test)] mod tests` at
//! the bottom of a file are left out: tests may reach anything. `main.rs` is the binary
//! on top and imports the library as `cxmap::`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module → module it imports → the files that do.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

#[test]
fn modules_import_each_other_in_one_direction_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = graph(&src);
    if let Some(cycle) = find_loop(&graph) {
        let steps: Vec<String> = cycle
            .windows(2)
            .map(|w| {
                let files = &graph[&w[0]][&w[1]];
                let files: Vec<&str> = files.iter().map(String::as_str).collect();
                format!("  {} -> {}   ({})", w[0], w[1], files.join(", "))
            })
            .collect();
        panic!(
            "modules of src/ import each other in a loop:\n{}\nmove what both need lower, or pass it in as a value",
            steps.join("\n")
        );
    }
}

#[test]
fn files_of_one_folder_import_each_other_in_one_direction_only() {
    // `render/views.rs` and `render/portfolio.rs` are two modules too: siblings in a
    // folder (its `mod.rs` aside, which declares them all) form no loop either.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let folder = dir.file_name().unwrap().to_string_lossy().into_owned();
        let siblings: BTreeSet<String> = rust_files(&dir)
            .iter()
            .filter(|f| f.parent() == Some(dir.as_path()))
            .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
            .filter(|m| m != "mod")
            .collect();
        let mut graph = Graph::new();
        for from in &siblings {
            let file = dir.join(format!("{from}.rs"));
            let text = std::fs::read_to_string(&file).unwrap();
            let names = paths_after(&text, "super::")
                .into_iter()
                .chain(paths_after(&text, &format!("crate::{folder}::")));
            for to in names.filter(|n| siblings.contains(n) && n != from) {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .insert(format!("src/{folder}/{from}.rs"));
            }
        }
        if let Some(cycle) = find_loop(&graph) {
            panic!(
                "modules of src/{folder}/ import each other in a loop: {}",
                cycle.join(" -> ")
            );
        }
    }
}

#[test]
fn the_loop_finder_finds_a_loop() {
    fn edge(graph: &mut Graph, a: &str, b: &str) {
        graph
            .entry(a.into())
            .or_default()
            .entry(b.into())
            .or_default()
            .insert(format!("src/{a}.rs"));
    }
    let mut graph = Graph::new();
    edge(&mut graph, "render", "model");
    edge(&mut graph, "model", "load");
    assert_eq!(find_loop(&graph), None);
    edge(&mut graph, "load", "render");
    assert_eq!(
        find_loop(&graph),
        Some(vec![
            "load".into(),
            "render".into(),
            "model".into(),
            "load".into()
        ])
    );
    let names = crate_paths(
        "use crate::{diag::Diagnostics, model::{self, Site}};\n// crate::serve\nlet x = crate::read(root);\n",
    );
    assert_eq!(names, ["diag", "model", "read"]);
}

/// The top-level modules of `src/` and what each imports.
fn graph(src: &Path) -> Graph {
    let modules: BTreeSet<String> = std::fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut graph = Graph::new();
    for file in rust_files(src) {
        let rel = file.strip_prefix(src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let from = first.trim_end_matches(".rs").to_string();
        if from == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let names = crate_paths(&text);
        for name in names {
            let to = if modules.contains(&name) {
                name
            } else {
                "lib".to_string()
            };
            if to != from {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .insert(format!("src/{}", rel.display()));
            }
        }
    }
    graph
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The first name of every `crate::` path in `text` (each name of a `crate::{…}`
/// group), in order, outside comment lines and the tests module.
fn crate_paths(text: &str) -> Vec<String> {
    paths_after(text, "crate::")
}

/// The first name after every `prefix` (`crate::`, `super::`) in `text`, as
/// [`crate_paths`] finds them.
fn paths_after(text: &str, prefix: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut names = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + prefix.len()..];
        rest = after;
        if before.is_some_and(|c| is_ident(c) || c == ':') {
            continue;
        }
        if let Some(group) = after.strip_prefix('{') {
            // The names at the top level of the group: `{a::b, c::{d, e}, f}` → a, c, f.
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && is_ident(c) => {
                        let name: String =
                            group[i..].chars().take_while(|&c| is_ident(c)).collect();
                        if name != "self" {
                            names.push(name);
                        }
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = after.chars().take_while(|&c| is_ident(c)).collect();
            if !name.is_empty() {
                names.push(name);
            }
        }
    }
    names
}

/// A loop in `graph`, as the modules along it with the first repeated at the end.
fn find_loop(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flat_map(|e| e.keys()) {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, graph, &mut Vec::new(), &mut done) {
            return Some(cycle);
        }
    }
    None
}
