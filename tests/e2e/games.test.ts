import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server.ts';
import { joinBoardInUi, launchBrowser, newPartnerContext, openSection, SCREENSHOT_DIR, startBoardInUi } from '../helpers/browser.ts';

/** The game corner of a board page. */
const games = (page: Page) => page.getByRole('region', { name: 'Games' });
/** A game's status line (spoken through the page's one live region, so it carries no role of its own). */
const status = (page: Page, text: string | RegExp) => games(page).locator('[data-game-status]').filter({ hasText: text });

async function shoot(page: Page, name: string): Promise<void> {
  await games(page).screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });
}

type Pair = { ana: Page; ben: Page; contexts: BrowserContext[] };

/** Ana (mentor, desktop) starts a board, Ben (mentee, a 360 px phone) joins it. */
async function pair(browser: Browser, server: TestServer): Promise<Pair> {
  const anaContext = await newPartnerContext(browser, server.url);
  const benContext = await newPartnerContext(browser, server.url, { width: 360 });
  const ana = await anaContext.newPage();
  const ben = await benContext.newPage();
  const link = await startBoardInUi(ana, 'Ana', 'Mentor');
  await joinBoardInUi(ben, link, 'Ben');
  await ana.getByTestId('presence-mentee').filter({ hasText: 'online' }).waitFor();
  await openSection(ana, 'Games');
  await openSection(ben, 'Games');
  return { ana, ben, contexts: [anaContext, benContext] };
}

/** Ana proposes from the picker; Ben accepts. */
async function proposeAndAccept(ana: Page, ben: Page, title: string, fill?: (form: Locator) => Promise<void>): Promise<void> {
  const form = games(ana).getByRole('form', { name: title });
  if (fill) await fill(form);
  await form.getByRole('button', { name: `Propose ${title}` }).click();
  await status(ana, `Waiting for Ben to accept`).waitFor();
  await status(ben, `Ana proposes ${title}`).waitFor();
  await games(ben).getByRole('button', { name: 'Accept' }).click();
  await games(ana).getByRole('heading', { name: title, level: 3 }).waitFor();
  await games(ben).getByRole('heading', { name: title, level: 3 }).waitFor();
}

