/**
 * What a person sees: the board page's first-load JS (gzipped) and keystroke → partner's screen,
 * in two headless Chromium contexts against the production server.
 *
 * Two JS figures: first-load is what the board page needs before it shows the first questions,
 * read from the build (WEIGHT1; tests/e2e/firstLoadBudget.test.ts checks in Chromium that exactly
 * those scripts come before the first question); the other is every script a joining partner's
 * browser fetched by the time the board is live, parts deferred until after the first render
 * (meeting path, sections loaded when idle) included.
 */
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { FIRST_SESSION_QUESTIONS } from '@pairboard/shared';
import { joinBoardInUi, launchBrowser, newPartnerContext, startBoardInUi } from '../helpers/browser.ts';
import { boardFirstLoadJs } from '../helpers/firstLoadJs.ts';

export type BrowserResult = {
  firstLoadJsGzipBytes: number;
  firstLoadJsRawBytes: number;
  firstLoadJsFiles: number;
  /** Every script fetched while joining, until live (deferred parts included). */
  joinJsGzipBytes: number;
  joinJsRawBytes: number;
  jsFiles: number;
  keystrokes: number;
  rendered: number;
  p50: number;
  p95: number;
  max: number;
};

export async function browserBench(url: string, keystrokes: number): Promise<BrowserResult> {
  const browser = await launchBrowser();
  try {
    const anaContext = await newPartnerContext(browser, url);
    const benContext = await newPartnerContext(browser, url);
    const ana = await anaContext.newPage();
    const ben = await benContext.newPage();
    const link = await startBoardInUi(ana, 'Ana', 'Mentor');

    // Ben's first visit to the board link in a fresh profile: every script the page loads.
    const scripts = new Map<string, Promise<Buffer | null>>();
    ben.on('response', (response) => {
      if (response.request().resourceType() === 'script')
        scripts.set(
          response.url(),
          response.body().catch(() => null)
        );
    });
    await joinBoardInUi(ben, link, 'Ben');
    let raw = 0;
    let gz = 0;
    for (const body of await Promise.all(scripts.values())) {
      if (!body) continue;
      raw += body.byteLength;
      gz += zlib.gzipSync(body, { level: 9 }).byteLength;
    }

    const question = FIRST_SESSION_QUESTIONS[0]!;
    const mine = `#a-${question.id}-mine`;
    const theirs = `#a-${question.id}-theirs`;
    // Receiver: the moment the partner's text changes in the DOM, then the next frame (painted).
    // Times are performance.timeOrigin + now(): one machine-wide clock across both renderers.
    await ben.evaluate((selector) => {
      const el = document.querySelector(selector)!;
      const w = window as unknown as { __renders: Array<[number, number]> };
      w.__renders = [];
      new MutationObserver(() => {
        const length = el.classList.contains('empty') ? 0 : (el.textContent ?? '').length;
        requestAnimationFrame(() => w.__renders.push([length, performance.timeOrigin + performance.now()]));
      }).observe(el, { childList: true, characterData: true, subtree: true });
    }, theirs);
    // Sender: when each key went down.
    await ana.evaluate((selector) => {
      const w = window as unknown as { __keys: number[] };
      w.__keys = [];
      document.querySelector(selector)!.addEventListener('keydown', (e) => w.__keys.push(performance.timeOrigin + e.timeStamp), { capture: true });
    }, mine);

    await ana.locator(mine).click();
    const text = 'the quick brown fox jumps over the lazy dog '.repeat(Math.ceil(keystrokes / 44)).slice(0, keystrokes);
    for (const ch of text) {
      await ana.keyboard.type(ch);
      await ana.waitForTimeout(30);
    }
    await ben.waitForFunction(
      ([selector, n]) => (document.querySelector(selector as string)?.textContent ?? '').length >= (n as number),
      [theirs, keystrokes],
      { timeout: 15_000 }
    );
    await ben.waitForTimeout(100);
    const keys = await ana.evaluate(() => (window as unknown as { __keys: number[] }).__keys);
    const renders = await ben.evaluate(() => (window as unknown as { __renders: Array<[number, number]> }).__renders);
    const latencies: number[] = [];
    for (let k = 0; k < keystrokes && k < keys.length; k++) {
      // First frame showing at least k+1 characters.
      const shown = renders.find(([length]) => length >= k + 1);
      if (shown) latencies.push(shown[1] - keys[k]!);
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? NaN;
    await closeQuietly(ana, ben);
    const firstLoad = boardFirstLoadJs();
    return {
      firstLoadJsGzipBytes: firstLoad.gzipBytes,
      firstLoadJsRawBytes: firstLoad.rawBytes,
      firstLoadJsFiles: firstLoad.files.length,
      joinJsGzipBytes: gz,
      joinJsRawBytes: raw,
      jsFiles: scripts.size,
      keystrokes,
      rendered: latencies.length,
      p50: at(0.5),
      p95: at(0.95),
      max: latencies.at(-1) ?? NaN
    };
  } finally {
    await browser.close();
  }
}

async function closeQuietly(...pages: Page[]) {
  for (const page of pages)
    await page
      .context()
      .close()
      .catch(() => {});
}
