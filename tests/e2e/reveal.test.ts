import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { joinBoardInUi, myAnswer, newPartnerContext, openSection, SCREENSHOT_DIR, startBoardInUi, useBrowserAndServer } from '../helpers/browser.ts';

const Q1 = 'Why did you decide to enter the tech industry?';
const FEW_YEARS = 'Where do you see yourself in a few years?';
const prompt = (page: Page, question: string) => page.getByRole('article', { name: question, exact: true });
const hiddenAnswer = (page: Page) => prompt(page, Q1).getByRole('textbox', { name: `${Q1} — Your hidden answer` });
const partnerState = (page: Page) => prompt(page, Q1).locator('[data-partner-state]');

describe('reveal together in two browsers', () => {
  const env = useBrowserAndServer();

  it('[REV1][REV3][REV4][REV5][REV6][REV8][REV9][SUGG1][SUGG2][SUGG3] hidden answers, revealed at once, "me too" in the common ground; a suggestion taken by its seat', async () => {
    const anaContext = await newPartnerContext(env.browser, env.server.url, { width: 1200, colorScheme: 'light' });
    const benContext = await newPartnerContext(env.browser, env.server.url, { width: 360, colorScheme: 'light' });
    const ana = await anaContext.newPage();
    const ben = await benContext.newPage();
    const link = await startBoardInUi(ana, 'Ana', 'Mentor');
    await joinBoardInUi(ben, link, 'Ben');
    await ana.getByTestId('presence-mentee').filter({ hasText: 'online' }).waitFor();

    // [REV1] Ana switches the first question; Ben's page follows.
    await prompt(ana, Q1).getByRole('button', { name: 'Reveal together' }).click();
    await hiddenAnswer(ben).waitFor();
    await hiddenAnswer(ana).waitFor();

    // [REV3][REV5] Both write; each page shows only "is writing…" for the other, and "Saved".
    const secret = 'Left teaching for tech\nLove long walks';
    await hiddenAnswer(ana).fill(secret);
    await prompt(ana, Q1).getByText('Saved', { exact: true }).waitFor();
    await expect.poll(() => partnerState(ben).textContent()).toBe('Ana is writing…');
    await hiddenAnswer(ben).fill('I wanted to build games\nlove long walks too');
    await expect.poll(() => partnerState(ana).textContent()).toBe('Ben is writing…');
    expect(await ben.content()).not.toContain('Left teaching');

    // [REV4] Ana presses reveal and waits; Ben sees only that she is ready.
    await prompt(ana, Q1).getByRole('button', { name: 'Reveal', exact: true }).click();
    await prompt(ana, Q1).getByText('Waiting for Ben to press reveal.').waitFor();
    await expect.poll(() => partnerState(ben).textContent()).toBe('Ana is ready to reveal');
    expect(await ben.content()).not.toContain('Left teaching');
    await prompt(ben, Q1).scrollIntoViewIfNeeded();
    await prompt(ben, Q1).screenshot({ path: path.join(SCREENSHOT_DIR, 'reveal-waiting-phone.png') });

    // [REV6] Ben presses reveal: both answers, side by side, on both pages.
    await prompt(ben, Q1).getByRole('button', { name: 'Reveal', exact: true }).click();
    for (const page of [ana, ben]) {
      await prompt(page, Q1).getByText('Left teaching for tech', { exact: true }).waitFor();
      await prompt(page, Q1).getByText('I wanted to build games', { exact: true }).waitFor();
    }

    // [REV8][REV9] Ben marks a line of Ana's answer; the common ground shows it to both.
    await prompt(ben, Q1).getByRole('button', { name: 'Me too: Left teaching for tech' }).click();
    await prompt(ana, Q1).getByText('✓ Ben: me too').waitFor();
    for (const page of [ana, ben]) {
      const strip = page.getByRole('region', { name: 'Common ground' });
      await expect.poll(() => strip.textContent()).toContain('You both: left teaching for tech');
    }
    await prompt(ana, Q1).screenshot({ path: path.join(SCREENSHOT_DIR, 'reveal-together.png') });
    await ben.getByRole('region', { name: 'Common ground' }).screenshot({ path: path.join(SCREENSHOT_DIR, 'common-ground-phone.png') });

    // [SUGG1][SUGG2][SUGG3] Ana's own answer becomes a suggestion for her focus field, only for her.
    await myAnswer(ana, FEW_YEARS).fill('Writing a book about teaching');
    await openSection(ana, 'Agreement');
    await openSection(ben, 'Agreement');
    const offer = ana.getByRole('button', { name: 'Add to What the mentor wants to focus on: Writing a book about teaching' });
    await offer.waitFor();
    await ben.getByRole('textbox', { name: 'Mentor: what do you want to focus on in this relationship?' }).waitFor();
    expect(await ben.locator('[data-suggestion="mentor-focus"]').count()).toBe(0);
    await ana.locator('[data-suggestion="mentor-focus"]').screenshot({ path: path.join(SCREENSHOT_DIR, 'agreement-suggestion.png') });
    await offer.click();
    await expect
      .poll(() => ben.getByRole('textbox', { name: 'Mentor: what do you want to focus on in this relationship?' }).inputValue())
      .toBe('Writing a book about teaching');
    await expect.poll(() => ana.locator('[data-suggestion="mentor-focus"]').count()).toBe(0);

    await Promise.all([anaContext.close(), benContext.close()]);
  });
});
