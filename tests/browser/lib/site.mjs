// Helpers for the browser tests: build a site with the cxmap binary, serve it from a
// small static server on 127.0.0.1, drive headless Chromium, and collect everything a
// page gets wrong (console errors, page errors, failed requests, requests to another
// host). Not a test file: `node --test` only runs `*.test.mjs`.

import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** The repository root. */
export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** Flags that keep Chromium quiet and off the network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium binary: the system one, never a downloaded browser. */
export function chromiumPath() {
  // The real binary, not the `/usr/bin/chromium` shell wrapper (which prints a warning).
  const candidates = ['/usr/lib/chromium/chromium', process.env.CHROMIUM_PATH, '/usr/bin/chromium'];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) throw new Error(`no Chromium found (looked at ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

/** Launches headless Chromium; one per test file. */
export function launch() {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

let binCache;
/** The cxmap binary: `CXMAP_BIN`, else the one `cargo build` leaves (built once). */
export function cxmapBin() {
  if (binCache) return binCache;
  if (process.env.CXMAP_BIN) return (binCache = process.env.CXMAP_BIN);
  const out = execFileSync('cargo', ['build', '--quiet', '--bin', 'cxmap', '--message-format=json'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line);
    if (msg.reason === 'compiler-artifact' && msg.target?.name === 'cxmap' && msg.executable) {
      binCache = msg.executable;
    }
  }
  if (!binCache) throw new Error('cargo build did not report a cxmap executable');
  return binCache;
}

/** Every example site (a folder of `examples/` with a `cxmap.toml`), sorted. */
export function exampleSites() {
  const dir = join(ROOT, 'examples');
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'cxmap.toml')))
    .sort()
    .map((name) => ({ name, dir: join(dir, name) }));
}

/**
 * The path a site is hosted under: the path of its `base_url`, else `/`. The 404 page
 * links from there, so the test server mounts the site at that path, as a real host would.
 */
export function mountPath(siteDir) {
  const toml = readFileSync(join(siteDir, 'cxmap.toml'), 'utf8');
  const m = toml.match(/^\s*base_url\s*=\s*"([^"]*)"/m);
  if (!m) return '/';
  let path = new URL(m[1]).pathname;
  if (!path.endsWith('/')) path += '/';
  return path;
}

/** The built-in themes other than `default` (folders of `themes/`), sorted. */
export function otherBuiltinThemes() {
  return readdirSync(join(ROOT, 'themes'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'default')
    .map((e) => e.name)
    .sort();
}

/**
 * Builds `siteDir` into a fresh temporary folder; with `theme`, builds a copy of the
 * site that uses that theme. Returns `{ out, mount, data, cleanup }` where `data` is the
 * site's `data/journeys.json`.
 */
export function buildSite(siteDir, { theme } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'cxmap-browser-'));
  const out = join(tmp, 'public');
  if (theme) {
    const copy = join(tmp, 'site');
    cpSync(siteDir, copy, { recursive: true, filter: (src) => src !== join(siteDir, 'public') });
    const config = join(copy, 'cxmap.toml');
    const toml = readFileSync(config, 'utf8').replace(/^\s*theme\s*=.*$/m, '');
    writeFileSync(config, `theme = ${JSON.stringify(theme)}\n${toml}`);
    siteDir = copy;
  }
  try {
    execFileSync(cxmapBin(), ['build', siteDir, '-o', out], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`cxmap build ${siteDir} failed (exit ${err.status}):\n${err.stderr || err.message}`);
  }
  const data = JSON.parse(readFileSync(join(out, 'data', 'journeys.json'), 'utf8'));
  return {
    out,
    mount: mountPath(siteDir),
    data,
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.otf': 'font/otf',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/**
 * Serves `dir` under `mount` on 127.0.0.1 with an ephemeral port. Folders answer with
 * their `index.html`; anything missing answers 404 with the site's `404.html`.
 * Returns `{ origin, url(path), close() }`; `url('a/index.html')` is under the mount.
 */
export async function serve(dir, mount = '/') {
  const root = resolve(dir);
  const notFound = () => {
    const page = join(root, '404.html');
    return existsSync(page) ? readFileSync(page) : Buffer.from('not found');
  };
  const server = createServer((req, res) => {
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(400, 'text/plain', 'bad request');
    }
    if (!path.startsWith(mount) || path.includes('\0')) {
      return send(404, TYPES['.html'], notFound());
    }
    let file = normalize(join(root, path.slice(mount.length)));
    if (file !== root && !file.startsWith(root + sep)) {
      return send(404, TYPES['.html'], notFound());
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      return send(200, TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', body);
    } catch {
      return send(404, TYPES['.html'], notFound());
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: (p = '') => origin + mount + p.replace(/^\//, ''),
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(ok);
      }),
  };
}

/**
 * A browser context whose requests never leave 127.0.0.1 (or the disk, for a site opened
 * from a file: URL): anything else is aborted (and reported as a problem by the tab that
 * made it).
 */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await context.route(
    (url) => url.protocol !== 'file:' && url.hostname !== '127.0.0.1',
    (route) => route.abort('blockedbyclient'),
  );
  context.setDefaultTimeout(15000);
  context.setDefaultNavigationTimeout(20000);
  return context;
}

/**
 * A page that records what goes wrong on it. `goto(url, { status })` resets the record,
 * loads the URL and checks the status; `problems` lists console errors, page errors,
 * failed requests, HTTP errors and requests to another host since then.
 */
export async function newTab(context) {
  const page = await context.newPage();
  const tab = {
    page,
    problems: [],
    expected404: null,
    async goto(url, { status = 200 } = {}) {
      tab.problems = [];
      tab.expected404 = status === 404 ? url : null;
      const response = await page.goto(url, { waitUntil: 'load' });
      if (!response) throw new Error(`no response for ${url}`);
      if (response.status() !== status) {
        throw new Error(`${url}: HTTP ${response.status()}, expected ${status}`);
      }
      return response;
    },
    /** Reloads the page, starting a new record. */
    async reload() {
      tab.problems = [];
      await page.reload({ waitUntil: 'load' });
    },
    /** Gives late scripts a moment, then returns the problems seen since `goto`. */
    async settle() {
      // Without JavaScript the evaluation never settles; the timer bounds it.
      let timer;
      await Promise.race([
        page
          .evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))))
          .catch(() => {}),
        new Promise((ok) => (timer = setTimeout(ok, 250))),
      ]);
      clearTimeout(timer);
      return tab.problems;
    },
  };
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url ?? '';
    // Chromium logs the expected 404 of the page itself as a console error.
    if (tab.expected404 && where === tab.expected404 && /404/.test(msg.text())) return;
    tab.problems.push(`console error: ${msg.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (err) => tab.problems.push(`page error: ${err.message}`));
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (/^(https?|wss?|ftp):$/.test(url.protocol) && url.hostname !== '127.0.0.1') {
      tab.problems.push(`request to another host: ${req.url()}`);
    }
  });
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText ?? 'unknown';
    // A request the next navigation cuts short (a favicon, say) is aborted; a missing
    // file is an HTTP error below, a request to another host is blocked, not aborted.
    if (error === 'net::ERR_ABORTED') return;
    tab.problems.push(`request failed: ${req.url()} (${error})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && res.url() !== tab.expected404) {
      tab.problems.push(`HTTP ${res.status()}: ${res.url()}`);
    }
  });
  return tab;
}

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the page (WCAG 2.1 A and AA rules) and returns the violations of
 * impact "serious" or "critical", each as one readable line.
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(AXE_SOURCE);
  }
  const violations = await page.evaluate(
    (tags) =>
      window.axe
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then((r) => r.violations),
    AXE_TAGS,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`)
        .join('\n');
      return `${v.id} (${v.impact}): ${v.help} [${v.nodes.length} node(s)]\n${nodes}`;
    });
}

/**
 * The relative luminance (WCAG) of the background the body is painted on: the body's
 * own, else the root element's, else the canvas (white).
 */
export function backgroundLuminance(page) {
  return page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const rgba = (css) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = '#000';
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      return ctx.getImageData(0, 0, 1, 1).data;
    };
    let colour = [255, 255, 255];
    for (const el of [document.body, document.documentElement]) {
      const c = rgba(getComputedStyle(el).backgroundColor);
      if (c[3] > 0) {
        colour = [c[0], c[1], c[2]];
        break;
      }
    }
    const lin = (v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(colour[0]) + 0.7152 * lin(colour[1]) + 0.0722 * lin(colour[2]);
  });
}

/** The output path of a journey, persona or free page, relative to the site root. */
export const paths = {
  journey: (j) => `journeys/${j.id}/index.html`,
  persona: (p) => `personas/${p.id}/index.html`,
  page: (p) => `${p.id}/index.html`,
};

/** Options for one browser test: a hung page fails the test instead of the run. */
export const TIMEOUT = { timeout: 60_000 };
