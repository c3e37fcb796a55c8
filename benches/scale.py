#!/usr/bin/env python3
"""How cxmap's full build scales with the size of a portfolio, next to Hugo and a floor.

    python3 benches/scale.py                       1,000 and 10,000 journeys, 3 rounds
    python3 benches/scale.py --sizes 1000 --rounds 1
    python3 benches/scale.py --keep /tmp/scale     keep the sites and the last outputs
    python3 benches/scale.py --work /var/tmp       build on that disk instead of in memory

Options: --sizes 1000,10000 (journey files per site), --rounds 3, --keep DIR (work
there and leave everything behind; otherwise a temporary folder is used and removed),
--work DIR (where that temporary folder goes: /dev/shm by default when it is a tmpfs
with room, else the system's temporary folder),
--serve-at 1000 (the sizes at which the `serve` edit is measured; empty for none),
--edits 7 and --pause 3 (edits of the serve measurement and the seconds between them),
--no-build (use target/release/cxmap and target/release/examples/bench-floor as they
are instead of running `cargo build --release` first), --no-hugo (leave Hugo out).

For each size N, benches/gen_site.py writes a site once: N journey files (6 stages of 4
steps, about 6 KB each) in English and Spanish (every fourth file is the Spanish
translation of the journey before it), and N/10 personas. The site is not in a git
repository, so no history is read. The same site is converted once into a Hugo site
(below). Then one untimed warm-up of each of the three builds runs, and the timed
rounds alternate cxmap, floor, Hugo. Each build is a child process; its wall time is
taken around it, its peak RSS is the child's ru_maxrss (os.wait4), and its output is
measured (bytes and files) and then deleted. (ru_maxrss also counts this script's
memory, about 20 MB, from before the child's exec; only the floor needs less, so the
floor reports its own peak, VmHWM, instead.) The table shows the median over rounds.
The OS page cache is not dropped between rounds (it cannot be without root): the
warm-up leaves the input in the cache for every build alike.

Where the outputs go matters. On a tmpfs (the default, /dev/shm) the figures are the
builds' own work, steady from round to round. On a disk, each build writes hundreds of
megabytes (gigabytes at 10,000 journeys), and the time then depends on the disk and on
what the previous round left to write back; the script runs `sync` before every timed
build there, and the header says which filesystem was used.

  cxmap   `cxmap build SITE -o OUT -q` into a folder that does not exist yet: a cold
          full build (all cores, as it runs by default).
  floor   target/release/examples/bench-floor (benches/floor.rs): reads every file of
          the site, then writes an output tree with the same folders, relative paths and
          file sizes as cxmap's (the warm-up's output is the model), on one thread. The
          time the floor spends listing the model is left out.
  Hugo    `hugo --quiet -s HUGO_SITE -d OUT` (all cores) on the same pages: each journey
          and persona becomes a Markdown page with the same words (title, summary and
          scenario, a heading per stage with its goal, each step as a list item with its
          thought, pains, opportunities, backstage and evidence as a nested list, then
          the body) and TOML frontmatter with the title and tags; Spanish files stay
          translations (`.es.md`) in a two-language Hugo site. The templates
          (benches/hugo/layouts) print the title, tags, .Content, and lists of pages.
          Hugo's default page kinds are kept: RSS feeds, the sitemap and the tags and
          categories taxonomies.

At the sizes in --serve-at, `cxmap serve SITE --port 0` is started after the rounds;
once it serves, one English journey in the middle of retail/ is edited --edits times,
--pause seconds apart so that every edit starts from an idle server. Each edit is
timed from just before the file is written until the journey's page, polled over HTTP
every 2 ms, contains the new text (as benches/serve.sh does). The median is reported,
for the two-language site and, for comparison, for the same number of journey files
in English only (`gen_site.py --languages en`).

The goals are printed next to the figures; they are not checked. The exit status is
non-zero only when something failed to run.
"""

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CXMAP = os.path.join(ROOT, "target", "release", "cxmap")
FLOOR = os.path.join(ROOT, "target", "release", "examples", "bench-floor")
GEN = os.path.join(ROOT, "benches", "gen_site.py")
HUGO_LAYOUTS = os.path.join(ROOT, "benches", "hugo", "layouts")


