// The site's browser features on the retail example, written against the DOM contract
// (ARCHITECTURE.md, "Tests"): search, the pains and opportunities tables (complete
// without JavaScript; filtered and sorted with it), tag pages, and the theme toggle.
// A feature whose page is not in the built output yet is skipped, with the reason.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  ROOT,
  TIMEOUT,
  axeViolations,
  backgroundLuminance,
  buildSite,
  launch,
  newContext,
  newTab,
  paths,
  serve,
} from './lib/site.mjs';

const site = buildSite(join(ROOT, 'examples', 'retail'));
const built = (p) => existsSync(join(site.out, p));
const notYet = (p, what) => (built(p) ? false : `${what} is not built yet (no ${p} in the output)`);
const toggleSkip = readFileSync(join(site.out, 'index.html'), 'utf8').includes('id="theme-toggle"')
  ? false
  : 'the theme toggle is not built yet (no #theme-toggle in index.html)';

const steps = site.data.journeys.flatMap((journey) =>
  journey.stages.flatMap((stage) => stage.steps.map((step) => ({ journey, stage, step }))),
);
const pains = steps.flatMap(({ step }) => step.pains);
const opportunities = steps.flatMap(({ step }) => step.opportunities);

/**
 * A word of a step's action that occurs nowhere else in the site's data, so the step's
 * result cannot be crowded out of the list.
 */
function searchTarget() {
  const everything = JSON.stringify(site.data).toLowerCase();
  const occurrences = (w) => everything.match(new RegExp(`\\b${w}\\b`, 'g'))?.length ?? 0;
  for (const target of steps) {
    for (const word of target.step.action.match(/\b[A-Za-z]{6,}\b/g) ?? []) {
      if (occurrences(word.toLowerCase()) === 1) return { ...target, word };
    }
  }
  throw new Error('no step action has a word of its own');
}

