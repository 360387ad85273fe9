import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server.ts';
import { joinBoardInUi, launchBrowser, newPartnerContext, openSection, screenshot, startBoardInUi } from '../helpers/browser.ts';

const Q1 = 'Why did you decide to enter the tech industry\\?';
const MEET = 'When will you meet, for how long, and where?';
const CANCEL = 'What happens when a meeting cannot go ahead?';

const goals = (page: Page) => page.getByRole('region', { name: 'Goals' });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });
/** Text that is both shown and announced: take the visible copy. */
const shown = (page: Page, text: string) => page.getByText(text, { exact: true }).filter({ visible: true }).first();

describe('session features in two browsers', () => {
  let browser: Browser;
  let server: TestServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer({ withWeb: true });
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.stop();
  });

  async function pair(benWidth?: number): Promise<{ ana: Page; ben: Page }> {
    const anaContext = await newPartnerContext(browser, server.url);
    const benContext = await newPartnerContext(browser, server.url, benWidth ? { width: benWidth } : {});
    contexts.push(anaContext, benContext);
    const ana = await anaContext.newPage();
    const ben = await benContext.newPage();
    const link = await startBoardInUi(ana, 'Ana', 'Mentor');
    await joinBoardInUi(ben, link, 'Ben');
    await ana.getByTestId('presence-mentee').filter({ hasText: 'online' }).waitFor();
    return { ana, ben };
  }

  it('[VETO1][VETO3][VETO4][VETO5] a goal veto makes both boards goal-free at once, and both bring goals back', async () => {
    const { ana, ben } = await pair();

    // A goal, live in the shared document for both.
    await button(ana, 'Add a goal').click();
    await ana.getByRole('textbox', { name: 'Goal 1 in a line' }).fill('Give my first meetup talk by June');
    await expect.poll(() => ben.getByRole('textbox', { name: 'Goal 1 in a line' }).inputValue()).toBe('Give my first meetup talk by June');
    await ben.getByRole('checkbox', { name: /Specific/ }).check();
    await expect.poll(() => ana.getByRole('checkbox', { name: /Specific/ }).isChecked()).toBe(true);

    // Ana asks; both see the open vote; the ballot stays private until both have voted.
    await button(ana, 'Make this meeting goal-free?').click();
    // Ben is down in the goals: a nudge takes him to the vote.
    await button(ben, 'Vote').waitFor();
    await button(ben, 'Vote').click();
    await heading(ben, 'Make this meeting goal-free?').waitFor();
    await ben.getByText('Ana asks', { exact: true }).waitFor();
    await expect.poll(() => ben.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Yes, go goal-free');
    await button(ana, 'Yes, go goal-free').click();
    await ana.getByText('Waiting for Ben…').waitFor();
    await shown(ben, 'Ana has voted.').waitFor();
    expect(await ben.getByText('Yes, go goal-free').count()).toBe(1); // only Ben's own button, never Ana's ballot
    await button(ben, 'Keep our goals').click();

    // One veto is enough: both switch, and both ballots are revealed to both.
    for (const page of [ana, ben]) {
      await heading(page, 'Goal-free meeting').waitFor();
      await page.getByText('The vote is in: this meeting is goal-free.').filter({ visible: true }).first().waitFor();
      await expect.poll(() => goals(page).count()).toBe(0);
    }
    await ana.getByRole('group', { name: 'Vote result' }).getByText('Keep our goals').waitFor();
    await screenshot(ana, 'goal-free', false);

    // Goals come back only when both ask for them.
    await button(ben, 'Bring goals back?').click();
    await heading(ana, 'Bring goals back?').waitFor();
    await button(ana, 'Bring goals back').click();
    await button(ben, 'Bring goals back').click();
    for (const page of [ana, ben]) {
      await goals(page).waitFor();
      await expect.poll(() => heading(page, 'Goal-free meeting').count()).toBe(0);
      await expect.poll(() => page.getByRole('textbox', { name: 'Goal 1 in a line' }).inputValue()).toBe('Give my first meetup talk by June');
    }
  });

  it('[DAY1][DAY3][DAY4][DAY7][DAY8][DAY9] call it a day, vibe checks, summary for both, then the next meeting', async () => {
    const { ana, ben } = await pair(360);
    await ana.getByRole('textbox', { name: new RegExp(`${Q1} — Your answer`) }).fill('A teacher showed me a dancing robot.');
    await ben.getByRole('textbox', { name: new RegExp(`${Q1} — Your answer`) }).fill('I wanted to build games.');
    await expect.poll(() => ana.getByRole('textbox', { name: new RegExp(`${Q1} — Ben's answer`) }).textContent()).toBe('I wanted to build games.');
    // One reflection, and Ana says it landed.
    await ben.getByRole('textbox', { name: new RegExp(`${Q1} — What I heard`) }).fill('A robot made you curious about code.');
    await ana.getByRole('button', { name: "That's it" }).first().click();

    // A suggestion, a "not yet", then agreement.
    await button(ana, 'Call it a day').click();
    await ana.getByText('Waiting for Ben…').waitFor();
    await heading(ben, 'Ana suggests calling it a day').waitFor();
    await button(ben, 'Not yet').click();
    await shown(ana, 'Ben would like to keep going for now.').waitFor();
    await button(ana, 'Call it a day').click();
    await button(ben, 'Agree').click();

    // Private vibe checks.
    await heading(ana, 'Vibe check').waitFor();
    await heading(ben, 'Vibe check').waitFor();
    await ana.getByRole('radio', { name: /Good/ }).check();
    await ana.getByLabel('A short note (optional)').fill('Lovely first chat');
    await button(ana, 'Share my vibe').click();
    await ana.getByText("Waiting for Ben's vibe check.", { exact: false }).first().waitFor();
    await ben.getByText('Ana has answered.').waitFor();
    expect(await ben.getByText('Lovely first chat').count()).toBe(0);
    await ben.getByRole('radio', { name: /Great/ }).focus();
    await ben.keyboard.press('Space');
    await button(ben, 'Share my vibe').click();

    // Both see the same summary, both vibes revealed.
    for (const page of [ana, ben]) {
      const summary = page.getByRole('region', { name: 'Meeting 1 summary' });
      await summary.waitFor();
      await summary.getByText('4 — Good').waitFor();
      await summary.getByText('5 — Great').waitFor();
      await summary.getByText('“Lovely first chat”').waitFor();
      expect(await summary.getByRole('definition').first().textContent()).toBe('1');
      expect(await summary.getByRole('definition').nth(1).textContent()).toBe('1 of 1');
    }
    await screenshot(ana, 'meeting-summary', false);
    await ben.screenshot({ path: '/tmp/pairboard-meeting-summary-360.png', fullPage: false });

    // The next meeting starts for both, with what was left over.
    await button(ben, 'Start our next meeting').click();
    for (const page of [ana, ben]) {
      await heading(page, 'Left from last time').waitFor();
      await page.getByRole('listitem').filter({ hasText: 'How did you get to your current role?' }).first().waitFor();
      await button(page, 'Call it a day').waitFor();
      await heading(page, 'Meeting 1').waitFor();
      expect(await page.getByRole('progressbar', { name: 'Programme progress' }).getAttribute('aria-valuenow')).toBe('1');
      await page.getByText('Week 1 of 12', { exact: true }).waitFor(); // the chart's text summary says it too
    }
  });

  it('[AGR2][AGR4] an agreement signed by both, then edited: both signatures cleared, both see it', async () => {
    const { ana, ben } = await pair();
    await openSection(ana, 'Agreement');
    await openSection(ben, 'Agreement');
    const meet = (page: Page) => page.getByRole('textbox', { name: MEET });

    await meet(ana).click();
    await meet(ana).pressSequentially('Tuesdays at 4 pm, 45 minutes, on video.', { delay: 10 });
    await expect.poll(() => meet(ben).inputValue()).toBe('Tuesdays at 4 pm, 45 minutes, on video.');

    await button(ana, 'Sign the agreement').click();
    await button(ana, 'Withdraw my signature').waitFor();
    await ben
      .getByRole('listitem')
      .filter({ hasText: 'Ana' })
      .getByText(/✓ Signed on/)
      .waitFor(); // the print-only list says it too
    await button(ben, 'Sign the agreement').click();
    for (const page of [ana, ben]) await heading(page, 'Agreed — you have both signed').waitFor();

    // Ben changes a word: both signatures go, and both are told.
    await ben.getByRole('textbox', { name: CANCEL }).fill('A day ahead, with a new time.');
    await ben.getByRole('textbox', { name: CANCEL }).blur();
    for (const page of [ana, ben]) {
      await page.getByText('Changed after signing — both signatures were cleared', { exact: false }).waitFor();
      await expect.poll(() => page.getByText('Not signed yet').count()).toBe(2);
      await button(page, 'Sign the agreement').waitFor();
    }
    await expect.poll(() => ana.getByRole('textbox', { name: CANCEL }).inputValue()).toBe('A day ahead, with a new time.');
    // Ana's own text is still there.
    expect(await meet(ana).inputValue()).toBe('Tuesdays at 4 pm, 45 minutes, on video.');
    // Let the toast go, then frame the whole agreement.
    await ana
      .getByTestId('toast')
      .getByText(/cleared both signatures/)
      .waitFor({ state: 'detached', timeout: 15_000 });
    await ana.setViewportSize({ width: 1200, height: 1250 });
    await ana.locator('#section-agreement').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(ana, 'agreement', false);
  });
});
