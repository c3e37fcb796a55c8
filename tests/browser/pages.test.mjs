// Every page kind of every example site, and of the largest example in each other
// built-in theme, in headless Chromium: loads with no console error and no failed
// request, axe-core finds no serious or critical WCAG 2.1 A/AA violation (light and
// dark), the diagrams are drawn, the skip link comes first on the keyboard, and a phone
// viewport neither scrolls sideways nor loses the navigation.
//
// Run: node --test tests/browser/   (see ARCHITECTURE.md, "Tests")

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  TIMEOUT,
  axeViolations,
  backgroundLuminance,
  buildSite,
  exampleSites,
  launch,
  newContext,
  newTab,
  otherBuiltinThemes,
  paths,
  serve,
} from './lib/site.mjs';

// Every example as it is, and the largest example (most steps) in each other built-in
// theme.
const examples = exampleSites().map((site) => ({ ...site, label: `examples/${site.name}`, ...buildSite(site.dir) }));
const stepCount = (site) => site.data.journeys.flatMap((j) => j.stages.flatMap((s) => s.steps)).length;
const largest = examples.reduce((a, b) => (stepCount(b) > stepCount(a) ? b : a));
const sites = [
  ...examples,
  ...otherBuiltinThemes().map((theme) => ({
    ...largest,
    label: `examples/${largest.name}, theme ${theme}`,
    ...buildSite(largest.dir, { theme }),
  })),
];

/** The page kinds of a built site, one instance each; `missing` says why one is absent. */
function pageKinds({ out, data }) {
  const has = (p) => existsSync(join(out, p));
  // Pages at the root are in the site's language; a journey written in another language
  // only is listed there but has its page under that language's folder.
  const local = (item) => (item.lang ?? data.language) === data.language;
  const withStages = data.journeys.filter((j) => j.stages.length > 0 && local(j));
  const journey = withStages.find((j) => !j.baseline) ?? withStages[0];
  const future = withStages.find((j) => j.baseline);
  const firstTag = has('tags')
    ? readdirSync(join(out, 'tags'), { withFileTypes: true })
        .filter((e) => e.isDirectory() && has(`tags/${e.name}/index.html`))
        .map((e) => e.name)
        .sort()[0]
    : undefined;
  const optional = (kind, path, what) => ({
    kind,
    path,
    missing: has(path) ? undefined : `${what} is not built yet (no ${path} in the output)`,
  });
  return [
    { kind: 'home', path: 'index.html' },
    { kind: 'journeys index', path: 'journeys/index.html' },
    journey && { kind: 'journey', path: paths.journey(journey), journey },
    future && { kind: 'future-state journey', path: paths.journey(future), journey: future },
    { kind: 'personas index', path: 'personas/index.html' },
    data.personas.find(local) && { kind: 'persona', path: paths.persona(data.personas.find(local)) },
    data.pages.find(local) && { kind: 'free page', path: paths.page(data.pages.find(local)) },
    { kind: 'channels', path: 'channels/index.html' },
    { kind: '404', path: 'journeys/no-such-journey/deeper/index.html', status: 404 },
    optional('pains', 'pains/index.html', 'the pains page'),
    optional('opportunities', 'opportunities/index.html', 'the opportunities page'),
    optional('tags', 'tags/index.html', 'the tags index'),
    firstTag
      ? { kind: 'tag', path: `tags/${firstTag}/index.html` }
      : { kind: 'tag', path: 'tags/…/index.html', missing: 'no tag page is built yet' },
    optional('search', 'search/index.html', 'the search page'),
    optional('what changed', 'changes/index.html', 'the What changed page (a site kept in git)'),
  ].filter(Boolean);
}

/** Text of an SVG as a reader sees it: every line (leaf text element) joined by spaces. */
function svgText(svg) {
  return svg.evaluate((s) =>
    [...s.querySelectorAll('text, tspan')]
      .filter((t) => !t.querySelector('tspan'))
      .map((t) => t.textContent)
      .join(' ')
      .replace(/\s+/g, ' '),
  );
}

const squash = (s) => s.replace(/\s+/g, ' ').trim();