class Failed(Exception):
    pass


def log(msg=""):
    print(msg, flush=True)


def run(cmd, **kw):
    """Runs an untimed helper command; raises Failed with its output when it fails."""
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise Failed(f"{' '.join(cmd)} exited with {r.returncode}:\n{r.stderr}{r.stdout}")
    return r.stdout


def timed(cmd, logdir, name):
    """Runs cmd as a child; returns (wall seconds, peak RSS in KB, CPU seconds, stdout)."""
    out_path = os.path.join(logdir, name + ".stdout")
    err_path = os.path.join(logdir, name + ".stderr")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path, encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    if p.returncode != 0:
        with open(err_path, encoding="utf-8", errors="replace") as f:
            stderr = f.read()
        raise Failed(f"{' '.join(cmd)} exited with {p.returncode}:\n{stderr[-4000:]}{stdout[-2000:]}")
    return wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, stdout


def tree_size(path):
    """(bytes, files) of every regular file under path."""
    total = files = 0
    for dirpath, _, names in os.walk(path):
        for n in names:
            st = os.lstat(os.path.join(dirpath, n))
            total += st.st_size
            files += 1
    return total, files


# ---------------------------------------------------------------------------------------
# The Hugo version of a site


def split_frontmatter(text):
    assert text.startswith("+++\n"), "a generated file starts with +++"
    end = text.index("\n+++\n", 3)
    return tomllib.loads(text[4:end]), text[end + 5:]


