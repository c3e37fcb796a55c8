// `cxmap serve` in a browser: a page reloads by itself after its journey file is saved,
// content errors show an overlay that goes away once the file is fixed, and a
// stylesheet change is applied without a reload.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

// Self-contained (no helper module), so it runs on its own: `node --test` this file.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The cxmap binary: `CXMAP_BIN`, else a fresh debug build. */
function cxmapBin() {
  if (process.env.CXMAP_BIN) return process.env.CXMAP_BIN;
  execFileSync('cargo', ['build', '--quiet', '--bin', 'cxmap'], { cwd: ROOT, stdio: 'inherit' });
  const target = process.env.CARGO_TARGET_DIR || join(ROOT, 'target');
  return join(target, 'debug', 'cxmap');
}

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/lib/chromium/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

let dir;
let server;
let url;
let browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxmap-serve-'));
  cpSync(join(ROOT, 'tests/fixtures/serve-basic'), dir, { recursive: true });
  server = spawn(cxmapBin(), ['serve', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('cxmap serve did not start')), 60_000);
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    server.on('exit', (code) => reject(new Error(`cxmap serve exited with ${code}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a saved journey reloads its page; errors show an overlay until fixed', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${url}journeys/order/`);
  await page.waitForFunction(() => document.querySelector('script[src="/__cxmap/live.js"]'));
  // Give the event stream a moment to connect.
  await page.waitForTimeout(300);
  const file = join(dir, 'journeys/order.md');
  const good = readFileSync(file, 'utf8');

  const reloaded = page.waitForEvent('load', { timeout: 20_000 });
  writeFileSync(file, good.replace('Pays with her card', 'Pays with her phone'));
  await reloaded;
  await page.getByText('Pays with her phone').first().waitFor({ timeout: 20_000 });

  writeFileSync(file, good.replace('emotion = 4', 'emotion = 9'));
  const overlay = page.locator('#cxmap-overlay');
  await overlay.waitFor({ timeout: 20_000 });
  assert.match(await overlay.innerText(), /journeys\/order\.md:\d+/);
  assert.match(await overlay.innerText(), /emotion = 9/);
  // The errors are readable: the theme's `pre` background does not win over the
  // overlay's dark panel (it did: white text on near-white).
  const colours = await overlay.locator('pre').evaluate((el) => {
    const s = getComputedStyle(el);
    return { background: s.backgroundColor, color: s.color };
  });
  assert.equal(colours.color, 'rgb(255, 255, 255)');
  assert.match(colours.background, /^(transparent|rgba\(0, 0, 0, 0\))$/);

  writeFileSync(file, good);
  await overlay.waitFor({ state: 'detached', timeout: 20_000 });
  await page.getByText('Pays with her card').first().waitFor({ timeout: 20_000 });
  assert.deepEqual(errors, []);
});

test('a stylesheet change applies without a reload', async () => {
  const page = await browser.newPage();
  await page.goto(`${url}journeys/order/`);
  await page.waitForTimeout(300);
  await page.evaluate(() => {
    window.cxmapStillHere = true;
  });
  // A site's static/assets/style.css replaces the theme's stylesheet.
  mkdirSync(join(dir, 'static/assets'), { recursive: true });
  writeFileSync(join(dir, 'static/assets/style.css'), 'body { background: rgb(1, 2, 3); }\n');
  await page.waitForFunction(
    () => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)',
    null,
    { timeout: 20_000 },
  );
  assert.equal(await page.evaluate(() => window.cxmapStillHere), true);
});
