// A site in three languages (examples/mediterrani: Spanish at the root, Catalan under
// ca/, Italian under it/) in headless Chromium: every language's pages load cleanly in
// their language with no serious axe-core finding; the language switcher lands on the
// same journey, persona or view in the other language, or on that language's home when
// the page is not written in it; a journey written in one language only is listed in
// every language, marked with its language; search works in each language.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, TIMEOUT, axeViolations, buildSite, launch, newContext, newTab, serve } from './lib/site.mjs';

const site = buildSite(join(ROOT, 'examples', 'mediterrani'));
const data = (dir) => JSON.parse(readFileSync(join(site.out, dir, 'data', 'journeys.json'), 'utf8'));
const LANGS = [
  { lang: 'es', dir: '' },
  { lang: 'ca', dir: 'ca/' },
  { lang: 'it', dir: 'it/' },
];

let browser;
let server;
let context;
let tab;
before(async () => {
  browser = await launch();
  server = await serve(site.out, site.mount);
  context = await newContext(browser);
  tab = await newTab(context);
});
after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  site.cleanup();
});

/** Path of the current page relative to the site's mount. */
const here = () => new URL(tab.page.url()).pathname.slice(site.mount.length);

describe('each language', () => {
  for (const { lang, dir } of LANGS) {
    const own = data(dir).journeys.find((j) => j.lang === lang && j.stages.length > 0);
    const persona = data(dir).personas.find((p) => p.lang === lang);
    const pages = [
      'index.html',
      'journeys/index.html',
      `journeys/${own.id}/index.html`,
      `personas/${persona.id}/index.html`,
      'pains/index.html',
      'search/index.html',
    ];
    for (const page of pages) {
      test(`${dir}${page} is in ${lang}, loads cleanly, no serious axe finding`, TIMEOUT, async () => {
        await tab.goto(server.url(dir + page));
        assert.deepEqual(await tab.settle(), []);
        assert.equal(await tab.page.getAttribute('html', 'lang'), lang);
        assert.deepEqual(await axeViolations(tab.page), []);
      });
    }
  }
});

describe('the language switcher', () => {
  const switchTo = async (lang) => {
    await tab.page.locator(`.language-switcher a[hreflang="${lang}"]`).click();
    await tab.page.waitForLoadState('load');
    assert.equal(await tab.page.getAttribute('html', 'lang'), lang);
  };

  test('goes to the same journey in each language', TIMEOUT, async () => {
    const journey = 'journeys/restaurante/reserva-y-cena/index.html';
    await tab.goto(server.url(journey));
    await switchTo('ca');
    assert.equal(here(), `ca/${journey}`);
    await switchTo('it');
    assert.equal(here(), `it/${journey}`);
    await switchTo('es');
    assert.equal(here(), journey);
    assert.deepEqual(await tab.settle(), []);
  });

  test('goes to the same view in each language', TIMEOUT, async () => {
    await tab.goto(server.url('it/pains/index.html'));
    await switchTo('ca');
    assert.equal(here(), 'ca/pains/index.html');
  });

  test("goes to the other language's home when the page is not written in it", TIMEOUT, async () => {
    const only = data('').journeys.find((j) => j.translations.length === 1 && j.lang !== 'es');
    assert.ok(only, 'the example has a journey in one language other than Spanish');
    await tab.goto(server.url(`${only.lang}/journeys/${only.id}/index.html`));
    const link = tab.page.locator('.language-switcher a[hreflang="es"]');
    assert.ok(await link.getAttribute('title'), 'the link says the page is not written in Spanish');
    await switchTo('es');
    assert.equal(here(), 'index.html');
  });
});

describe('a journey written in one language', () => {
  test('is listed in every language, marked with its language, and opens in it', TIMEOUT, async () => {
    const only = data('').journeys.find((j) => j.translations.length === 1 && j.lang !== 'es');
    for (const { lang, dir } of LANGS) {
      await tab.goto(server.url(`${dir}journeys/index.html`));
      const card = tab.page.locator('.card', { hasText: only.title });
      assert.equal(await card.count(), 1, `${lang} lists “${only.title}”`);
      const badge = card.locator('.badge.lang');
      if (lang === only.lang) {
        assert.equal(await badge.count(), 0);
      } else {
        assert.equal((await badge.textContent()).trim(), only.lang);
      }
      await card.locator('a').first().click();
      await tab.page.waitForLoadState('load');
      assert.equal(here(), `${only.lang}/journeys/${only.id}/index.html`);
      assert.equal(await tab.page.getAttribute('html', 'lang'), only.lang);
      assert.deepEqual(await tab.settle(), []);
    }
  });
});

describe('search', () => {
  // A query word that is one of the language's stop words does not have to match.
  // Words of a query match as prefixes, so the step must hold no word starting with it.
  const STOP = { es: 'para', ca: 'amb', it: 'con' };
  for (const { lang, dir } of LANGS) {
    test(`leaves out ${lang} stop words from a query`, TIMEOUT, async () => {
      const stop = STOP[lang];
      const wordsOf = (text) => (text ?? '').toLowerCase().split(/[^\p{L}]+/u);
      const target = data(dir)
        .journeys.filter((j) => j.lang === lang)
        .flatMap((j) => j.stages.flatMap((s) => s.steps.map((step) => ({ j, s, step }))))
        .map((t) => ({ ...t, word: t.step.action.split(/[^\p{L}]+/u).find((w) => w.length >= 7) }))
        .find(
          ({ j, s, step, word }) =>
            word && !wordsOf(JSON.stringify([step, j.title, s.name])).some((w) => w.startsWith(stop)),
        );
      assert.ok(target, `a ${lang} step without “${stop}”`);
      await tab.goto(server.url(`${dir}search/index.html?q=${encodeURIComponent(`${target.word} ${stop}`)}`));
      // The step's own result: its document holds no word the stop word could match.
      const hit = tab.page.locator('#search-results a', { hasText: target.step.action });
      await hit.first().waitFor();
      assert.ok((await hit.count()) > 0);
    });

    test(`finds a ${lang} step by a word of its action`, TIMEOUT, async () => {
      const steps = data(dir).journeys
        .filter((j) => j.lang === lang)
        .flatMap((j) => j.stages.flatMap((s) => s.steps));
      const word = steps
        .flatMap((s) => s.action.split(/[^\p{L}]+/u))
        .find((w) => w.length >= 7);
      assert.ok(word, `a ${lang} step has a long word`);
      await tab.goto(server.url(`${dir}search/index.html?q=${encodeURIComponent(word)}`));
      const results = tab.page.locator('#search-results a');
      await results.first().waitFor();
      assert.ok((await results.count()) > 0, `“${word}” finds something`);
      assert.deepEqual(await tab.settle(), []);
    });
  }
});