def hq(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hugo_frontmatter(title, tags):
    lines = ["+++", f"title = {hq(title)}"]
    if tags:
        lines.append("tags = [" + ", ".join(hq(t) for t in tags) + "]")
    lines.append("+++")
    return "\n".join(lines) + "\n\n"


def pain_text(p):
    return (p, None) if isinstance(p, str) else (p["text"], p.get("severity"))


def journey_markdown(fm, body):
    """The same words as the journey, as a Hugo page: prose, headings and lists."""
    out = [hugo_frontmatter(fm["title"], fm.get("tags", []))]
    for key in ("summary", "scenario"):
        if fm.get(key):
            out.append(fm[key] + "\n\n")
    if fm.get("owner"):
        out.append(f"Owner: {fm['owner']}. Personas: {', '.join(fm.get('personas', []))}.\n\n")
    for stage in fm.get("stages", []):
        heading = stage.get("name", stage.get("id", ""))
        out.append(f"## {heading}\n\n")
        if stage.get("phase") or stage.get("goal"):
            out.append(f"{stage.get('phase', '')}: {stage.get('goal', '')}\n\n")
        for step in stage.get("steps", []):
            out.append(f"- **{step['action']}** ({step.get('touchpoint', '')}, "
                       f"{step.get('channel', '')}, {step.get('emotion', '')}/5)\n")
            if step.get("thought"):
                out.append(f"  - “{step['thought']}”\n")
            for p in step.get("pains", []):
                text, sev = pain_text(p)
                out.append(f"  - Pain ({sev}): {text}\n" if sev else f"  - Pain: {text}\n")
            for o in step.get("opportunities", []):
                if isinstance(o, str):
                    out.append(f"  - Opportunity: {o}\n")
                else:
                    out.append(f"  - Opportunity ({o.get('priority', '')}, {o.get('owner', '')}): "
                               f"{o['text']}\n")
            for b in step.get("backstage", []):
                out.append(f"  - Backstage: {b}\n")
            for e in step.get("evidence", []):
                if isinstance(e, str):
                    out.append(f"  - Evidence: {e}\n")
                    continue
                line = f"  - Evidence: {e.get('source', '')}"
                if e.get("quote"):
                    line += f": “{e['quote']}”"
                if e.get("link"):
                    line += f" ([link]({e['link']}))"
                out.append(line + "\n")
        out.append("\n")
    out.append(body.lstrip("\n"))
    return "".join(out)


def persona_markdown(fm, body):
    out = [hugo_frontmatter(fm["name"], [])]
    for key in ("role", "quote"):
        if fm.get(key):
            out.append(fm[key] + "\n\n")
    for key in ("goals", "needs", "frustrations", "motivations", "channels"):
        if fm.get(key):
            out.append(f"## {key.capitalize()}\n\n")
            out.extend(f"- {v}\n" for v in fm[key])
            out.append("\n")
    out.append(body.lstrip("\n"))
    return "".join(out)


def write_hugo_site(site, dest):
    """Converts a generated cxmap site into a Hugo site with the same pages and words."""
    with open(os.path.join(site, "cxmap.toml"), "rb") as f:
        config = tomllib.load(f)
    main = config.get("language", "en")
    langs = config.get("languages", [main])
    if main not in langs:
        langs = [main] + langs
    os.makedirs(dest)
    shutil.copytree(HUGO_LAYOUTS, os.path.join(dest, "layouts"))
    with open(os.path.join(dest, "hugo.toml"), "w", encoding="utf-8") as f:
        f.write(f'baseURL = "https://cx.example.com/"\ntitle = {hq(config["title"])}\n')
        f.write(f'defaultContentLanguage = "{main}"\n\n')
        for w, lang in enumerate(langs, 1):
            f.write(f'[languages.{lang}]\nweight = {w}\n\n')
    pages = 0
    for kind in ("journeys", "personas"):
        top = os.path.join(site, kind)
        for dirpath, dirnames, names in os.walk(top):
            dirnames.sort()
            for n in sorted(names):
                if not n.endswith(".md"):
                    continue
                with open(os.path.join(dirpath, n), encoding="utf-8") as f:
                    fm, body = split_frontmatter(f.read())
                text = journey_markdown(fm, body) if kind == "journeys" else persona_markdown(fm, body)
                rel = os.path.relpath(os.path.join(dirpath, n), site)
                target = os.path.join(dest, "content", rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "w", encoding="utf-8", newline="\n") as f:
                    f.write(text)
                pages += 1
    return pages


# ---------------------------------------------------------------------------------------
# The serve edit


def serve_edit(site, edits, pause, logdir):
    """Median ms from writing a journey to its page being served; and every figure."""
    retail = os.path.join(site, "journeys", "retail")
    english = sorted(n for n in os.listdir(retail) if re.fullmatch(r"journey-\d+\.md", n))
    name = english[len(english) // 2]
    path = os.path.join(retail, name)
    with open(path, encoding="utf-8") as f:
        original = f.read()
    anchor = "This journey was mapped"
    if anchor not in original:
        raise Failed(f"{path} has no “{anchor}” to edit (is the site's language English?)")

    out_path, err_path = os.path.join(logdir, "serve.stdout"), os.path.join(logdir, "serve.stderr")
    out, err = open(out_path, "wb"), open(err_path, "wb")
    t_start = time.perf_counter()
    p = subprocess.Popen([CXMAP, "serve", site, "--port", "0"], stdout=out, stderr=err,
                         stdin=subprocess.DEVNULL)
    usage = exited = None
    try:
        url = None
        while url is None:
            with open(out_path, encoding="utf-8", errors="replace") as f:
                m = re.search(r"http://127\.0\.0\.1:\d+/", f.read())
            if m:
                url = m.group(0)
            elif exited is not None or time.perf_counter() - t_start > 300:
                with open(err_path, encoding="utf-8", errors="replace") as f:
                    raise Failed("cxmap serve did not start:\n" + f.read()[-4000:])
            else:
                time.sleep(0.05)
                pid, status, ru = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    exited, usage = status, ru
        startup = time.perf_counter() - t_start
        slug = name[:-len(".md")]
        page = url + f"journeys/retail/{slug}/"

        def fetch():
            with urllib.request.urlopen(page, timeout=10) as r:
                return r.read().decode("utf-8", errors="replace")

        if anchor not in fetch():
            raise Failed(f"{page} does not show the journey")
        time.sleep(pause)  # the server is idle before the first edit
        times = []
        for i in range(edits):
            marker = f"Edited for the benchmark, round {i}."
            text = original.replace(anchor, marker + " " + anchor)
            t0 = time.perf_counter()
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            while marker not in fetch():
                if time.perf_counter() - t0 > 30:
                    raise Failed(f"edit {i} was not served within 30 s")
                time.sleep(0.002)
            times.append((time.perf_counter() - t0) * 1000)
            time.sleep(pause)
    finally:
        if exited is None:
            p.terminate()
            _, exited, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(exited)
        out.close()
        err.close()
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(original)
    return {"median": statistics.median(times), "times": times, "page": page,
            "startup": startup, "rss_kb": usage.ru_maxrss if usage else 0}


# ---------------------------------------------------------------------------------------
# One size


def rm(path):
    shutil.rmtree(path, ignore_errors=True)


def filesystem(path):
    """The type and mount point of the filesystem that holds path."""
    path = os.path.realpath(path)
    best = ("?", "/")
    try:
        with open("/proc/mounts") as f:
            for line in f:
                parts = line.split()
                mnt = parts[1].replace("\\040", " ")
                if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best[1]):
                    best = (parts[2], mnt)
    except OSError:
        pass
    return best


def settle(work):
    """Writes back what earlier builds left, so that a build on a disk does not pay for
    the one before it."""
    if filesystem(work)[0] != "tmpfs":
        os.sync()


def bench_size(n, args, work):
    d = os.path.join(work, str(n))
    site, hugo_site, logs = os.path.join(d, "site"), os.path.join(d, "hugo-site"), os.path.join(d, "logs")
    for p in (site, hugo_site):
        if os.path.exists(p):
            rm(p)
    os.makedirs(logs, exist_ok=True)

    t = time.perf_counter()
    run([sys.executable, GEN, site, "--journeys", str(n)])
    gen_s = time.perf_counter() - t
    in_bytes, in_files = tree_size(site)
    jfiles = [f for _, _, fs in os.walk(os.path.join(site, "journeys")) for f in fs]
    translated = sum(1 for f in jfiles if re.search(r"\.[a-z]{2}\.md$", f))
    personas = len(os.listdir(os.path.join(site, "personas")))
    log(f"\n== {n:,} journey files: {n - translated:,} journeys, {translated:,} of them also "
        f"in Spanish; {personas:,} personas; {in_files:,} input files, {in_bytes / 1e6:.1f} MB "
        f"(generated in {gen_s:.1f} s)")
    checked = subprocess.run([CXMAP, "check", site], capture_output=True, text=True)
    if checked.returncode != 0:
        raise Failed(f"cxmap check {site} failed:\n{checked.stderr[-4000:]}")
    if not args.no_hugo:
        hugo_pages = write_hugo_site(site, hugo_site)
        log(f"   Hugo site: {hugo_pages:,} Markdown pages")

    model = os.path.join(d, "out-cxmap-model")
    rm(model)
    builds = {
        "cxmap": lambda out: [CXMAP, "build", site, "-o", out, "-q"],
        "floor": lambda out: [FLOOR, site, model, out],
    }
    if not args.no_hugo:
        cache = os.path.join(d, "hugo-cache")
        builds["Hugo"] = lambda out: ["hugo", "--quiet", "--noBuildLock", "--cacheDir", cache,
                                      "-s", hugo_site, "-d", out]
    results = {k: [] for k in builds}
    sizes = {}

    def one(tool, label, keep=False):
        out = model if keep else os.path.join(d, f"out-{tool}")
        rm(out)
        settle(d)
        wall, rss, cpu, stdout = timed(builds[tool](out), logs, f"{tool}-{label}")
        if tool == "floor":
            m = re.search(r"model_ms=([\d.]+)", stdout)
            if not m:
                raise Failed(f"bench-floor printed no figures: {stdout!r}")
            wall -= float(m.group(1)) / 1000
            cpu = max(0.0, cpu - float(m.group(1)) / 1000)
            peak = re.search(r"peak_kb=(\d+)", stdout)
            if peak and int(peak.group(1)) > 0:
                rss = int(peak.group(1))
        if tool == "Hugo" and not os.path.isdir(out):
            raise Failed("hugo wrote nothing")
        sizes[tool] = tree_size(out)
        if not keep and not (args.keep and label == f"round {args.rounds}"):
            rm(out)
        return wall, rss, cpu

    log("   warm-up (untimed): " + ", ".join(builds))
    one("cxmap", "warm-up", keep=True)
    for tool in builds:
        if tool != "cxmap":
            one(tool, "warm-up")
    for r in range(1, args.rounds + 1):
        line = []
        for tool in builds:
            wall, rss, cpu = one(tool, f"round {r}")
            results[tool].append((wall, rss, cpu))
            line.append(f"{tool} {wall:.2f} s {rss / 1024:.0f} MB")
        log(f"   round {r}: " + " | ".join(line) + f"   (load {load()})")
    if sizes["floor"] != sizes["cxmap"]:
        log(f"   note: the floor wrote {sizes['floor']} (bytes, files), cxmap {sizes['cxmap']}")

    serve = None
    if n in args.serve_at:
        log(f"   serve: {args.edits} edits, {args.pause:g} s apart…")
        serve = serve_edit(site, args.edits, args.pause, logs)
        one_lang = os.path.join(d, "site-en")
        rm(one_lang)
        run([sys.executable, GEN, one_lang, "--journeys", str(n), "--languages", "en"])
        log(f"   serve, the same site in English only: {args.edits} edits…")
        serve["en"] = serve_edit(one_lang, args.edits, args.pause, logs)

    med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3))
           for k, v in results.items()}
    if not args.keep:
        rm(d)
    return {"n": n, "med": med, "sizes": sizes, "serve": serve, "rounds": results}


