import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { FIRST_SESSION_QUESTIONS } from '@pairboard/shared';
import { joinBoardInUi, newPartnerContext, screenshot, startBoardInUi, useBrowserAndServer } from '../helpers/browser.ts';

const env = useBrowserAndServer();
const contexts: BrowserContext[] = [];
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
});

async function phone(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await newPartnerContext(env.browser, env.server.url, { width: 360, colorScheme });
  contexts.push(context);
  const page = await context.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
  return page;
}

const path = (page: Page) => page.getByRole('region', { name: /^(Before your partner joins|Meeting \d)/ });
/** Where the first question's card starts, from the top of the page. */
const firstCardTop = (page: Page) =>
  page.evaluate((q1) => {
    const heading = [...document.querySelectorAll('h3')].find((h) => h.textContent === q1);
    const card = heading?.closest('article') ?? heading;
    return card ? card.getBoundingClientRect().top + window.scrollY : Infinity;
  }, FIRST_SESSION_QUESTIONS[0]!.text);

/**
 * [RECON5] The header's presence badges as laid out: each dot's box, and how many line boxes each
 * name's text takes (one, unless it wraps).
 */
const presenceLayout = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-testid^="presence-"]')].map((badge) => {
      const dot = badge.querySelector('.dot')!.getBoundingClientRect();
      const name = badge.querySelector('.dot + *')!;
      const range = document.createRange();
      range.selectNodeContents(name);
      // One rect per text node per line: tops further apart than half a line are different lines.
      const tops = [...range.getClientRects()].map((rect) => rect.top).sort((x, y) => x - y);
      const halfLine = parseFloat(getComputedStyle(name).fontSize) / 2;
      const lines = tops.filter((top, i) => i === 0 || top - tops[i - 1]! > halfLine).length;
      return { text: name.textContent?.replace(/\s+/g, ' '), dot: { width: dot.width, height: dot.height }, lines };
    })
  );

describe('a phone beside a video call (360 × 740)', () => {
  it('[GUIDE16][A11Y7][RECON5] the path folds to one line, so the first question starts on the first screen for mentor and mentee; unfolding is remembered', async () => {
    const ana = await phone();
    const ben = await phone('dark');
    const link = await startBoardInUi(ana, 'Ana', 'Mentor');
    await joinBoardInUi(ben, link, 'Ben');

    for (const page of [ana, ben]) {
      const fold = path(page).getByRole('button', { name: /^Step 1 of \d+ · The six questions/ });
      await fold.waitFor();
      expect(await fold.getAttribute('aria-expanded')).toBe('false');
      expect(await path(page).getByRole('listitem').count()).toBe(0); // the steps are folded away
      expect(await firstCardTop(page)).toBeLessThan(740);
      // [RECON5] "Ana (you)" on one line beside a round dot, as is the partner's badge.
      const badges = await presenceLayout(page);
      expect(badges.map((b) => b.text)).toEqual(page === ana ? ['Ana (you)', 'Ben'] : ['Ben (you)', 'Ana']);
      for (const badge of badges) {
        expect(badge.dot.width, `${badge.text}: dot`).toBeGreaterThan(0);
        expect(badge.dot.width, `${badge.text}: dot`).toBe(badge.dot.height);
        expect(badge.lines, `${badge.text}: line boxes`).toBe(1);
      }
    }
    await screenshot(ana, 'board-phone-path-folded', false);

    // Unfolded: the steps, the welcome; remembered by this browser across a reload, not by the partner's.
    await path(ben)
      .getByRole('button', { name: /^Step 1/ })
      .click();
    await path(ben).locator('[aria-current="step"]').filter({ hasText: 'The six questions' }).waitFor();
    await path(ben)
      .getByText(/^Welcome! Ana set up this board/)
      .waitFor();
    expect(await path(ben).getByRole('button', { name: 'Fold the steps' }).getAttribute('aria-expanded')).toBe('true');
    await ben.reload();
    await path(ben).getByRole('button', { name: 'Fold the steps' }).waitFor();
    expect(
      await path(ana)
        .getByRole('button', { name: /^Step 1/ })
        .getAttribute('aria-expanded')
    ).toBe('false');

    // Folded again, and that is remembered too.
    await path(ben).getByRole('button', { name: 'Fold the steps' }).click();
    await ben.reload();
    await path(ben)
      .getByRole('button', { name: /^Step 1/ })
      .waitFor();
    expect(await firstCardTop(ben)).toBeLessThan(740);
    await screenshot(ben, 'board-phone-path-folded-dark', false);

    // At desktop width the path is whole, with no fold.
    await ben.setViewportSize({ width: 1280, height: 900 });
    await path(ben).getByRole('listitem').first().waitFor();
    expect(
      await path(ben)
        .getByRole('button', { name: /^Step 1|Fold the steps/ })
        .count()
    ).toBe(0);
    await screenshot(ben, 'board-desktop-dark', false);
  });
});
