import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { announced, auditBothSchemes, politeRegions, recordAnnouncements, type AxeFinding } from '../helpers/axe.ts';
import { chooseFromBoardMenu, myAnswer, newPartnerContext, openSection, partnerAnswer, screenshot, useBrowserAndServer } from '../helpers/browser.ts';

const Q1 = 'Why did you decide to enter the tech industry?';
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const games = (page: Page) => page.getByRole('region', { name: 'Games' });
const gameStatus = (page: Page, text: string) => games(page).locator('[data-game-status]').filter({ hasText: text });

/** What has focus, as a short description a test can compare. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}: ${(el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60)}`;
  });

/** Waits until something said in the live region contains `text`. */
async function hears(page: Page, text: string): Promise<void> {
  await expect.poll(async () => (await announced(page)).some((said) => said.includes(text)), { timeout: 10_000, message: `announced “${text}”` }).toBe(true);
}

/** sRGB relative luminance contrast of two computed `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (rgb: string) => {
    const [r, g, b2] = (rgb.match(/[\d.]+/g) ?? [])
      .slice(0, 3)
      .map((v) => Number(v) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b2!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('accessibility in two browsers (A11Y)', () => {
  const env = useBrowserAndServer();

  it('[A11Y1][A11Y2][A11Y3][A11Y4][A11Y6][A11Y7] every view at 0 axe violations in light and dark, desktop and 360 px; partner events spoken once; focus placed on purpose', async () => {
    const findings: AxeFinding[] = [];
    const audit = async (page: Page, view: string) => findings.push(...(await auditBothSchemes(page, view)));

    const anaContext = await newPartnerContext(env.browser, env.server.url);
    const benContext = await newPartnerContext(env.browser, env.server.url, { width: 360 });
    const ana = await anaContext.newPage();
    const ben = await benContext.newPage();
    await ben.setViewportSize({ width: 360, height: 740 });
    await recordAnnouncements(ana);
    for (const p of [ana, ben]) p.on('pageerror', (e) => console.log('PAGEERROR', e.message));
    await recordAnnouncements(ben);

    // Landing, then a new board: focus lands on the board's heading, not on <body>.
    await ana.goto('/');
    await audit(ana, 'landing');
    await ana.getByLabel('Your name').fill('Ana');
    await ana.getByRole('button', { name: 'Start a board' }).click();
    await ana.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await expect.poll(() => focused(ana)).toMatch(/^h1: Ana/);
    await audit(ana, 'board waiting');
    const link = ana.url();

    // Join on a phone: focus on the heading; the partner hears it.
    await ben.goto(link);
    await ben.getByLabel('Your name').waitFor();
    await audit(ben, 'join (360)');
    await ben.getByLabel('Your name').fill('Ben');
    await ben.getByRole('button', { name: 'Join the board' }).click();
    await ben.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await expect.poll(() => focused(ben)).toMatch(/^h1: Ben/);
    await hears(ana, 'Ben joined the board.');
    // [A11Y2] one polite region on the board, whatever is on it.
    expect(await politeRegions(ana)).toBe(1);
    await audit(ana, 'board both seated');
    await audit(ben, 'board both seated (360)');

    await screenshot(ben, 'board-phone', false);
    // [A11Y7] On a phone the first question starts on the first screen, and Delete is not in the top row.
    // The page never scrolls sideways; the board's chrome (site bar, names, presence, menu, the meeting
    // path folded to one line [GUIDE16], the live bar, the section menu) leaves the first question on the first screen.
    await ben.getByRole('button', { name: /^Step 1 of \d+ · / }).waitFor();
    expect(await ben.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const layout = await ben.evaluate((q1) => {
      const top = (el: Element | null) => (el ? el.getBoundingClientRect().top + window.scrollY : 0);
      const heading = [...document.querySelectorAll('h3')].find((h) => h.textContent === q1) ?? null;
      return { question: top(heading?.closest('article') ?? heading) };
    }, Q1);
    expect(layout.question).toBeLessThan(740);
    expect(
      await ben
        .getByRole('button', { name: /Delete/ })
        .filter({ visible: true })
        .count()
    ).toBe(0);
    const navFades = await ben
      .getByRole('navigation', { name: 'Board sections' })
      .evaluate((el) => ({ scrolls: el.scrollWidth > el.clientWidth, mask: getComputedStyle(el).maskImage }));
    expect(navFades.scrolls).toBe(true);
    expect(navFades.mask).toContain('gradient');

    // Answers and a reflection arriving.
    await myAnswer(ana, Q1).fill('A teacher showed me how to make a robot dance.');
    await myAnswer(ben, Q1).fill('I wanted to build games.');
    await expect.poll(() => partnerAnswer(ben, Q1, 'Ana').textContent()).toBe('A teacher showed me how to make a robot dance.');
    await ben.getByRole('textbox', { name: new RegExp(`^${Q1.replace('?', '\\?')} — What I heard`) }).fill('A robot made you curious.');
    await hears(ana, `Ben wrote what they heard in your answer to “${Q1}”.`);
    await audit(ana, 'answers and listening');
    await audit(ben, 'answers (360)');

    // Charter, own questions and goals.
    await openSection(ana, 'Charter');
    await audit(ana, 'charter');
    await openSection(ana, 'Our questions');
    await ana.getByLabel('Add a question').fill('What was your first computer?');
    await ana.getByLabel('Add a question').press('Enter');
    await ana.getByRole('heading', { name: 'What was your first computer?' }).waitFor();
    await audit(ana, 'own questions');
    await openSection(ana, 'Goals');
    await button(ana, 'Add a goal').click();
    await audit(ana, 'goals');

    // A vote: called (Ben hears it), Ben's ballot (Ana hears it), the result (both hear it).
    await ana.evaluate(() => window.scrollTo(0, 0));
    await button(ana, 'Make this meeting goal-free?').click();
    await expect.poll(() => focused(ana)).toMatch(/^h2#veto-question/);
    await hears(ben, 'Ana asks: Make this meeting goal-free?');
    await audit(ben, 'veto open (360)');
    await button(ben, 'Keep our goals').click();
    await expect.poll(() => focused(ben)).toMatch(/^p: You voted “Keep our goals”/);
    await hears(ana, 'Ben has voted.');
    await audit(ana, 'veto open, partner voted');
    await button(ana, 'Yes, go goal-free').click();
    await expect.poll(() => focused(ana)).toMatch(/^div: The vote is in: this meeting is goal-free/);
    await hears(ana, 'The vote is in: this meeting is goal-free.');
    await hears(ben, 'The vote is in: this meeting is goal-free.');
    await audit(ana, 'veto result, goal-free');
    await audit(ben, 'veto result (360)');

    // Games: picker, a proposal (Ben hears it), the game starts (focus on its heading).
    await openSection(ana, 'Games');
    await openSection(ben, 'Games');
    await audit(ana, 'games picker');
    await games(ana).getByRole('button', { name: 'Propose Connect Four' }).click();
    await hears(ben, 'Ana proposes Connect Four.');
    await audit(ben, 'proposal (360)');
    await games(ben).getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => focused(ben)).toBe('h3#game-title: Connect Four');
    await expect.poll(() => focused(ana)).toBe('h3#game-title: Connect Four');

    // Connect Four: Ben hears Ana's column; discs differ by pattern and by lightness.
    await games(ana).getByRole('button', { name: 'Drop in column 4' }).click();
    await hears(ben, 'Ana dropped in column 4.');
    await gameStatus(ben, 'Your turn').waitFor();
    await games(ben).getByRole('button', { name: 'Drop in column 3' }).click();
    await hears(ana, 'Ben dropped in column 3.');
    for (const scheme of ['light', 'dark'] as const) {
      await ana.emulateMedia({ colorScheme: scheme });
      const discs = await games(ana).evaluate((root) =>
        (['mentor', 'mentee'] as const).map((seat) => {
          const disc = root.querySelector(`.disc.${seat}`)!;
          const style = getComputedStyle(disc);
          const inner = getComputedStyle(disc, '::before');
          return { colour: style.backgroundColor, image: style.backgroundImage, inner: inner.content, innerColour: inner.backgroundColor };
        })
      );
      const [mentor, mentee] = discs as [(typeof discs)[0], (typeof discs)[0]];
      // Not by colour alone: the mentee's disc is striped and ringed, the mentor's solid.
      expect(mentor.image).toBe('none');
      expect(mentee.image).toContain('repeating-linear-gradient');
      expect(mentee.inner).not.toBe('none');
      // And the two colours are far apart in lightness (what a colour-blind eye still sees).
      expect(contrast(mentor.colour, mentee.innerColour)).toBeGreaterThanOrEqual(3);
    }
    await ana.emulateMedia({ colorScheme: 'light' });
    await audit(ana, 'connect four');
    await audit(ben, 'connect four (360)');
    await screenshot(ben, 'game-connect-four-phone', false);

    // Abandoning puts focus on the games heading.
    await games(ana).getByRole('button', { name: 'Abandon game' }).click();
    await games(ana).getByRole('button', { name: 'Yes, abandon' }).click();
    await expect.poll(() => focused(ana)).toBe('h2#games: Games for two');
    await hears(ben, 'Connect Four was abandoned.');

    // Two Truths: statements ready (Ben hears), guessing and the reveal.
    await games(ana).getByRole('button', { name: 'Propose Two Truths and a Lie' }).click();
    await games(ben).getByRole('button', { name: 'Accept' }).click();
    await games(ana).getByLabel('Statement 1', { exact: true }).waitFor();
    await audit(ana, 'two truths, writing');
    await games(ana).getByLabel('Statement 1', { exact: true }).fill('I once fixed a bug by deleting a file.');
    await games(ana).getByLabel('Statement 2', { exact: true }).fill('My first computer was a hand-me-down.');
    await games(ana).getByLabel('Statement 3', { exact: true }).fill('I learned Fortran before English.');
    await games(ana).getByRole('radio', { name: 'Statement 3 is the lie' }).check();
    await games(ana).getByRole('button', { name: 'Send my three statements' }).click();
    await hears(ben, "Ana's three statements are ready. Which one is the lie?");
    await audit(ben, 'two truths, guessing (360)');
    await audit(ana, 'two truths, waiting for the guess');
    await games(ben)
      .getByRole('button', { name: /I learned Fortran/ })
      .click();
    await hears(ana, 'Ben spotted the lie!');
    await expect.poll(() => focused(ben)).toMatch(/^p: You spotted the lie!/);
    await audit(ana, 'two truths, reveal');
    await games(ana).getByRole('button', { name: 'Abandon game' }).click();
    await games(ana).getByRole('button', { name: 'Yes, abandon' }).click();

    // This or That: a pick moves focus to the status; the reveal is spoken to both.
    await games(ben).getByRole('button', { name: 'Propose This or That' }).click();
    await games(ana).getByRole('button', { name: 'Accept' }).click();
    const choice = (page: Page) => games(page).locator('button.choice').first();
    await choice(ana).waitFor();
    await audit(ana, 'this or that, card');
    await choice(ana).focus();
    await ana.keyboard.press('Enter');
    await expect.poll(() => focused(ana)).toMatch(/^p: You picked/);
    await hears(ben, 'Ana has picked. Your turn: this or that?');
    await choice(ben).click();
    await hears(ana, 'A match!');
    await hears(ben, 'A match!');
    await expect.poll(() => focused(ana)).toMatch(/^p: A match!/);
    await audit(ben, 'this or that, reveal (360)');
    await button(ana, 'Next card').click();
    await expect.poll(() => focused(ana)).toMatch(/^button: /);
    await games(ana).getByRole('button', { name: 'Abandon game' }).click();
    await games(ana).getByRole('button', { name: 'Yes, abandon' }).click();

    // The agreement, signed by both (Ana hears Ben sign).
    await openSection(ana, 'Agreement');
    await openSection(ben, 'Agreement');
    const meet = (page: Page) => page.locator('#agreement-meetings');
    await meet(ana).fill('Tuesdays at 4 pm, 45 minutes, on video.');
    await meet(ana).blur();
    await expect.poll(() => meet(ben).inputValue()).toBe('Tuesdays at 4 pm, 45 minutes, on video.');
    await audit(ana, 'agreement');
    await button(ana, 'Sign the agreement').click();
    await button(ben, 'Sign the agreement').click();
    await hears(ana, 'Ben signed the agreement.');
    await ana.getByRole('heading', { name: 'Agreed — you have both signed' }).waitFor();
    await audit(ana, 'agreement signed');
    await audit(ben, 'agreement signed (360)');

    // Meetings, call it a day, vibe check, summary; low vibes bring the goal-free nudge.
    await openSection(ana, 'Meetings');
    await audit(ana, 'meetings');
    await ana.evaluate(() => window.scrollTo(0, 0));
    await button(ana, 'Call it a day').click();
    await expect.poll(() => focused(ana)).toMatch(/^h2#day-title: You suggested/);
    await hears(ben, 'Ana suggests calling it a day.');
    await audit(ben, 'call it a day (360)');
    await button(ben, 'Agree').click();
    await hears(ana, 'Time for a quick, private vibe check.');
    await audit(ana, 'vibe check');
    for (const page of [ana, ben]) {
      await page.getByRole('radio', { name: /Flat/ }).check();
      await button(page, 'Share my vibe').click();
    }
    await ana.getByRole('heading', { name: 'Meeting 1 summary' }).waitFor();
    await audit(ana, 'summary');
    await audit(ben, 'summary (360)');
    await button(ana, 'Start our next meeting').click();
    await hears(ben, 'Meeting 2 has started.');
    await openSection(ana, 'Meetings');
    await ana
      .getByText(/goal-free/i)
      .filter({ visible: true })
      .first()
      .waitFor();
    await audit(ana, 'six-week / low-vibe nudge');

    // Offline: said once through the same region; the view still passes.
    await benContext.setOffline(true);
    await ben.getByTestId('connection').filter({ hasText: 'Offline' }).waitFor();
    await hears(ben, 'You are offline.');
    await audit(ben, 'offline (360)');
    await benContext.setOffline(false);
    await ben.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });

    // The delete dialog, then deletion: Ben hears it and focus lands on the page's heading.
    await chooseFromBoardMenu(ana, 'Delete the board…');
    await audit(ana, 'delete dialog');
    await button(ana, 'Delete for good').click();
    await ben.getByRole('heading', { name: 'This board was deleted' }).waitFor();
    await hears(ben, 'This board was deleted.');
    await expect.poll(() => focused(ben)).toBe('h1#status-title: This board was deleted');
    await audit(ben, 'deleted (360)');

    // [A11Y2] nothing was said twice in a row.
    for (const page of [ana, ben]) {
      const said = await announced(page);
      expect(said.filter((text, i) => i > 0 && text === said[i - 1])).toEqual([]);
    }

    // Pages without a board.
    const visitor = await anaContext.newPage();
    await visitor.goto('/b/AAAAAAAAAAAAAAAAAAAAAA');
    await visitor.getByRole('heading', { name: "We couldn't find that board" }).waitFor();
    await audit(visitor, 'bad link');
    const response = await visitor.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await visitor.getByRole('heading', { name: "There's nothing at this address" }).waitFor();
    expect(await visitor.title()).toBe('Page not found · pairboard');
    await audit(visitor, '404');

    if (findings.length > 0) console.log(JSON.stringify(findings, null, 2));
    expect(findings.map((f) => `${f.view} [${f.scheme}] ${f.rule}: ${f.nodes.join(' | ')}`)).toEqual([]);
    await Promise.all([anaContext.close(), benContext.close()]);
  }, 420_000);
});
