// Hostile content (tests/fixtures/hostile) in headless Chromium: scripts, event
// handlers, `javascript:` and `data:` links, SVG and XML breakouts, template syntax,
// right-to-left and zero-width text, 2,000-character words, emoji, a BOM and CRLF line
// ends. On every page of the built site nothing executes (no dialog, no script but the
// theme's), nothing comes from another host, and nothing breaks the layout (the page
// never scrolls sideways; only the diagrams' own scroll boxes do).
//
// Run: node --test tests/browser/hostile.test.mjs

import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, TIMEOUT, buildSite, launch, newContext, newTab, serve } from './lib/site.mjs';

const site = buildSite(join(ROOT, 'tests', 'fixtures', 'hostile'));

/** Every HTML page of the output, relative to it. */
function pages(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.html') && name !== '404.html') out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
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

for (const viewport of [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
]) {
  describe(`hostile content, ${viewport.name}`, () => {
    let context;
    let tab;
    const dialogs = [];
    before(async () => {
      context = await newContext(browser, { viewport });
      tab = await newTab(context);
      tab.page.on('dialog', async (d) => {
        dialogs.push(`${d.type()}: ${d.message()}`);
        await d.dismiss();
      });
    });
    after(() => context?.close());

    for (const page of pages(site.out)) {
      test(`${page}: nothing runs, nothing breaks out`, TIMEOUT, async () => {
        dialogs.length = 0;
        await tab.goto(server.url(page));
        // Give injected handlers every chance: hover and focus everything, open details.
        await tab.page.evaluate(() => {
          for (const el of document.querySelectorAll('*')) {
            for (const type of ['mouseover', 'focus', 'toggle', 'load', 'error']) {
              el.dispatchEvent(new Event(type));
            }
          }
        });
        assert.deepEqual(await tab.settle(), []);
        assert.deepEqual(dialogs, [], 'a dialog opened: content ran as script');
        const scripts = await tab.page.$$eval('script', (s) =>
          s.map((x) => x.getAttribute('src') ?? x.textContent.slice(0, 60)),
        );
        for (const s of scripts) {
          assert.ok(
            // The theme's scripts, the theme toggle, and the search index the search page loads.
            /assets\/js\/[a-z.]+\.js$/.test(s) || /(^|\/)search\/index\.js$/.test(s) || s.includes('cx-theme'),
            `a script that is not the theme's: ${s}`,
          );
        }
        const handlers = await tab.page.$$eval('*', (els) =>
          els.flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName} ${a.name}`)),
        );
        assert.deepEqual(handlers, [], 'event handler attributes');
        const links = await tab.page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
        for (const href of links) {
          assert.ok(!/^\s*(javascript|data|vbscript):/i.test(href), `a ${href.slice(0, 30)} link`);
        }
        const overflow = await tab.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
      });
    }
  });
}
