// Opens the pool dashboard in a headless Chromium and prints, as one JSON line, what the page shows.
//   node dashboard.mjs <url> [running] [screenshot.png]
// With "running", waits until a worker row shows a running task; otherwise until the page has been filled once.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, mode, screenshot] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'pdsl-chromium-'));
// A fresh profile each run (Playwright passes it to Chromium as --user-data-dir).
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-updated]', { timeout: 30000 });
  if (mode === 'running') {
    await page.waitForSelector('tr.running', { timeout: 30000 });
  }
  const shown = await page.evaluate(() => {
    const text = id => document.getElementById(id).textContent;
    return {
      status: text('status'),
      pool: text('pool'),
      done: Number(text('stat-done')),
      failed: Number(text('stat-failed')),
      retried: Number(text('stat-retried')),
      lost: Number(text('stat-lost')),
      chartPoints: document.getElementById('chart-line').getAttribute('points').trim().split(' ').filter(p => p).length,
      // Each cell's text by its class name, then the row's own slot number and whether it is marked replaced.
      workers: [...document.querySelectorAll('#workers tr')].map(row => ({
        ...Object.fromEntries([...row.children].map(cell => [cell.className, cell.textContent])),
        slot: Number(row.dataset.slot),
        isReplaced: row.classList.contains('replaced'),
      })),
      failures: [...document.querySelectorAll('#failures details')].map(item => ({
        summary: item.querySelector('summary').textContent,
        stackTrace: item.querySelector('pre').textContent,
      })),
    };
  });
  if (screenshot) {
    await page.screenshot({ path: screenshot, fullPage: true });
  }
  console.log(JSON.stringify(shown));
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
