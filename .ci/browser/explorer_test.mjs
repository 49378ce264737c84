// Drive JupyterLab in headless Chromium: open the test notebook, run all cells, wait for the explorer widget,
// move its seed slider with the keyboard and check that the generated image changes and no output is an error.
// Settings come from the environment (set by ../browser_test.sh): JLAB_URL, JLAB_TOKEN, NOTEBOOK, OUT_DIR,
// USER_DATA_DIR, CHROMIUM. Exit 0 on success; on failure exit 1 after writing the reason to OUT_DIR/failure.txt.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const env = (k, d) => { const v = process.env[k] ?? d; if (v === undefined) throw new Error(`${k} is not set`); return v; };
const base = env('JLAB_URL'), token = env('JLAB_TOKEN'), notebook = env('NOTEBOOK'), out = env('OUT_DIR');
const userDataDir = env('USER_DATA_DIR'), executablePath = env('CHROMIUM', '/usr/bin/chromium');
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s]`, ...a);
fs.mkdirSync(out, { recursive: true });

class Failure extends Error {}
const fail = (msg) => { throw new Failure(msg); };

// Pixels of the explorer's generated-image element, read back through a canvas (the src is a blob: URL that
// changes on every redraw, so compare what is drawn, not the URL).
async function imagePixels(page) {
  return page.evaluate(() => {
    const img = document.querySelector('img.alphagan-explorer-image');
    if (!img || !img.complete || !img.naturalWidth) return null;
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261 >>> 0, sum = 0;
    for (let i = 0; i < d.length; i++) { h = Math.imul(h ^ d[i], 16777619) >>> 0; sum += d[i]; }
    return { width: c.width, height: c.height, hash: h, mean: sum / d.length };
  });
}

async function outputProblems(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const el of document.querySelectorAll('.jp-OutputArea-output')) {
      const text = el.innerText || '';
      const mime = el.getAttribute('data-mime-type') || '';
      if (/Traceback|Error displaying widget|Error: /.test(text) || (mime.includes('stderr') && /Error|Exception/.test(text)))
        bad.push(text.slice(0, 300));
    }
    for (const el of document.querySelectorAll('.alphagan-explorer-message .alphagan-error')) bad.push('explorer: ' + el.innerText.slice(0, 300));
    return bad;
  });
}

let context, page;
let code = 0;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath, headless: true, viewport: { width: 1500, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] ?? await context.newPage();
  const pageErrors = [];
  page.on('pageerror', e => pageErrors.push(String(e)));

  log(`opening ${notebook} in JupyterLab`);
  await page.goto(`${base}/lab/tree/${encodeURIComponent(notebook)}?token=${token}`, { waitUntil: 'domcontentloaded', timeout: 60000 });
  await page.waitForSelector('.jp-NotebookPanel .jp-Notebook', { timeout: 90000 }).catch(() => fail('JupyterLab did not show the notebook within 90 s'));
  // a kernel named in the toolbar and idle (a kernel-choice dialog, should one come up, is answered with the default)
  const deadline = Date.now() + 90000;
  for (;;) {
    const dialog = page.locator('.jp-Dialog .jp-mod-accept');
    if (await dialog.isVisible().catch(() => false)) { log('accepting the kernel dialog'); await dialog.click(); }
    const ready = await page.evaluate(() => {
      const name = document.querySelector('.jp-NotebookPanel .jp-KernelName');
      const ind = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
      return !!(name && /python/i.test(name.innerText) && ind && ind.getAttribute('data-status') === 'idle'
                && !document.querySelector('.jp-Dialog'));
    });
    if (ready) break;
    if (Date.now() > deadline) fail('the notebook kernel did not start and become idle within 90 s');
    await page.waitForTimeout(250);
  }
  log('kernel idle; Run → Run All Cells');
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();

  // wait for the panel's first picture; stop early when an output or the panel reports an error
  for (const until = Date.now() + 120000; ;) {
    const shown = await page.evaluate(() => {
      const img = document.querySelector('img.alphagan-explorer-image');
      const st = document.querySelector('.alphagan-explorer-status');
      return !!(img && img.complete && img.naturalWidth > 0 && st && /updated in/.test(st.innerText));
    });
    if (shown) break;
    const problems = await outputProblems(page);
    if (problems.length) fail(`the notebook shows an error instead of the explorer: ${problems.join(' | ')}`);
    if (Date.now() > until) fail('the explorer widget did not appear within 120 s');
    await page.waitForTimeout(250);
  }
  await page.waitForSelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status="idle"]', { timeout: 60000 })
    .catch(() => fail('the cells did not finish within 60 s of the widget appearing'));
  const widget = page.locator('.alphagan-explorer');
  await widget.scrollIntoViewIfNeeded();
  const before = await imagePixels(page);
  const statusBefore = (await page.locator('.alphagan-explorer-status').innerText()).trim();
  log(`widget shown: image ${before.width}x${before.height}, ${statusBefore}`);
  await page.screenshot({ path: path.join(out, 'explorer_1_page.png') });
  await widget.screenshot({ path: path.join(out, 'explorer_1.png') });

  // Focus the seed slider's handle and press the right arrow three times: seed 0 → 3.
  const handle = page.locator('.alphagan-explorer-seed .noUi-handle');
  await handle.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction((h) => {
    const img = document.querySelector('img.alphagan-explorer-image');
    const st = document.querySelector('.alphagan-explorer-status');
    return st && /seed 3,/.test(st.innerText) && img && img.complete && img.naturalWidth > 0;
  }, null, { timeout: 30000, polling: 200 }).catch(async () => {
    const st = await page.locator('.alphagan-explorer-status').innerText().catch(() => '?');
    fail(`the seed slider did not move to 3 or the panel did not update within 30 s (status: ${st.trim()})`);
  });
  // the status is set after the image: give the browser a moment to decode the last PNG, then compare pixels
  let after = null;
  for (let i = 0; i < 40; i++) {
    after = await imagePixels(page);
    if (after && after.hash !== before.hash) break;
    await page.waitForTimeout(250);
  }
  const statusAfter = (await page.locator('.alphagan-explorer-status').innerText()).trim();
  log(`after three ArrowRight presses: ${statusAfter}`);
  await page.screenshot({ path: path.join(out, 'explorer_2_page.png') });
  await widget.screenshot({ path: path.join(out, 'explorer_2.png') });
  if (!after || after.hash === before.hash) fail('the generated image did not change when the seed slider moved');
  log(`image changed: mean gray ${before.mean.toFixed(1)} → ${after.mean.toFixed(1)}`);

  const problems = await outputProblems(page);
  if (problems.length) fail(`cell outputs show errors: ${problems.join(' | ')}`);
  const unrun = await page.evaluate(() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .filter(p => !/\[\d+\]/.test(p.innerText)).length);
  if (unrun) fail(`${unrun} code cell(s) did not run`);
  if (pageErrors.length) log(`page errors (not fatal): ${pageErrors.join(' | ')}`);
  log(`screenshots in ${out}`);
} catch (e) {
  code = 1;
  const msg = (e instanceof Failure ? e.message : `${e.name}: ${e.message.split('\n')[0]}`).replace(/\s+/g, ' ').slice(0, 400);
  fs.writeFileSync(path.join(out, 'failure.txt'), msg + '\n');
  console.log(`error: ${msg}`);
  if (page) await page.screenshot({ path: path.join(out, 'failure.png') }).catch(() => {});
} finally {
  if (context) await context.close().catch(() => {});
}
process.exit(code);
