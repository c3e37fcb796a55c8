//! The floor of a static-site build: the least work any generator has to do for a site.
//!
//!     cargo build --release --example bench-floor
//!     target/release/examples/bench-floor SITE OUT_MODEL FRESH_OUT
//!
//! Reads every file under SITE into memory, then writes FRESH_OUT (which must not exist)
//! as a copy of the shape of OUT_MODEL, a tree cxmap built from SITE: the same folders,
//! the same relative file paths and the same file sizes, the bytes taken in turn from the
//! input. No parsing, no rendering, one thread. Listing OUT_MODEL comes first and is
//! timed on its own, so the caller can leave it out; the last line of stdout is
//!
//!     floor threads=1 input_files=… input_bytes=… files=… bytes=… model_ms=… work_ms=… peak_kb=…
//!
//! where `peak_kb` is this process's own peak resident set (VmHWM, 0 where there is no
//! /proc): a parent's rusage of the child also counts the memory of the parent it was
//! forked from, which is more than the floor needs.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// The folders and the files (with their sizes) of a tree, by relative path.
type Tree = (Vec<PathBuf>, Vec<(PathBuf, u64)>);

/// Every folder and file under `root` (relative paths), folders before what they hold.
fn walk(root: &Path) -> io::Result<Tree> {
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let mut entries: Vec<_> = fs::read_dir(root.join(&rel))?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let kind = e.file_type()?;
            let path = rel.join(e.file_name());
            if kind.is_dir() {
                dirs.push(path.clone());
                stack.push(path);
            } else if kind.is_file() {
                files.push((path, e.metadata()?.len()));
            }
        }
    }
    Ok((dirs, files))
}

fn run(site: &Path, model: &Path, out: &Path) -> io::Result<String> {
    let t = Instant::now();
    let (dirs, files) = walk(model)?;
    let model_ms = t.elapsed().as_secs_f64() * 1000.0;

    let t = Instant::now();
    // Read the whole site.
    let (_, inputs) = walk(site)?;
    let mut input = Vec::new();
    for (rel, _) in &inputs {
        input.extend_from_slice(&fs::read(site.join(rel))?);
    }
    if input.is_empty() {
        input.push(b'\n');
    }
    // Write the output tree.
    fs::create_dir(out)?;
    for d in &dirs {
        fs::create_dir(out.join(d))?;
    }
    let mut at = 0usize;
    let mut total = 0u64;
    for (rel, size) in &files {
        let mut f = fs::File::create(out.join(rel))?;
        let mut left = *size as usize;
        while left > 0 {
            let n = left.min(input.len() - at);
            f.write_all(&input[at..at + n])?;
            left -= n;
            at = (at + n) % input.len();
        }
        total += size;
    }
    let work_ms = t.elapsed().as_secs_f64() * 1000.0;
    Ok(format!(
        "floor threads=1 input_files={} input_bytes={} files={} bytes={} model_ms={:.1} work_ms={:.1} peak_kb={}",
        inputs.len(),
        input.len(),
        files.len(),
        total,
        model_ms,
        work_ms,
        peak_kb()
    ))
}

/// This process's peak resident set in KB, from /proc/self/status; 0 when unknown.
fn peak_kb() -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [site, model, out] = args.as_slice() else {
        eprintln!("usage: bench-floor SITE OUT_MODEL FRESH_OUT");
        return ExitCode::from(2);
    };
    if out.exists() {
        eprintln!("bench-floor: {} exists; give a fresh folder", out.display());
        return ExitCode::from(2);
    }
    match run(site, model, out) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench-floor: {e}");
            ExitCode::FAILURE
        }
    }
}