def report(res, rounds):
    n, med, sizes = res["n"], res["med"], res["sizes"]
    tools = list(med)
    head = "   {:<22}" + "{:>12}" * len(tools)
    log(f"\n-- {n:,} journey files, median of {rounds} round{'s' if rounds > 1 else ''} "
        "(cxmap and Hugo on all cores, floor on one thread)")
    log(head.format("", *tools))
    log(head.format("ms per journey", *[f"{med[t][0] * 1000 / n:.3f}" for t in tools]))
    log(head.format("wall, s", *[f"{med[t][0]:.3f}" for t in tools]))
    log(head.format("CPU (user+sys), s", *[f"{med[t][2]:.3f}" for t in tools]))
    log(head.format("peak RSS, MB", *[f"{med[t][1] / 1024:.1f}" for t in tools]))
    log(head.format("output, MB", *[f"{sizes[t][0] / 1e6:.1f}" for t in tools]))
    log(head.format("output files", *[f"{sizes[t][1]:,}" for t in tools]))
    cx = med["cxmap"][0]
    rows = []
    if "Hugo" in med:
        rows.append(("cxmap / Hugo", f"{cx / med['Hugo'][0]:.2f}", "≤ 1.0, aim 0.5"))
    rows.append(("cxmap / floor", f"{cx / med['floor'][0]:.1f}", "≤ 3"))
    rows.append(("cxmap peak RSS, MB", f"{med['cxmap'][1] / 1024:.0f}", "< 1,000, aim 500"))
    if res["serve"]:
        s = res["serve"]
        rows.append(("serve edit, ms", f"{s['median']:.0f}", "< 100"))
        rows.append(("  in English only, ms", f"{s['en']['median']:.0f}", "< 100"))
    log("   {:<22}{:>12}   {}".format("", "figure", "goal"))
    for name, fig, goal in rows:
        log("   {:<22}{:>12}   {}".format(name, fig, goal))
    if res["serve"]:
        for label, s in (("serve", res["serve"]), ("English only", res["serve"]["en"])):
            log(f"   {label}: every edit, ms: {' '.join(f'{t:.0f}' for t in s['times'])}; "
                f"{s['page']}; the server took {s['startup']:.1f} s to start, "
                f"peak RSS {s['rss_kb'] / 1024:.0f} MB")