async function assertVisibleBox(locator, what) {
  assert.equal(await locator.count(), 1, `${what}: expected exactly one`);
  assert.ok(await locator.isVisible(), `${what} is not visible`);
  const box = await locator.boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, `${what} has an empty box: ${JSON.stringify(box)}`);
}

/** Checks that hold on every page in every mode. */
async function assertClean(tab, kind) {
  const problems = await tab.settle();
  assert.deepEqual(problems, [], `${kind.kind}: the page reported problems`);
}

/** Scripts are local files; at most one inline script, in <head>; no inline handlers. */
async function assertScriptContract(page) {
  const report = await page.evaluate(() => {
    const inline = [...document.scripts].filter((s) => !s.src);
    const handlers = [...document.querySelectorAll('*')].flatMap((el) =>
      [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `<${el.localName} ${a.name}>`),
    );
    const external = [...document.scripts]
      .filter((s) => s.src)
      .map((s) => s.getAttribute('src'))
      .filter((src) => /^[a-z][a-z0-9+.-]*:|^\/\//i.test(src));
    return {
      inlineOutsideHead: inline.filter((s) => !document.head.contains(s)).length,
      inline: inline.length,
      handlers,
      external,
    };
  });
  assert.ok(report.inline <= 1, `${report.inline} inline scripts (at most the theme snippet)`);
  assert.equal(report.inlineOutsideHead, 0, 'an inline script outside <head>');
  assert.deepEqual(report.handlers, [], 'inline event handlers');
  assert.deepEqual(report.external, [], 'scripts must be loaded by relative URLs');
}

/** What has the focus, and whether it is a skip link shown on screen (runs in the page). */
function focusState() {
  const el = document.activeElement;
  const r = el.getBoundingClientRect();
  return {
    skip: el.matches('a.skip-link'),
    href: el.getAttribute('href'),
    html: el.outerHTML.slice(0, 120),
    inView: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight,
  };
}

/** The first Tab focuses a visible skip link; Enter on it goes to its target. */
async function assertSkipLinkFirst(page) {
  await page.keyboard.press('Tab');
  // A theme may slide the link in; give it a moment to arrive.
  await page
    .waitForFunction(`(${focusState})().inView || !(${focusState})().skip`, null, { timeout: 1000 })
    .catch(() => {});
  const focused = await page.evaluate(focusState);
  assert.ok(focused.skip, `the first Tab focused ${focused.html}`);
  assert.ok(focused.inView, 'the focused skip link is not shown on screen');
  await page.keyboard.press('Enter');
  const target = await page.evaluate(() => ({
    hash: location.hash,
    exists: !!document.getElementById(location.hash.slice(1)),
  }));
  assert.equal(target.hash, focused.href, 'Enter on the skip link');
  assert.ok(target.exists, `the skip link target ${target.hash} exists`);
}

async function assertKindSpecific(page, kind) {
  if (kind.journey) {
    const svg = page.locator('.map-section svg.cx-map');
    await assertVisibleBox(svg, 'the journey map');
    const text = await svgText(svg);
    for (const stage of kind.journey.stages) {
      assert.ok(text.includes(squash(stage.name)), `the map lacks the stage name “${stage.name}”`);
      for (const step of stage.steps) {
        assert.ok(text.includes(squash(step.action)), `the map lacks the step “${step.action}”`);
      }
    }
    const title = await svg.locator(':scope > title').textContent();
    assert.equal(squash(title ?? ''), squash(kind.journey.title), 'the map’s <title>');
  }
  if (kind.kind === 'persona') {
    await assertVisibleBox(page.locator('.empathy-diagram svg.cx-empathy'), 'the empathy map');
  }
  if (kind.kind === 'channels') {
    await assertVisibleBox(page.locator('svg.cx-heatmap'), 'the channel heat map');
  }
}

let browser;
const contexts = {};
before(async () => {
  browser = await launch();
  contexts.light = await newContext(browser, { colorScheme: 'light' });
  contexts.dark = await newContext(browser, { colorScheme: 'dark' });
  contexts.phone = await newContext(browser, {
    colorScheme: 'light',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
});
after(async () => {
  await browser?.close();
  for (const site of sites) site.cleanup();
});

for (const site of sites) {
  describe(site.label, () => {
    let server;
    const tabs = {};
    before(async () => {
      server = await serve(site.out, site.mount);
      for (const [name, context] of Object.entries(contexts)) tabs[name] = await newTab(context);
    });
    after(async () => {
      for (const tab of Object.values(tabs)) await tab.page.close();
      await server?.close();
    });

    const hasSearch = existsSync(join(site.out, 'search/index.html'));

    for (const kind of pageKinds(site)) {
      describe(`${kind.kind} (${kind.path})`, { skip: kind.missing ?? false }, () => {
        const load = (tab) => tab.goto(server.url(kind.path), { status: kind.status ?? 200 });

        test('loads cleanly, skip link first on Tab, draws its diagram, passes axe', TIMEOUT, async () => {
          const tab = tabs.light;
          await load(tab);
          await assertSkipLinkFirst(tab.page);
          await assertKindSpecific(tab.page, kind);
          await assertScriptContract(tab.page);
          if (hasSearch) {
            const form = tab.page.locator('header form.site-search[role="search"]');
            assert.equal(await form.count(), 1, 'the header search form');
            const action = await form.evaluate((f) => new URL(f.action).pathname);
            assert.equal(action, new URL(server.url('search/index.html')).pathname, 'search form action');
            const input = form.locator('input#site-search-input[type="search"][name="q"]');
            assert.equal(await input.count(), 1, 'the header search input');
          }
          assert.deepEqual(await axeViolations(tab.page), [], 'axe (light)');
          await assertClean(tab, kind);
        });

        test('dark mode: dark background, passes axe', TIMEOUT, async () => {
          const tab = tabs.dark;
          await load(tab);
          const luminance = await backgroundLuminance(tab.page);
          assert.ok(luminance < 0.2, `body background luminance ${luminance.toFixed(3)} is not dark`);
          await assertKindSpecific(tab.page, kind);
          assert.deepEqual(await axeViolations(tab.page), [], 'axe (dark)');
          await assertClean(tab, kind);
        });

        test('phone: no sideways scrolling, navigation reachable', TIMEOUT, async () => {
          const tab = tabs.phone;
          await load(tab);
          const overflow = await tab.page.evaluate(() => {
            const width = document.documentElement.clientWidth;
            const scrollWidth = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
            const scrolls = (el) => {
              for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(a).overflowX)) return true;
              }
              return false;
            };
            const culprits =
              scrollWidth > width
                ? [...document.body.querySelectorAll('*')]
                    .filter((el) => el.getBoundingClientRect().right > width + 1 && !scrolls(el))
                    .slice(0, 8)
                    .map((el) => `${el.localName}${el.className ? `.${String(el.className.baseVal ?? el.className).trim().replace(/\s+/g, '.')}` : ''} (right ${Math.round(el.getBoundingClientRect().right)})`)
                : [];
            return { width, scrollWidth, culprits };
          });
          assert.ok(
            overflow.scrollWidth <= overflow.width,
            `the page is ${overflow.scrollWidth}px wide in a ${overflow.width}px viewport; too wide: ${overflow.culprits.join(', ')}`,
          );
          const links = tab.page.locator('header nav a');
          const count = await links.count();
          assert.ok(count > 0, 'the header has navigation links');
          if (!(await links.first().isVisible())) {
            // A collapsed menu is fine as long as its button opens it.
            const toggle = tab.page.locator('header button[aria-expanded]');
            assert.equal(await toggle.count(), 1, 'the navigation is hidden and there is no menu button');
            await toggle.click();
          }
          for (let i = 0; i < count; i++) {
            const link = links.nth(i);
            await link.scrollIntoViewIfNeeded();
            const box = await link.boundingBox();
            const name = await link.textContent();
            assert.ok(box && box.width > 0 && box.height > 0, `nav link “${name}” has no box`);
            assert.ok(box.x >= -1 && box.x + box.width <= overflow.width + 1, `nav link “${name}” is off screen`);
          }
          await assertKindSpecific(tab.page, kind);
          await assertClean(tab, kind);
        });
      });
    }
  });
}
