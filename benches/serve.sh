#!/usr/bin/env bash
# How long a saved edit takes to reach the browser in `cxmap serve`.
#
#   benches/serve.sh [JOURNEYS] [EDITS]      (defaults: 1000 journeys, 11 edits)
#   CXMAP_BIN=target/debug/cxmap benches/serve.sh 200
#   PAUSE=0.3 benches/serve.sh                 (seconds between edits; default 3)
#   LANGUAGES=en benches/serve.sh              (gen_site.py --languages; default en,es)
#
# Generates a deterministic site (benches/gen_site.py: JOURNEYS journey files, every
# fourth one a Spanish translation unless LANGUAGES=en), starts the release binary's
# `cxmap serve` on a free loopback port, then edits one journey EDITS times; each time
# it measures from just before the file write until the journey's page is served with
# the new text (polling the page), and prints every figure and the median. Goal: under
# 100 ms for 1,000 journeys. After serving the edited journey's page, the server still
# renders the pages that gather every journey (about 1.5 s at 1,000 journeys); the pause
# between edits lets it finish, so each edit starts from an idle server. A shorter
# PAUSE measures saves that come faster than that. A site in several languages is
# rendered whole on every save, so there the page comes only after all of that.
set -euo pipefail
cd "$(dirname "$0")/.."
journeys=${1:-1000}
edits=${2:-11}
pause=${PAUSE:-3}

# CXMAP_BIN=path uses another binary (e.g. a debug build) instead of the release one.
if [[ -z ${CXMAP_BIN:-} ]]; then
    cargo build --release --quiet --bin cxmap
fi
bin=${CXMAP_BIN:-target/release/cxmap}
work=$(mktemp -d)
cleanup() {
    [[ -n ${pid:-} ]] && kill "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

python3 benches/gen_site.py "$work/site" --journeys "$journeys" --languages "${LANGUAGES:-en,es}"
: >"$work/out"
"$bin" serve "$work/site" --port 0 >"$work/out" 2>"$work/err" &
pid=$!
url=
for _ in $(seq 1 600); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/out" || true)
    [[ -n $url ]] && break
    sleep 0.1
done
[[ -n $url ]] || { echo "serve did not start:"; cat "$work/err"; exit 1; }
grep '^built' "$work/err" || true

python3 - "$work/site" "$url" "$edits" "$journeys" "$pause" <<'EOF'
import os, re, statistics, sys, time, urllib.request

site, url, edits, journeys = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
pause = float(sys.argv[5])
# An English journey in the middle of retail/ (journey-NNNNN.md, not a .es.md translation).
retail = f"{site}/journeys/retail"
names = sorted(n for n in os.listdir(retail) if re.fullmatch(r"journey-\d+\.md", n))
slug = names[len(names) // 2][:-3]
path = f"{retail}/{slug}.md"
page = url + f"journeys/retail/{slug}/"
original = open(path, encoding="utf-8").read()
anchor = "This journey was mapped"

def fetch():
    with urllib.request.urlopen(page, timeout=10) as r:
        return r.read().decode()

assert anchor in fetch()
times = []
for i in range(edits):
    marker = f"Edited for the benchmark, round {i}."
    text = original.replace(anchor, marker + " " + anchor)
    t0 = time.perf_counter()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    while marker not in fetch():
        if time.perf_counter() - t0 > 30:
            sys.exit("the edit was not served within 30 s")
    times.append((time.perf_counter() - t0) * 1000)
    time.sleep(pause)  # let the server go idle between edits
print("edit → page served, ms:", " ".join(f"{t:.0f}" for t in times))
print(f"median {statistics.median(times):.0f} ms over {len(times)} edits, {pause} s apart (goal: under 100 ms)")
EOF
grep '^rebuilt' "$work/err" | tail -3 || true
