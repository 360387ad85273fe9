import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { joinBoardInUi, newPartnerContext, openSection, SCREENSHOT_DIR, startBoardInUi, useBrowserAndServer } from '../helpers/browser.ts';

const Q1 = 'Why did you decide to enter the tech industry\\?';
const Q1_ID = 'why-tech';
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });
const myAnswer = (page: Page) => page.getByRole('textbox', { name: new RegExp(`${Q1} — Your answer`) });

describe('time capsule in two browsers', () => {
  const env = useBrowserAndServer();

  it('[CAPS1][CAPS3][CAPS4][CAPS5] meeting 1 is kept as it was; in meeting 2 the capsule shows then beside now, a reflection, and the Markdown', async () => {
    const anaContext = await newPartnerContext(env.browser, env.server.url, { width: 1200 });
    const benContext = await newPartnerContext(env.browser, env.server.url, { width: 360 });
    const ana = await anaContext.newPage();
    const ben = await benContext.newPage();
    const link = await startBoardInUi(ana, 'Ana', 'Mentor');
    await joinBoardInUi(ben, link, 'Ben');
    await ana.getByTestId('presence-mentee').filter({ hasText: 'online' }).waitFor();

    // Meeting 1: answers, a goal, call it a day, vibe checks.
    await myAnswer(ana).fill('A teacher showed me a dancing robot.');
    await myAnswer(ben).fill('I wanted to build games.');
    await button(ana, 'Add a goal').click();
    await ana.getByRole('textbox', { name: 'Goal 1 in a line' }).fill('Give a meetup talk');
    await expect.poll(() => ben.getByRole('textbox', { name: 'Goal 1 in a line' }).inputValue()).toBe('Give a meetup talk');
    await button(ana, 'Call it a day').click();
    await button(ben, 'Agree').click();
    await heading(ana, 'Vibe check').waitFor();
    await heading(ben, 'Vibe check').waitFor();
    await ana.getByRole('radio', { name: /Good/ }).check();
    await button(ana, 'Share my vibe').click();
    await ben.getByRole('radio', { name: /Great/ }).check();
    await button(ben, 'Share my vibe').click();
    for (const page of [ana, ben]) await page.getByRole('region', { name: 'Meeting 1 summary' }).waitFor();

    // Meeting 2: the answers and the goal change.
    await button(ben, 'Start our next meeting').click();
    for (const page of [ana, ben]) await button(page, 'Call it a day').waitFor();
    await myAnswer(ana).fill('A dancing robot, and later the people I met.');
    await ana.getByRole('textbox', { name: 'Goal 1 in a line' }).fill('Give two meetup talks');

    // The capsule: the old answers beside the new ones, for both.
    await openSection(ana, 'Meetings');
    await button(ana, 'Open the time capsule').click();
    const capsule = ana.getByTestId('time-capsule');
    await expect.poll(() => capsule.getByTestId(`capsule-then-mentor-${Q1_ID}`).textContent()).toBe('A teacher showed me a dancing robot.');
    await expect.poll(() => capsule.getByTestId(`capsule-now-mentor-${Q1_ID}`).textContent()).toBe('A dancing robot, and later the people I met.');
    expect(await capsule.getByTestId(`capsule-then-mentee-${Q1_ID}`).textContent()).toBe('I wanted to build games.');
    await capsule.getByText('Give a meetup talk', { exact: true }).waitFor();
    await capsule.getByText('Give two meetup talks', { exact: true }).waitFor();

    // Ana writes what changed; Ben sees it in his capsule.
    await ana.getByLabel(/What changed in how you would answer these today\?/).fill('People matter more to me now.');
    await openSection(ben, 'Meetings');
    await button(ben, 'Open the time capsule').click();
    await ben.getByTestId('time-capsule').getByText('People matter more to me now.').waitFor();
    await expect.poll(() => ben.getByTestId(`capsule-then-mentor-${Q1_ID}`).textContent()).toBe('A teacher showed me a dancing robot.');

    // One Markdown page with both.
    const [download] = await Promise.all([ana.waitForEvent('download'), button(ana, 'Download the time capsule (Markdown)').click()]);
    const markdown = fs.readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^pairboard-time-capsule-\d{4}-\d{2}-\d{2}\.md$/);
    expect(markdown).toContain('# Time capsule — Ana (mentor) & Ben (mentee)');
    expect(markdown).toContain('> A teacher showed me a dancing robot.');
    expect(markdown).toContain('> A dancing robot, and later the people I met.');
    expect(markdown).toContain('- Give a meetup talk');
    expect(markdown).toContain('> People matter more to me now.');
    expect(markdown).toMatch(/- First \(meeting 1, [\d-]+\): Ana 4\/5, Ben 5\/5/);

    await ana.getByTestId('time-capsule').scrollIntoViewIfNeeded();
    await ana.getByTestId('time-capsule').screenshot({ path: path.join(SCREENSHOT_DIR, 'time-capsule.png') });
    await ben.getByTestId('time-capsule').screenshot({ path: path.join(SCREENSHOT_DIR, 'time-capsule-phone.png') });
    await Promise.all([anaContext.close(), benContext.close()]);
  });
});
