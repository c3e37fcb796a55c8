#!/usr/bin/env bash
# How long reading a site's git history takes (`cxmap::history::history`).
#
#   benches/history.sh [COMMITS] [FILES]      (defaults: 5000 commits, 300 journeys)
#   PREFIX=docs/cx benches/history.sh         (the site in a subfolder of the repository)
#
# Generates a repository deterministically with `git fast-import` (no clock, no
# randomness): FILES journeys in 10 folders, then COMMITS commits that each edit 1–3
# journeys; every 250th commit also renames a journey into another folder with a small
# edit, and every 7th touches a file outside the site (with PREFIX). Then runs the `#[ignore]`d test
# `bench_history` in release mode, which opens the repository and runs `history()` five
# times, printing the median and every run. Goal: well under a second at 5,000 commits.
set -euo pipefail
cd "$(dirname "$0")/.."
commits=${1:-5000}
files=${2:-300}
prefix=${PREFIX:-}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
git -c init.defaultBranch=main init -q "$repo"

start=$(date +%s%N)
python3 - "$commits" "$files" "$prefix" <<'PY' | git -C "$repo" fast-import --quiet
import sys

commits, files, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
site = prefix.strip("/") + "/" if prefix.strip("/") else ""
out = sys.stdout.buffer
areas = ["retail", "banking", "health", "travel", "telecom",
         "energy", "insurance", "public", "education", "media"]
paths = [f"journeys/{areas[i % 10]}/journey-{i:04d}.md" for i in range(files)]
lines = {}
for i, p in enumerate(paths):
    body = [f"+++", f'title = "Journey {i}"', f'persona = "p{i % 12}"', "+++", ""]
    body += [f"Step {k} of journey {i}: the customer does thing {k * 7 % 31}." for k in range(40)]
    lines[p] = body

def data(text):
    b = text.encode()
    out.write(b"data %d\n" % len(b))
    out.write(b)
    out.write(b"\n")

def header(n, message):
    t = 1_700_000_000 + n * 3600
    out.write(b"commit refs/heads/main\n")
    who = ["Ana Ruiz <ana@example.com>", "Ben Ode <ben@example.com>",
           "Carla Vidal <carla@example.com>"][n % 3]
    out.write(f"author {who} {t} +0100\n".encode())
    out.write(f"committer {who} {t} +0100\n".encode())
    data(message)

def put(path):
    out.write(f"M 100644 inline {site}{path}\n".encode())
    data("\n".join(lines[path]) + "\n")

header(0, "Start the maps")
out.write(f"M 100644 inline {site}cxmap.toml\n".encode())
data('title = "Bench"\n')
for p in paths:
    put(p)
if site:
    out.write(b"M 100644 inline README.md\n")
    data("Outside the site.\n")

for n in range(1, commits):
    header(n, f"Edit {n}")
    count = 1 + n % 3
    for j in range(count):
        k = (n * 37 + j * 101) % len(paths)
        p = paths[k]
        line = 5 + (n * 13 + j) % 40
        lines[p][line] = f"Step {line - 5} changed in commit {n}."
        put(p)
    if n % 250 == 0:
        k = (n * 11) % len(paths)
        old = paths[k]
        new = f"journeys/{areas[(n // 250) % 10]}/renamed-{n:05d}.md"
        out.write(f"D {site}{old}\n".encode())
        lines[new] = lines.pop(old)
        lines[new][1] = f'title = "Renamed in {n}"'
        paths[k] = new
        put(new)
    if n % 7 == 0 and site:
        out.write(b"M 100644 inline OUTSIDE.md\n")
        data(f"Outside, commit {n}.\n")
PY
git -C "$repo" checkout -q main
ms=$((($(date +%s%N) - start) / 1000000))
echo "generated $commits commits, $files journeys${prefix:+ under $prefix/} in $ms ms"

CXMAP_HISTORY_BENCH="$repo/$prefix" cargo test --release --quiet --test history \
    -- --ignored --exact bench_history --nocapture 2>&1 | grep -E '^(history|files_at)|panicked|error'

# The whole read of a build, with and without the repository around the site: history,
# each journey's earlier versions and the What changed page (`cxmap check` reads
# everything a build reads; the generated journeys name personas that do not exist, so
# it reports errors, which does not change what is read).
cargo build --release --quiet
site="$repo/$prefix"
copy="$work/copy"
mkdir -p "$copy"
cp -r "$site/." "$copy/"
rm -rf "$copy/.git"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_check() {
    for _ in 1 2 3 4 5; do
        t=$(date +%s%N)
        target/release/cxmap check "$1" >/dev/null 2>&1 || true
        echo $((($(date +%s%N) - t) / 1000000))
    done | median
}
inside=$(time_check "$site")
outside=$(time_check "$copy")
echo "cxmap check, median of 5: in the repository $inside ms, the same files outside git $outside ms: git adds $((inside - outside)) ms"