/** Polls `read` until `ok(value)` holds or time runs out; returns the last value. */
async function poll(read, ok, timeout = 5000) {
  const end = Date.now() + timeout;
  let value = await read();
  while (!ok(value) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

/** Rows of a table as `{ visible, data }`, `data` being the row's `data-*` attributes. */
function tableRows(page, table) {
  return page.$$eval(`${table} tbody tr`, (rows) =>
    rows.map((r) => ({ visible: r.getClientRects().length > 0, data: { ...r.dataset } })),
  );
}

const visible = (rows) => rows.filter((r) => r.visible);
const countText = (page, id) => page.locator(id).textContent().then((t) => t.replace(/\s+/g, ' ').trim());

/**
 * Chooses each option of the filter `name` in turn until one narrows the table, checks
 * that the shown rows all match it and that the count says so, then clears it.
 */
async function assertFilterNarrows(page, { form, table, count, name }) {
  const all = await tableRows(page, table);
  const before = await countText(page, count);
  const select = page.locator(`${form} select[name="${name}"]`);
  assert.equal(await select.count(), 1, `${form} has a select named ${name}`);
  const values = (await select.locator('option').evaluateAll((os) => os.map((o) => o.value))).filter(Boolean);
  assert.ok(values.length > 0, `the ${name} filter has options`);
  const value =
    values.find((v) => {
      const n = all.filter((r) => r.data[name] === v).length;
      return n > 0 && n < all.length;
    }) ?? values[0];
  await select.selectOption(value);
  const rows = await poll(
    () => tableRows(page, table),
    (rs) => visible(rs).length < all.length,
  );
  const shown = visible(rows);
  assert.ok(shown.length > 0, `filtering ${name} = ${value} left no rows`);
  assert.ok(shown.length < all.length, `filtering ${name} = ${value} did not narrow the table`);
  if (all.some((r) => name in r.data)) {
    assert.deepEqual(
      shown.filter((r) => r.data[name] !== value),
      [],
      `rows shown for ${name} = ${value} that do not match`,
    );
    assert.equal(shown.length, all.filter((r) => r.data[name] === value).length, `rows hidden for ${name} = ${value}`);
  }
  const after = await poll(
    () => countText(page, count),
    (t) => t !== before,
  );
  assert.notEqual(after, before, `${count} did not change`);
  assert.match(after, new RegExp(`\\b${shown.length}\\b`), `${count} says “${after}” for ${shown.length} rows`);
  await select.selectOption('');
  const reset = await poll(
    () => tableRows(page, table),
    (rs) => visible(rs).length === all.length,
  );
  assert.equal(visible(reset).length, all.length, `clearing the ${name} filter shows every row again`);
}

let browser;
let server;
before(async () => {
  browser = await launch();
  server = await serve(site.out, site.mount);
});
after(async () => {
  await browser?.close();
  await server?.close();
  site.cleanup();
});

describe('search', { skip: notYet('search/index.html', 'the search page') }, () => {
  let context;
  let tab;
  const target = searchTarget();
  before(async () => {
    context = await newContext(browser);
    tab = await newTab(context);
  });
  after(() => context?.close());

  /** Waits for the result of kind `step` that holds the word; returns its link. */
  async function stepResult(page) {
    const results = page.locator('#search-results > li').filter({
      has: page.locator('.search-kind', { hasText: /^\s*step\s*$/ }),
      hasText: new RegExp(target.word, 'i'),
    });
    await results.first().waitFor({ state: 'visible', timeout: 10000 });
    return results.first().locator('a').first();
  }

  test(`finds a step by a word of its action (“${target.word}”)`, TIMEOUT, async () => {
    await tab.goto(server.url(`search/index.html?q=${encodeURIComponent(target.word)}`));
    assert.equal(await tab.page.inputValue('#search-input'), target.word, '#search-input is prefilled from ?q=');
    const link = await stepResult(tab.page);
    const status = await poll(
      () => countText(tab.page, '#search-status'),
      (t) => t !== '',
    );
    assert.notEqual(status, '', '#search-status announces the results');
    assert.equal(await tab.page.getAttribute('#search-status', 'aria-live'), 'polite');
    const href = await link.evaluate((a) => a.href);
    const journeyPath = new URL(server.url(paths.journey(target.journey))).pathname;
    assert.equal(new URL(href).pathname, journeyPath, 'the step result links to its journey page');
    assert.deepEqual(await axeViolations(tab.page), [], 'axe on the results');
    assert.deepEqual(await tab.settle(), [], 'the search page reported problems');

    await tab.goto(href);
    const hash = new URL(href).hash.slice(1);
    if (hash) {
      const exists = await tab.page.evaluate((id) => !!document.getElementById(decodeURIComponent(id)), hash);
      assert.ok(exists, `the step result links to #${hash}, which is not on the journey page`);
    }
    assert.deepEqual(await tab.settle(), [], 'the journey page reported problems');
  });

  test('search works on a site opened from disk (file:)', TIMEOUT, async () => {
    const file = pathToFileURL(join(site.out, 'search', 'index.html'));
    file.search = `?q=${encodeURIComponent(target.word)}`;
    await tab.page.goto(file.href, { waitUntil: 'load' });
    const link = await stepResult(tab.page);
    const href = await link.evaluate((a) => a.href);
    assert.ok(href.startsWith('file:'), `the result links to a file: URL (${href})`);
    assert.ok(href.includes(paths.journey(target.journey).replace(/index\.html$/, '')), href);
  });

  test('the header search form leads to the results', TIMEOUT, async () => {
    await tab.goto(server.url('index.html'));
    await tab.page.fill('#site-search-input', target.word);
    await Promise.all([tab.page.waitForURL(/search\/index\.html\?/), tab.page.press('#site-search-input', 'Enter')]);
    const url = new URL(tab.page.url());
    assert.equal(url.pathname, new URL(server.url('search/index.html')).pathname);
    assert.equal(url.searchParams.get('q'), target.word);
    await stepResult(tab.page);
    assert.deepEqual(await tab.settle(), [], 'the search page reported problems');
  });

  test('without JavaScript the search page says so and links to the journeys', TIMEOUT, async () => {
    const noJs = await newContext(browser, { javaScriptEnabled: false });
    try {
      const plain = await newTab(noJs);
      await plain.goto(server.url(`search/index.html?q=${encodeURIComponent(target.word)}`));
      const main = await plain.page.locator('main').innerText();
      assert.match(main, /javascript/i, 'the page says search needs JavaScript');
      const journeys = await plain.page
        .locator('main a')
        .evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
      assert.ok(
        journeys.includes(new URL(server.url('journeys/index.html')).pathname),
        `the page links to the journeys index (links: ${journeys.join(', ')})`,
      );
      assert.deepEqual(await plain.settle(), [], 'the search page reported problems');
    } finally {
      await noJs.close();
    }
  });
});

/** Severity ranks; `none` is not ranked (a table may put it at either end). */
const SEVERITY = { low: 1, medium: 2, high: 3, critical: 4 };

/** `1` for a non-decreasing list, `-1` for a non-increasing one, else 0. */
function direction(ranks) {
  const up = ranks.every((r, i) => i === 0 || ranks[i - 1] <= r);
  const down = ranks.every((r, i) => i === 0 || ranks[i - 1] >= r);
  return up && !down ? 1 : down && !up ? -1 : 0;
}

/** Checks a severity ordering: ranked rows monotonic, unranked rows together at one end. */
function severityOrder(severities) {
  const ranked = severities.filter((s) => s in SEVERITY).map((s) => SEVERITY[s]);
  const firstNone = severities.findIndex((s) => !(s in SEVERITY));
  const nonesTogether =
    firstNone === -1 ||
    severities.slice(firstNone).every((s) => !(s in SEVERITY)) ||
    severities.slice(0, severities.length - ranked.length).every((s) => !(s in SEVERITY));
  return { dir: direction(ranked), nonesTogether };
}

describe('pains page', { skip: notYet('pains/index.html', 'the pains page') }, () => {
  let context;
  let tab;
  const url = () => server.url('pains/index.html');
  before(async () => {
    context = await newContext(browser);
    tab = await newTab(context);
  });
  after(() => context?.close());

  test('without JavaScript: every pain point, no live filters', TIMEOUT, async () => {
    const noJs = await newContext(browser, { javaScriptEnabled: false });
    try {
      const plain = await newTab(noJs);
      await plain.goto(url());
      const rows = await tableRows(plain.page, '#pains-table');
      assert.equal(rows.length, pains.length, 'one row per pain point of the site');
      assert.equal(visible(rows).length, pains.length, 'every row is shown');
      const form = plain.page.locator('form#pains-filters');
      assert.equal(await form.count(), 1, 'the filter form is on the page');
      const usable = await form.evaluate(
        (f) => f.getClientRects().length > 0 && [...f.elements].some((e) => !e.disabled && e.getClientRects().length > 0),
      );
      assert.ok(!usable, 'the filters are hidden or disabled without JavaScript');
      assert.deepEqual(await plain.settle(), []);
    } finally {
      await noJs.close();
    }
  });

  test('the contract: filters, sortable headers, rows, live count', TIMEOUT, async () => {
    await tab.goto(url());
    for (const name of ['journey', 'stage', 'severity']) {
      assert.equal(await tab.page.locator(`#pains-filters select[name="${name}"]`).count(), 1, `select ${name}`);
    }
    assert.equal(await tab.page.locator('#pains-filters input[type="search"][name="q"]').count(), 1, 'input q');
    assert.equal(await tab.page.locator('#pains-table.data-table').count(), 1, 'table.data-table');
    const headers = tab.page.locator('#pains-table th[scope="col"] > button[type="button"][data-sort]');
    assert.ok((await headers.count()) > 0, 'sortable column headers');
    assert.equal(await tab.page.locator('#pains-table button[data-sort="severity"]').count(), 1, 'a severity header');
    const rows = await tableRows(tab.page, '#pains-table');
    for (const r of rows) {
      assert.ok(r.data.journey && r.data.stage && r.data.severity, `row data: ${JSON.stringify(r.data)}`);
      assert.ok(r.data.severity === 'none' || r.data.severity in SEVERITY, `severity ${r.data.severity}`);
    }
    const count = tab.page.locator('p#pains-count[aria-live="polite"]');
    assert.equal(await count.count(), 1, 'the live count');
    assert.equal(
      await countText(tab.page, '#pains-count'),
      `${pains.length} of ${pains.length} pain points`,
      'the count before filtering',
    );
    assert.ok(await tab.page.locator('#pains-filters').isVisible(), 'the filters show with JavaScript');
    assert.deepEqual(await tab.settle(), []);
  });

  test('a filter narrows the table', TIMEOUT, async () => {
    await tab.goto(url());
    const opts = { form: '#pains-filters', table: '#pains-table', count: '#pains-count' };
    await assertFilterNarrows(tab.page, { ...opts, name: 'severity' });
    await assertFilterNarrows(tab.page, { ...opts, name: 'journey' });
    await assertFilterNarrows(tab.page, { ...opts, name: 'stage' });

    const all = await tableRows(tab.page, '#pains-table');
    const word = pains[0].text.match(/\b[A-Za-z]{5,}\b/)[0];
    await tab.page.fill('#pains-filters input[name="q"]', word);
    const rows = await poll(
      () => tableRows(tab.page, '#pains-table'),
      (rs) => visible(rs).length < all.length,
    );
    assert.ok(visible(rows).length > 0 && visible(rows).length < all.length, `typing “${word}” narrows the table`);
    const texts = await tab.page.$$eval('#pains-table tbody tr', (trs) =>
      trs.filter((r) => r.getClientRects().length > 0).map((r) => r.textContent),
    );
    for (const t of texts) assert.match(t, new RegExp(word, 'i'), `a row shown for “${word}”`);
    assert.deepEqual(await tab.settle(), []);
  });

  test('sorting by severity', TIMEOUT, async () => {
    await tab.goto(url());
    const sev = async () =>
      (await tableRows(tab.page, '#pains-table')).filter((r) => r.visible).map((r) => r.data.severity);
    const button = tab.page.locator('#pains-table button[data-sort="severity"]');
    await button.click();
    const first = await poll(sev, (s) => severityOrder(s).dir !== 0);
    const once = severityOrder(first);
    assert.notEqual(once.dir, 0, `after one click the rows are not ordered by severity: ${first.join(' ')}`);
    assert.ok(once.nonesTogether, `rows without a severity are scattered: ${first.join(' ')}`);
    await button.click();
    const second = await poll(sev, (s) => severityOrder(s).dir === -once.dir);
    const twice = severityOrder(second);
    assert.equal(twice.dir, -once.dir, `a second click does not reverse the order: ${second.join(' ')}`);
    assert.ok(twice.nonesTogether, `rows without a severity are scattered: ${second.join(' ')}`);
    const sort = await button.evaluate((b) => b.closest('th').getAttribute('aria-sort'));
    assert.ok(['ascending', 'descending'].includes(sort), `the sorted header says so (aria-sort=${sort})`);
    assert.deepEqual(await tab.settle(), []);
  });
});

describe('opportunities page', { skip: notYet('opportunities/index.html', 'the opportunities page') }, () => {
  let context;
  let tab;
  const url = () => server.url('opportunities/index.html');
  before(async () => {
    context = await newContext(browser);
    tab = await newTab(context);
  });
  after(() => context?.close());

  test('without JavaScript: every opportunity', TIMEOUT, async () => {
    const noJs = await newContext(browser, { javaScriptEnabled: false });
    try {
      const plain = await newTab(noJs);
      await plain.goto(url());
      const rows = await tableRows(plain.page, '#opportunities-table');
      assert.equal(rows.length, opportunities.length, 'one row per opportunity of the site');
      assert.equal(visible(rows).length, opportunities.length, 'every row is shown');
      assert.deepEqual(await plain.settle(), []);
    } finally {
      await noJs.close();
    }
  });

  test('filters narrow the table', TIMEOUT, async () => {
    await tab.goto(url());
    for (const name of ['journey', 'stage', 'owner', 'priority', 'status']) {
      assert.equal(await tab.page.locator(`#opportunities-filters select[name="${name}"]`).count(), 1, `select ${name}`);
    }
    assert.equal(await tab.page.locator('#opportunities-filters input[type="search"][name="q"]').count(), 1);
    assert.equal(await tab.page.locator('p#opportunities-count[aria-live="polite"]').count(), 1);
    const opts = { form: '#opportunities-filters', table: '#opportunities-table', count: '#opportunities-count' };
    await assertFilterNarrows(tab.page, { ...opts, name: 'priority' });
    await assertFilterNarrows(tab.page, { ...opts, name: 'status' });
    await assertFilterNarrows(tab.page, { ...opts, name: 'owner' });
    assert.deepEqual(await tab.settle(), []);
  });
});

describe('tag pages', { skip: notYet('tags/index.html', 'the tags index') }, () => {
  test('the tags index counts each tag; each tag page lists its journeys', TIMEOUT, async () => {
    const context = await newContext(browser);
    try {
      const tab = await newTab(context);
      await tab.goto(server.url('tags/index.html'));
      const tagged = new Map();
      for (const j of site.data.journeys) {
        for (const t of j.tags) tagged.set(t, [...(tagged.get(t) ?? []), j.id]);
      }
      const links = await tab.page.locator('main a').evaluateAll((as) =>
        as
          .map((a) => ({ text: a.closest('li')?.textContent ?? a.textContent, href: a.href }))
          .filter((l) => /\/tags\/[^/]+\/index\.html$/.test(new URL(l.href).pathname)),
      );
      assert.deepEqual(await tab.settle(), []);
      for (const [tag, ids] of tagged) {
        const link = links.find((l) => new RegExp(`(^|[^\\w-])${tag}([^\\w-]|$)`, 'i').test(l.text));
        assert.ok(link, `the tags index lists “${tag}”`);
        assert.match(link.text, new RegExp(`\\b${ids.length}\\b`), `the tags index counts ${ids.length} for “${tag}”`);
        await tab.goto(link.href);
        const listed = await tab.page.locator('main a').evaluateAll((as) =>
          as.map((a) => new URL(a.href).pathname.match(/\/journeys\/(.+)\/index\.html$/)?.[1]).filter(Boolean),
        );
        assert.deepEqual([...new Set(listed)].sort(), [...ids].sort(), `journeys on the page of “${tag}”`);
        assert.deepEqual(await tab.settle(), []);
      }
    } finally {
      await context.close();
    }
  });
});

describe('theme toggle', { skip: toggleSkip }, () => {
  const journeyPath = () => paths.journey(site.data.journeys.find((j) => j.stages.length > 0));
  const state = (page) =>
    page.evaluate(() => ({
      theme: document.documentElement.dataset.theme ?? null,
      pressed: document.getElementById('theme-toggle').getAttribute('aria-pressed'),
    }));

  test('switches data-theme, and the choice survives a reload', TIMEOUT, async () => {
    const context = await newContext(browser, { colorScheme: 'light' });
    try {
      const tab = await newTab(context);
      await tab.goto(server.url(journeyPath()));
      const toggle = tab.page.locator('#theme-toggle');
      assert.ok(await toggle.isVisible(), 'the toggle shows with JavaScript');
      assert.equal(await toggle.evaluate((b) => b.localName + b.type), 'buttonbutton');
      const initial = await state(tab.page);
      assert.ok(['true', 'false'].includes(initial.pressed), `aria-pressed=${initial.pressed}`);
      assert.ok((await backgroundLuminance(tab.page)) > 0.5, 'light by default in a light system');

      await toggle.click();
      const dark = await state(tab.page);
      assert.equal(dark.theme, 'dark');
      assert.notEqual(dark.pressed, initial.pressed, 'aria-pressed follows the theme');
      assert.ok((await backgroundLuminance(tab.page)) < 0.2, 'the page turns dark');
      assert.deepEqual(await axeViolations(tab.page), [], 'axe, dark by the toggle');

      await tab.reload();
      assert.deepEqual(await state(tab.page), dark, 'dark after a reload');
      assert.ok((await backgroundLuminance(tab.page)) < 0.2, 'still dark after a reload');
      await tab.goto(server.url('index.html'));
      assert.equal((await state(tab.page)).theme, 'dark', 'dark on the next page');

      await tab.page.locator('#theme-toggle').click();
      const light = await state(tab.page);
      assert.equal(light.theme, 'light');
      await tab.reload();
      assert.equal((await state(tab.page)).theme, 'light', 'light after a reload');
      assert.ok((await backgroundLuminance(tab.page)) > 0.5, 'the page is light again');
      assert.deepEqual(await tab.settle(), []);
    } finally {
      await context.close();
    }
  });

  test('without a stored choice the page follows the system; the toggle overrides it', TIMEOUT, async () => {
    const context = await newContext(browser, { colorScheme: 'dark' });
    try {
      const tab = await newTab(context);
      await tab.goto(server.url('index.html'));
      assert.ok((await backgroundLuminance(tab.page)) < 0.2, 'dark in a dark system');
      await tab.page.locator('#theme-toggle').click();
      assert.equal((await state(tab.page)).theme, 'light');
      assert.ok((await backgroundLuminance(tab.page)) > 0.5, 'light when chosen in a dark system');
      assert.deepEqual(await axeViolations(tab.page), [], 'axe, light by the toggle in a dark system');
      assert.deepEqual(await tab.settle(), []);
    } finally {
      await context.close();
    }
  });
});
