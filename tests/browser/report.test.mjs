// The HTML report of the retail example (`cxmap report --format html`) opened from disk in
// headless Chromium: the page asks for nothing but its own file (styles, fonts and
// diagrams are inline), axe-core finds nothing serious or critical, the diagrams are
// drawn in the embedded Inter, and printing gives A4 pages with a landscape page (or
// more) per journey.
//
// Run: node --test tests/browser/report.test.mjs   (see ARCHITECTURE.md, "Tests")

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { ROOT, TIMEOUT, axeViolations, cxmapBin, launch } from './lib/site.mjs';

// A copy outside the repository, so the report does not depend on cxmap's own history.
const tmp = mkdtempSync(join(tmpdir(), 'cxmap-report-'));
const siteDir = join(tmp, 'retail');
cpSync(join(ROOT, 'examples', 'retail'), siteDir, {
  recursive: true,
  filter: (src) => !src.endsWith(`${join('retail', 'public')}`),
});
const file = join(tmp, 'report.html');
execFileSync(cxmapBin(), ['report', siteDir, '--format', 'html', '-o', file], {
  cwd: ROOT,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
const url = pathToFileURL(file).href;
const html = readFileSync(file, 'utf8');
const journeyCount = (html.match(/class="journey-page"/g) ?? []).length;

/** Page sizes of a PDF Chromium printed: one `/MediaBox` per page, in points. */
function pageSizes(pdf) {
  const text = pdf.toString('latin1');
  return [...text.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => ({
    width: Number(m[1]),
    height: Number(m[2]),
  }));
}

describe('HTML report', () => {
  let browser;
  let context;
  let page;
  const requests = [];
  const problems = [];

  before(async () => {
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Nothing but the report itself may load; anything else is refused and recorded.
    await context.route(
      (u) => u.href !== url,
      (route) => route.abort('blockedbyclient'),
    );
    page = await context.newPage();
    page.on('request', (req) => requests.push(req.url()));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
    page.on('console', (msg) => msg.type() === 'error' && problems.push(`console error: ${msg.text()}`));
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    await page.goto(url, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
  });

  after(async () => {
    await browser?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('asks for nothing but its own file', TIMEOUT, async () => {
    assert.ok(journeyCount >= 3, `the retail report has its journeys (${journeyCount})`);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      requests.filter((r) => !r.startsWith('data:')),
      [url],
      'the report requested another file or host',
    );
  });

  test('has no serious or critical accessibility issue', TIMEOUT, async () => {
    const found = await axeViolations(page);
    assert.deepEqual(found, [], found.join('\n'));
  });

  test('draws the diagrams in the embedded Inter', TIMEOUT, async () => {
    const state = await page.evaluate(() => ({
      inter: document.fonts.check('16px Inter'),
      loaded: [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Inter' && f.status === 'loaded').length,
      maps: [...document.querySelectorAll('.journey-page svg.cx-map')].map((svg) => {
        const box = svg.getBoundingClientRect();
        return { width: box.width, height: box.height, texts: svg.querySelectorAll('text').length };
      }),
    }));
    assert.ok(state.inter && state.loaded >= 1, 'Inter is loaded from the page itself');
    assert.equal(state.maps.length, journeyCount);
    for (const m of state.maps) {
      assert.ok(m.width > 300 && m.height > 100 && m.texts > 10, JSON.stringify(m));
    }
    // On paper every map is scaled to the width of its page.
    await page.emulateMedia({ media: 'print' });
    const overflow = await page.evaluate(() =>
      [...document.querySelectorAll('.journey-page')].filter(
        (s) => s.querySelector('svg.cx-map').getBoundingClientRect().width > s.getBoundingClientRect().width + 1,
      ).length,
    );
    await page.emulateMedia({ media: null });
    assert.equal(overflow, 0, 'a printed map is wider than its page');
  });

  test('prints A4 pages with a landscape page per journey', TIMEOUT, async () => {
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const sizes = pageSizes(pdf);
    // Cover, figures, a page per journey, the pain points, the opportunities, personas.
    assert.ok(sizes.length >= 2 + journeyCount + 2, `${sizes.length} pages`);
    const a4 = (s) => Math.abs(Math.min(s.width, s.height) - 595) < 2 && Math.abs(Math.max(s.width, s.height) - 842) < 2;
    assert.ok(sizes.every(a4), `every page is A4: ${JSON.stringify(sizes)}`);
    const landscape = sizes.filter((s) => s.width > s.height).length;
    assert.ok(landscape >= journeyCount, `${landscape} landscape pages for ${journeyCount} journeys`);
    assert.ok(sizes[0].height > sizes[0].width, 'the cover is portrait');
    // The first journey starts a page of its own: the page after cover and figures.
    assert.ok(sizes[2].width > sizes[2].height, 'the journeys start on the third page, landscape');
  });
});
