// The observer's page in a real browser: Debian's chromium, headless, driven by puppeteer-core.
// The example's tree renders with the right nodes and a crash shows as a restart (a screenshot
// is saved for people); hostile ids stay text; 12,000 nodes stay usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromiumPath, launchBrowser, screenshotDir, start, fixture, get, flatten, TIMEOUT } from './lib.mjs';

if (!chromiumPath()) {
  console.log('SKIP: chromium is not installed (Debian package chromium; scripts/deps.sh installs it)');
  process.exit(77);
}

const { browser, close } = await launchBrowser();

async function open(url) {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.setViewport({ width: 1400, height: 900 });
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('body[data-loaded="true"]');
  return { page, dialogs, errors };
}

/// The paths of the rows the page shows now.
const rowPaths = (page) => page.$$eval('#rows .row:not([hidden])', (rows) => rows.map((r) => r.dataset.path));

test('the example: its tree renders, a crash shows as a restart', async (t) => {
  const program = process.env.PHOENIX_APP;
  if (!program) { t.skip('examples/phoenix_app is not built here (SUPC_BUILD_EXAMPLES=OFF)'); return; }
  const app = await start(program, ['--serve', '127.0.0.1:0', '--fault-interval', '0'],
    /observing MyApp at (\S+)/, { POOL_SIZE: '3' });
  try {
    const { page, errors } = await open(app.url);
    const tree = (await get(app.url, '/api/tree')).json();
    const expected = flatten(tree.root).map((n) => n.path);
    assert.ok(expected.includes('services/cache'));
    assert.ok(expected.includes('pool/worker_3'));
    await page.waitForFunction((n) => document.querySelectorAll('#rows .row:not([hidden])').length === n, {}, expected.length);
    assert.deepEqual(await rowPaths(page), expected);
    const status = await page.$eval('#root-state', (e) => e.textContent);
    assert.equal(status, 'tree running');

    // A crash, injected from outside: the row flashes and its count moves, without a reload.
    const before = await page.$eval('.row[data-path="services/cache"] .count', (e) => e.textContent);
    app.proc.kill('SIGUSR1');
    await page.waitForSelector('.row[data-path="services/cache"].flash-restart, .row[data-path="services/cache"].flash-crash');
    await page.waitForFunction((b) => document.querySelector('.row[data-path="services/cache"] .count').textContent !== b, {}, before);
    await page.waitForFunction(() => document.querySelector('.row[data-path="services/mailer"] .count').textContent === '1');
    assert.match(await page.$eval('#log', (e) => e.textContent), /child_restarted\s*services\/cache/);

    // Click a node: its settings, as the spec resolved them, and its recent events.
    await page.click('.row[data-path="services/cache"] .id');
    await page.waitForFunction(() => document.querySelector('#details h2')?.textContent === 'services/cache');
    await page.waitForFunction(() => document.querySelectorAll('#node-events li').length > 1);
    const details = await page.$eval('#details', (e) => e.textContent);
    assert.match(details, /shutdown10000 ms/);
    assert.match(details, /my_app::Cache/);
    assert.match(details, /child_exited/);
    await page.screenshot({ path: join(screenshotDir(), 'observe.png') });
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    const end = await app.stop('SIGTERM');
    assert.equal(end.code, 0, `phoenix_app --serve exited ${end.code}: ${end.stderr}`);
  }
});

test('hostile ids are shown as text, never run', async () => {
  const app = await fixture(['--tree', 'hostile']);
  try {
    const { page, dialogs, errors } = await open(app.url);
    const tree = (await get(app.url, '/api/tree')).json();
    const ids = flatten(tree.root).slice(1).map((n) => n.id);
    assert.ok(ids.some((id) => id.includes('<img')));
    await page.waitForFunction((n) => document.querySelectorAll('#rows .row:not([hidden])').length === n, {}, ids.length + 1);
    const shown = await page.$$eval('#rows .row:not([hidden]) .id', (es) => es.map((e) => e.textContent));
    for (const id of ids) assert.ok(shown.includes(id), `the id ${JSON.stringify(id)} is shown as it is`);
    await page.click('.row:nth-child(3) .id');
    await page.waitForSelector('#details h2');
    // Its name, as hostile as its id, is shown as the spec would write it, as text.
    const details = await page.$eval('#details', (e) => e.textContent);
    assert.ok(details.includes(`name${JSON.stringify(`name:${ids[1]}`)}`), details);
    for (const row of await page.$$('#rows .row:not([hidden]) .id')) await row.hover();
    const injected = await page.evaluate(() => ({
      pwned: window.__pwned,
      elements: document.querySelectorAll('#rows img, #rows script, #rows svg, #rows b, #details img, #details script, #details svg, #details b').length,
    }));
    assert.equal(injected.pwned, undefined);
    assert.equal(injected.elements, 0);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    const end = await app.stop();
    assert.equal(end.code, 0, end.stderr);
  }
});

test('12,000 nodes: big groups start collapsed, search finds a child, scrolling renders what shows', async () => {
  const app = await fixture(['--tree', 'big']);
  try {
    const { page, errors } = await open(app.url);
    const summary = await page.$eval('.row[data-path="connections"] .summary', (e) => e.textContent);
    assert.match(summary, /10,000 children/);
    assert.ok((await page.$$('#rows .row')).length < 200, 'only the rows in view are in the page');

    await page.type('#search', 'worker_1999');
    await page.waitForFunction(() => document.getElementById('search-count').textContent === '1 match');
    assert.ok((await rowPaths(page)).includes('pool/worker_1999'));

    await page.$eval('#search', (e) => { e.value = ''; e.dispatchEvent(new Event('input')); });
    await page.waitForFunction(() => document.getElementById('search-count').textContent === '');
    await page.click('.row[data-path="connections"] .toggle');
    await page.waitForFunction(() => document.querySelector('.row[data-path="connections"]')?.getAttribute('aria-expanded') === 'true');
    await page.$eval('#viewport', (v) => { v.scrollTop = v.scrollHeight; });
    await page.waitForSelector('.row[data-path="connections/10000"]');
    assert.ok((await page.$$('#rows .row')).length < 200);

    // A crash far down the list still shows (the row flashes, the log tells).
    app.send('crash connections/10000');
    await page.waitForFunction(() => /child_exited\s*connections\/10000/.test(document.getElementById('log').textContent));
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    const end = await app.stop();
    assert.equal(end.code, 0, end.stderr);
  }
});

test.after(() => close());
