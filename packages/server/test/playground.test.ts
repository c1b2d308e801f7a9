import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { RawClient, TEST_KEY, connectUrl, startTestGateway } from './helpers.js';

/** Debian's chromium; CI installs it (.ci/run). */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const OUTPUT_DIR = fileURLToPath(new URL('../../../../test-output/', import.meta.url));

/** The seqs of the feed's lines, newest first. */
function feedSeqs(page: Page): Promise<number[]> {
  return page.$$eval('#feed li', (lines) => lines.map((li) => Number((li as HTMLElement).dataset.seq)));
}

/** A headless chromium on a fresh profile; `pageErrors` collects what the page logs as errors. */
async function openBrowser(url: string) {
  if (!existsSync(CHROMIUM)) {
    assert.fail(`chromium is not installed at ${CHROMIUM}: run "apt-get install chromium" (.ci/run does)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'tiktool-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const pageErrors: string[] = [];
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  await page.goto(url);
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { page, pageErrors, close };
}

describe('the playground', () => {
  it('is the page at GET / while a WebSocket upgrade on / still streams events', async () => {
    const gateway = await startTestGateway();
    try {
      const res = await fetch(`${gateway.url}/`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/html/);
      assert.match(res.headers.get('content-security-policy')!, /default-src 'none'/);
      assert.ok((await res.text()).includes(TEST_KEY), 'emulator mode offers the bootstrap key');
      for (const asset of ['playground/app/main.js', 'playground/lib/live/index.js', 'playground/lib/protocol/index.js']) {
        const r = await fetch(`${gateway.url}/${asset}`);
        assert.equal(r.status, 200, asset);
        assert.match(r.headers.get('content-type')!, /^text\/javascript/, asset);
      }
      assert.equal((await fetch(`${gateway.url}/playground/app/..%2F..%2Fcli.js`)).status, 404);

      const client = new RawClient(connectUrl(gateway, { uniqueId: 'same_path', apiKey: TEST_KEY }));
      await client.until((c) => c.events().length > 0);
      client.close();
    } finally {
      await gateway.close();
    }
  });

  it('never puts a key in the page outside the emulator demo', async () => {
    const gateway = await startTestGateway({ upstream: 'webcast' });
    try {
      const html = await (await fetch(`${gateway.url}/`)).text();
      assert.ok(html.includes('id="apiKey"'));
      assert.ok(!html.includes(TEST_KEY));
    } finally {
      await gateway.close();
    }
  });

  it("shows chat, finished gift streaks, counters, the battle and any event's JSON, and resumes after a drop", {
    timeout: 60_000,
  }, async () => {
    const gateway = await startTestGateway({ emulatorRate: 40 });
    const browser = await openBrowser(`${gateway.url}/`);
    const { page, pageErrors } = browser;
    try {
      assert.equal(await page.inputValue('#apiKey'), TEST_KEY, 'the demo key is filled in');
      await page.fill('#uniqueId', 'playground_star');
      await page.click('#connect-button');

      await page.locator('#state', { hasText: 'open' }).waitFor();
      await page.locator('#feed .ev-chat').nth(2).waitFor();
      // A streak closes once, with its total: "sent Rose ×5 (5 diamonds)".
      const streak = page.locator('#feed .gift-alert', { hasText: /sent .+ ×([2-9]|\d\d+) \(\d+ diamonds\)/ }).first();
      await streak.waitFor({ timeout: 20_000 });
      await page.waitForFunction(() => /^\d[\d,.]*$/.test(document.getElementById('viewers')!.textContent!));
      await page.locator('#battle .team').nth(1).waitFor({ timeout: 20_000 });

      // Lines keep arriving on top: pin the line by its seq before clicking it.
      const seq = await page.locator('#feed .ev-chat').first().getAttribute('data-seq');
      const chat = page.locator(`#feed li[data-seq="${seq}"]`);
      await chat.click();
      const shown = JSON.parse((await page.locator('#inspector').textContent())!) as {
        event: string;
        seq: number;
        data: { comment: string };
      };
      assert.equal(shown.event, 'chat');
      assert.equal(shown.seq, Number(seq));
      assert.ok((await chat.textContent())!.includes(shown.data.comment));

      const chatFilter = page.locator('#filters input[data-event="chat"]');
      await chatFilter.uncheck();
      assert.equal(await chat.isVisible(), false, 'unticking chat hides chat lines');
      await chatFilter.check();
      assert.equal(await chat.isVisible(), true);

      const beforeDrop = Math.max(...(await feedSeqs(page)));
      await page.click('#drop');
      await page.locator('#connection-log li', { hasText: 'closed 3000' }).waitFor();
      await page.locator('#connection-log li', { hasText: /resumed: \d+ missed events replayed, nothing lost/ }).waitFor();
      await page.locator('#state', { hasText: 'open' }).waitFor();
      await page.waitForFunction(
        (seq) => Array.from(document.querySelectorAll<HTMLElement>('#feed li')).some((li) => Number(li.dataset.seq) > seq + 20),
        beforeDrop,
      );
      const seqs = await feedSeqs(page);
      for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i - 1]! > seqs[i]!, `feed in order without duplicates at ${seqs[i]}`);

      await page.locator('#feed .gift-alert').first().click();
      mkdirSync(OUTPUT_DIR, { recursive: true });
      await page.screenshot({ path: join(OUTPUT_DIR, 'playground.png') });
      assert.deepEqual(pageErrors, []);
    } finally {
      await browser.close();
      await gateway.close();
    }
  });

  it('follows a roster: each creator live or waiting, feed lines tagged by creator, a waiting one followed once live', {
    timeout: 60_000,
  }, async () => {
    const gateway = await startTestGateway({ emulatorRate: 30, liveCheckMs: 150 });
    const browser = await openBrowser(`${gateway.url}/`);
    const { page } = browser;
    try {
      await page.fill('#uniqueId', 'pg_ann, pg_ben offline_pg_cy');
      await page.click('#connect-button');
      await page.locator('#state', { hasText: 'open' }).waitFor();
      await page.locator('#creators li[data-creator="pg_ann"][data-state="live"]').waitFor();
      await page.locator('#creators li[data-creator="pg_ben"][data-state="live"]').waitFor();
      const waiting = page.locator('#creators li[data-creator="offline_pg_cy"][data-state="waiting"]');
      await waiting.waitFor();
      assert.match((await waiting.textContent())!, /waiting: .*\(checked \d\d:\d\d:\d\d\)/);
      for (const id of ['pg_ann', 'pg_ben']) {
        const line = page.locator(`#feed li[data-creator="${id}"]`).first();
        await line.waitFor();
        assert.equal(await line.locator('.creator-tag').textContent(), `@${id}`);
      }

      const res = await fetch(`${gateway.url}/_emulator/creators/offline_pg_cy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ live: true }),
      });
      assert.equal(res.status, 200);
      await page.locator('#creators li[data-creator="offline_pg_cy"][data-state="live"]').waitFor({ timeout: 20_000 });
      await page.locator('#feed li[data-creator="offline_pg_cy"]').first().waitFor({ timeout: 20_000 });

      // The room panels follow the creator clicked.
      await page.click('#creators li[data-creator="pg_ben"]');
      await page.locator('#room-title', { hasText: '@pg_ben' }).waitFor();
      mkdirSync(OUTPUT_DIR, { recursive: true });
      await page.screenshot({ path: join(OUTPUT_DIR, 'playground-roster.png') });
      assert.deepEqual(browser.pageErrors, []);
    } finally {
      await browser.close();
      await gateway.close();
    }
  });
});