describe('games in two browsers', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer({ withWeb: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('[GAME2][GAME3][TOT1-TOT6] This or That with own cards, a reload mid-card resumes, a full game to the tally', async () => {
    const { ana, ben, contexts } = await pair(browser, server);
    const form = games(ana).getByRole('form', { name: 'This or That' });

    // A malformed card is caught before sending, clearly, and the typed text stays.
    await form.getByLabel('Cards', { exact: true }).fill('3');
    await form.getByLabel(/Your own cards/).fill('Tea Coffee');
    await form.getByRole('button', { name: 'Propose This or That' }).click();
    await games(ana).getByRole('alert').filter({ hasText: 'needs two sides' }).waitFor();
    expect(await form.getByLabel(/Your own cards/).inputValue()).toBe('Tea Coffee');

    // A proposal can be withdrawn, and declined.
    await form.getByLabel(/Your own cards/).fill('Tea | Coffee\nMountains | Sea');
    await form.getByRole('button', { name: 'Propose This or That' }).click();
    await status(ben, 'Ana proposes This or That').waitFor();
    expect(await games(ben).getByText('3 cards · Tech, Work habits, Life · 2 of your own').count()).toBe(1);
    await games(ana).getByRole('button', { name: 'Withdraw' }).click();
    await games(ben).getByRole('form', { name: 'This or That' }).waitFor();

    await proposeAndAccept(ana, ben, 'This or That', async (f) => {
      await f.getByLabel('Cards', { exact: true }).fill('3');
      await f.getByLabel(/Your own cards/).fill('Tea | Coffee\nMountains | Sea');
    });

    const choices = (page: Page) => games(page).getByRole('group', { name: 'This or that?' }).getByRole('button');
    const seen: string[] = [];
    for (let card = 1; card <= 3; card++) {
      await games(ana).getByText(`Card ${card} of 3`).waitFor();
      await games(ben).getByText(`Card ${card} of 3`).waitFor();
      const a = (await choices(ana).first().textContent())!.trim();
      const b = (await choices(ana).last().textContent())!.trim();
      seen.push(`${a} | ${b}`);
      await choices(ana).first().click();
      await status(ana, 'Waiting for Ben').waitFor();
      await status(ben, 'Ana has picked').waitFor();

      if (card === 1) {
        // [GAME9] reload mid-card: the game, the card and Ana's secret pick come back as they were.
        await ana.reload();
        await ana.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
        await games(ana).getByText('Card 1 of 3').waitFor();
        expect(await choices(ana).first().getAttribute('aria-pressed')).toBe('true');
        await status(ana, 'Waiting for Ben').waitFor();
        // Ana's pick is not on Ben's screen before he picks. [TOT3]
        expect(await choices(ben).first().getAttribute('aria-pressed')).toBe('false');
      }

      // Ben agrees on odd cards and differs on even ones.
      await (card % 2 === 1 ? choices(ben).first() : choices(ben).last()).click();
      const verdict = card % 2 === 1 ? 'A match!' : 'Different picks.';
      await status(ana, verdict).waitFor();
      await status(ben, verdict).waitFor();
      await games(ben)
        .getByText(/Tell each other why/)
        .waitFor();
      if (card === 2) await shoot(ana, 'game-this-or-that');
      if (card < 3) await games(ben).getByRole('button', { name: 'Next card' }).click();
    }
    // The pair's own cards were both in the hand. [TOT1]
    expect(seen).toEqual(expect.arrayContaining(['Tea | Coffee', 'Mountains | Sea']));

    for (const page of [ana, ben]) {
      await games(page).getByText('2 of 3 alike', { exact: true }).waitFor();
      await games(page).getByRole('listitem').filter({ hasText: 'This or That: 2 of 3 alike' }).waitFor();
    }
    // [GAME6] the finished game stays until closed; then the picker is back.
    await games(ben).getByRole('button', { name: 'Close' }).click();
    await games(ana).getByRole('heading', { name: 'Pick a game' }).waitFor();
    await Promise.all(contexts.map((c) => c.close()));
  });

  it('[TTL1-TTL7] Two Truths and a Lie: write with a theme, guess, reveal, swap roles, final score', async () => {
    const { ana, ben, contexts } = await pair(browser, server);
    await proposeAndAccept(ana, ben, 'Two Truths and a Lie', async (f) => {
      await f.getByLabel('Theme').selectOption({ label: 'Tech journey' });
      await f.getByLabel('Rounds', { exact: true }).fill('2');
    });

    // Round 1: Ana writes (the proposer starts), Ben waits, then spots the lie.
    await status(ben, 'Ana is writing three statements').waitFor();
    await games(ana)
      .getByRole('button', { name: /Start a statement with: The first thing I ever built was/ })
      .waitFor();
    await games(ana).getByLabel('Statement 1', { exact: true }).fill('My first computer was a hand-me-down laptop.');
    await games(ana).getByLabel('Statement 2', { exact: true }).fill('I once fixed a bug by deleting a whole file.');
    await games(ana).getByLabel('Statement 3', { exact: true }).fill('I learned Fortran before English.');
    await games(ana).getByRole('radio', { name: 'Statement 3 is the lie' }).check();
    await games(ana).getByRole('button', { name: 'Send my three statements' }).click();
    await status(ana, 'Waiting for Ben to guess').waitFor();
    await games(ben)
      .getByRole('button', { name: /I learned Fortran before English\.$/ })
      .click();
    await status(ben, 'You spotted the lie!').waitFor();
    await status(ana, 'Ben spotted the lie!').waitFor();
    await shoot(ben, 'game-two-truths');
    await games(ana).getByRole('button', { name: 'Next round' }).click();

    // Round 2: roles swap; Ben writes, Ana is fooled.
    await status(ana, 'Ben is writing three statements').waitFor();
    await games(ben).getByLabel('Statement 1', { exact: true }).fill('I have a cat called Kernel.');
    await games(ben).getByLabel('Statement 2', { exact: true }).fill('I have never used a mouse at work.');
    await games(ben).getByLabel('Statement 3', { exact: true }).fill('I built a website for my school.');
    await games(ben).getByRole('radio', { name: 'Statement 2 is the lie' }).check();
    await games(ben).getByRole('button', { name: 'Send my three statements' }).click();
    await games(ana)
      .getByRole('button', { name: /I have a cat called Kernel\.$/ })
      .click();
    await status(ana, 'You were fooled. A point to Ben.').waitFor();
    await status(ben, 'Ana was fooled. A point to you.').waitFor();
    // Ben scored twice: for spotting Ana's lie and for fooling her.
    await status(ana, 'Final score: You 0 · Ben 2').waitFor();
    await status(ben, 'Final score: You 2 · Ana 0').waitFor();
    await games(ana).getByRole('listitem').filter({ hasText: 'Two Truths and a Lie: 1 of 2 lies spotted (Mentor 0 · Mentee 2)' }).waitFor();
    await Promise.all(contexts.map((c) => c.close()));
  });

  it('[C4-1][C4-3][C4-6][GAME7] Connect Four by keyboard alone to a win, then a rematch; abandon asks first', async () => {
    const { ana, ben, contexts } = await pair(browser, server);
    await proposeAndAccept(ana, ben, 'Connect Four');

    const dropButton = (page: Page, column: number) => games(page).getByRole('button', { name: new RegExp(`^Drop in column ${column}`) });
    // Only focus and keys from here: the cursor starts in the middle column (4).
    await dropButton(ana, 4).focus();
    await dropButton(ben, 4).focus();
    const press = async (page: Page, keys: string[]) => {
      for (const key of keys) await page.keyboard.press(key);
    };

    // A move counts once the mover's own board hands the turn over: only then is "Your turn" on
    // the other page the new turn and not the one before (the two views arrive independently).
    const move = async (page: Page, keys: string[], partnerName: string) => {
      await press(page, keys);
      await status(page, `${partnerName}'s turn`).waitFor();
    };

    // Ana stacks column 1, Ben answers in column 2.
    await status(ana, 'Your turn').waitFor();
    await move(ana, ['ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'Enter'], 'Ben');
    await status(ben, 'Your turn').waitFor();
    await move(ben, ['ArrowLeft', 'ArrowLeft', 'Space'], 'Ana');
    for (let i = 0; i < 2; i++) {
      await status(ana, 'Your turn').waitFor();
      await move(ana, ['Enter'], 'Ben');
      await status(ben, 'Your turn').waitFor();
      await move(ben, ['Enter'], 'Ana');
    }
    await status(ana, 'Your turn').waitFor();
    // Focus never left the drop row, and the cursor stayed on column 1.
    expect(await ana.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Drop in column 1');
    await press(ana, ['Enter']);

    await status(ana, 'You win! Four in a row.').waitFor();
    await status(ben, 'Ana wins this round.').waitFor();
    // Cells are announced; the winning four are marked, not by colour alone.
    await games(ben).getByText("Row 6, column 1: Ana's, part of the winning four").waitFor();
    await games(ana).getByText('Row 3, column 1: yours, part of the winning four').waitFor();
    await games(ana).getByText("Row 6, column 2: Ben's", { exact: true }).waitFor();
    await games(ana).getByText('Row 1, column 1: empty', { exact: true }).waitFor();
    await games(ana).getByRole('listitem').filter({ hasText: 'Connect Four: Mentor won round 1 (Mentor 1 · Mentee 0)' }).waitFor();
    await shoot(ana, 'game-connect-four');

    // Rematch, still by keyboard: Tab from the drop row reaches it. Ben opens round 2.
    const rematch = games(ben).getByRole('button', { name: 'Rematch' });
    await rematch.focus();
    await press(ben, ['Enter']);
    await status(ben, 'Your turn').waitFor();
    await status(ana, "Ben's turn").waitFor();
    await games(ana)
      .getByText(/^Round 2 ·/)
      .waitFor();

    // [GAME7] abandoning asks first; keeping playing changes nothing.
    await games(ana).getByRole('button', { name: 'Abandon game' }).click();
    await games(ana).getByRole('button', { name: 'Keep playing' }).click();
    await status(ana, "Ben's turn").waitFor();
    await games(ana).getByRole('button', { name: 'Abandon game' }).click();
    await games(ana).getByRole('button', { name: 'Yes, abandon' }).click();
    await games(ben).getByRole('listitem').filter({ hasText: 'Connect Four: abandoned' }).waitFor();
    await games(ben).getByRole('heading', { name: 'Pick a game' }).waitFor();
    await Promise.all(contexts.map((c) => c.close()));
  });
});