def default_work(args):
    """/dev/shm when it is a tmpfs with room for the largest size, else the system's
    temporary folder."""
    need = max(args.sizes) * 700_000  # two cxmap outputs, the sites, Hugo's output
    try:
        with open("/proc/meminfo") as f:
            available = int(re.search(r"MemAvailable:\s*(\d+)", f.read()).group(1)) * 1024
    except (OSError, AttributeError):
        available = 0
    # The outputs live in memory there, beside the builds themselves.
    if os.path.isdir("/dev/shm") and filesystem("/dev/shm")[0] == "tmpfs":
        if shutil.disk_usage("/dev/shm").free > need and available > 2 * need:
            return "/dev/shm"
    return None


def load():
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def machine(args):
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
            cpu = m.group(1).strip() if m else platform.processor() or cpu
    except OSError:
        pass
    ram = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1))
            ram = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, AttributeError):
        pass
    commit = run(["git", "-C", ROOT, "rev-parse", "--short=12", "HEAD"]).strip()
    dirty = run(["git", "-C", ROOT, "status", "--porcelain", "--", "src", "Cargo.toml",
                 "Cargo.lock", "themes"]).strip()
    hugo = "not used"
    if not args.no_hugo:
        hugo = run(["hugo", "version"]).strip()
    log("cxmap scale benchmark")
    log(f"   machine: {cpu}, {os.cpu_count()} cores, {ram} RAM, {platform.system()} "
        f"{platform.release()}")
    log(f"   date:    {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    log(f"   cxmap:   commit {commit}{' with uncommitted changes in src/' if dirty else ''}, "
        f"{run([CXMAP, '--version']).strip()}")
    log(f"   hugo:    {hugo}")
    log(f"   python:  {platform.python_version()}")
    log(f"   load:    {load()} (1, 5, 15 min; other work on the machine makes the figures noisy)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="journey files per site (default 1000,10000)")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds (default 3)")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep the sites and last outputs")
    ap.add_argument("--work", metavar="DIR",
                    help="where the temporary work folder goes (default /dev/shm when it has room)")
    ap.add_argument("--serve-at", default="1000", help="sizes to measure the serve edit at (default 1000)")
    ap.add_argument("--edits", type=int, default=7, help="serve edits (default 7)")
    ap.add_argument("--pause", type=float, default=3.0, help="seconds between serve edits (default 3)")
    ap.add_argument("--no-build", action="store_true", help="do not run cargo build first")
    ap.add_argument("--no-hugo", action="store_true", help="leave Hugo out")
    args = ap.parse_args()
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        args.serve_at = {int(s) for s in args.serve_at.split(",") if s.strip()}
    except ValueError:
        ap.error("--sizes and --serve-at take comma-separated whole numbers")
    if not args.sizes or min(args.sizes) < 1 or args.rounds < 1 or args.edits < 1:
        ap.error("give at least one size, one round and one edit")

    if not args.no_hugo and shutil.which("hugo") is None:
        sys.exit("hugo is not installed: `apt-get install hugo` (or run with --no-hugo)")
    work = None
    try:
        if not args.no_build:
            log("building cxmap and the floor (cargo build --release)…")
            run(["cargo", "build", "--release", "--quiet", "--bin", "cxmap", "--example", "bench-floor"],
                cwd=ROOT)
        for b in (CXMAP, FLOOR):
            if not os.access(b, os.X_OK):
                raise Failed(f"{b} is missing: cargo build --release --bin cxmap --example bench-floor")
        if args.keep:
            work = os.path.abspath(args.keep)
            os.makedirs(work, exist_ok=True)
        else:
            work = tempfile.mkdtemp(prefix="cxmap-scale-", dir=args.work or default_work(args))
        # Copies, so that a rebuild of target/ during the run does not change what runs.
        os.makedirs(os.path.join(work, "bin"), exist_ok=True)
        for name in ("CXMAP", "FLOOR"):
            copy = os.path.join(work, "bin", os.path.basename(globals()[name]))
            shutil.copy2(globals()[name], copy)
            globals()[name] = copy
        machine(args)
        fs, mnt = filesystem(work)
        log(f"   work:    {work} ({fs} at {mnt}){'; kept' if args.keep else ''}")
        results = []
        for n in args.sizes:
            results.append(bench_size(n, args, work))
        for res in results:
            report(res, args.rounds)
        if len(results) > 1:
            lo, hi = min(results, key=lambda r: r["n"]), max(results, key=lambda r: r["n"])
            a = lo["med"]["cxmap"][0] / lo["n"]
            b = hi["med"]["cxmap"][0] / hi["n"]
            log(f"\n-- ms per journey at {hi['n']:,} vs {lo['n']:,}: {b * 1000:.3f} vs "
                f"{a * 1000:.3f}, {(b / a - 1) * 100:+.0f} % (goal: within 20 %)")
    except Failed as e:
        print(f"\nfailed: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if work and not args.keep:
            rm(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
