import fs from 'node:fs';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { announced, recordAnnouncements } from '../helpers/axe.ts';
import { joinBoardInUi, newPartnerContext, openSection, screenshot, startBoardInUi, useBrowserAndServer } from '../helpers/browser.ts';

const env = useBrowserAndServer();
const contexts: BrowserContext[] = [];
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
});

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const path = (page: Page) => page.getByRole('region', { name: /^(Before your partner joins|Meeting \d)/ });

async function context(options: Parameters<typeof newPartnerContext>[2] = {}) {
  const c = await newPartnerContext(env.browser, env.server.url, options);
  contexts.push(c);
  return c.newPage();
}

describe('guidance: the meeting has a shape', () => {
  it('[GUIDE1][GUIDE2][GUIDE5][GUIDE6][GUIDE7][GUIDE8][GUIDE9][GUIDE10][GUIDE11][GUIDE17] path, agenda, action items carried to meeting 2, .ics, undo, a goal marked done and reopened', async () => {
    const ana = await context();
    const ben = await context();
    await recordAnnouncements(ana);
    await recordAnnouncements(ben);
    const link = await startBoardInUi(ana, 'Ana', 'Mentor');

    // Before Ben joins: the path says what to do, and nothing can end or redirect the meeting.
    await path(ana).getByRole('heading', { name: 'Before your partner joins' }).waitFor();
    expect(await path(ana).locator('[aria-current="step"]').textContent()).toContain('Share the link');
    expect(await button(ana, 'Call it a day').count()).toBe(0);
    expect(await button(ana, 'Make this meeting goal-free?').count()).toBe(0);

    // Ben's first visit: every script the board page loads before it is live (first-load JS).
    const scripts = new Map<string, Promise<Buffer | null>>();
    ben.on('response', (r) => {
      if (r.request().resourceType() === 'script')
        scripts.set(
          r.url(),
          r.body().catch(() => null)
        );
    });
    await joinBoardInUi(ben, link, 'Ben');
    let gz = 0;
    for (const [url, pending] of scripts) {
      const body = await pending;
      if (!body) continue;
      const size = zlib.gzipSync(body, { level: 9 }).byteLength;
      gz += size;
      if (process.env.GUIDE_JS_DETAIL) console.log(`${(size / 1024).toFixed(1)} KB ${url.split('/').pop()}`);
    }
    console.log(`board page first-load JS: ${(gz / 1024).toFixed(1)} KB gzipped in ${scripts.size} files`);
    // The ≤ 100 KB budget itself is owned by firstLoadBudget.test.ts [WEIGHT1][WEIGHT2].

    // Meeting 1: a welcome for the mentee, the six questions first; now the controls are offered.
    await path(ben).getByRole('heading', { name: 'Meeting 1: getting to know each other' }).waitFor();
    await path(ben)
      .getByText(/^Welcome! Ana set up this board/)
      .waitFor();
    expect(await path(ben).locator('[aria-current="step"]').textContent()).toContain('The six questions');
    await button(ana, 'Call it a day').waitFor();
    await screenshot(ben, 'guidance-path', false);

    // Undo: removing an own question can be taken back, for both.
    await openSection(ana, 'Our questions');
    await ana.getByLabel('Add a question').fill('What is your favourite snack?');
    await ana.getByLabel('Add a question').press('Enter');
    await ben.getByText('What is your favourite snack?').first().waitFor();
    await ana.getByRole('button', { name: 'Remove “What is your favourite snack?”' }).click();
    await expect.poll(() => ben.getByText('What is your favourite snack?').count()).toBe(0);
    await button(ana, 'Undo').click();
    await ben.getByText('What is your favourite snack?').first().waitFor();

    // [GUIDE17] A goal marked done, and reopened, by either partner; the other hears it.
    const hears = (page: Page, text: string) =>
      expect.poll(async () => (await announced(page)).some((said) => said.includes(text)), { message: `announced “${text}”` }).toBe(true);
    await openSection(ana, 'Goals');
    await button(ana, 'Add a goal').click();
    await ana.getByLabel('Goal 1 in a line').fill('Give a lightning talk');
    await openSection(ben, 'Goals');
    await ben.getByRole('heading', { name: 'Give a lightning talk' }).waitFor();
    await ana.getByRole('button', { name: /^Mark done\W+Give a lightning talk$/ }).click();
    await hears(ben, 'Ana marked the goal “Give a lightning talk” done.');
    await ben.getByText(/✓ Done/).waitFor();
    await ben.getByRole('button', { name: /^Reopen\W+Give a lightning talk$/ }).click();
    await hears(ana, 'Ben reopened the goal “Give a lightning talk”.');
    await ana.getByRole('button', { name: /^Mark done\W+Give a lightning talk$/ }).waitFor();
    expect((await announced(ana)).some((said) => said.includes('Ana marked'))).toBe(false); // never told of one's own change
    await ana.getByRole('button', { name: /^Mark done\W+Give a lightning talk$/ }).click();
    await ben.getByText(/✓ Done/).waitFor();

    // Call it a day, both vibe checks.
    await button(ana, 'Call it a day').click();
    await button(ben, 'Agree').click();
    for (const [page, word] of [
      [ana, /Good/],
      [ben, /Great/]
    ] as const) {
      await page.getByRole('radio', { name: word }).check();
      await button(page, 'Share my vibe').click();
    }
    await ana.getByRole('heading', { name: 'Meeting 1 summary' }).waitFor();

    // Next steps: an action item for Ben, and the next meeting's date.
    await ana.getByLabel('New action item').fill('Write the talk outline');
    await ana.getByLabel('Who does it').selectOption('mentee');
    await button(ana, 'Add action item').click();
    await ben.getByText('Write the talk outline').first().waitFor();
    await ana.getByLabel('Date', { exact: true }).fill('2026-12-09');
    await ana.getByLabel('Time', { exact: true }).fill('16:00');
    await button(ana, 'Save the date').click();
    await ben.getByTestId('next-meeting-when').waitFor();
    const [download] = await Promise.all([ben.waitForEvent('download'), button(ben, 'Add to calendar (.ics)').click()]);
    expect(download.suggestedFilename()).toBe('pairboard-meeting-2.ics');
    const ics = fs.readFileSync((await download.path())!, 'utf8');
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = ics.replace(/\r\n /g, '').split('\r\n');
    expect(lines).toContain('BEGIN:VEVENT');
    expect(lines.find((l) => l.startsWith('UID:'))).toMatch(/^UID:[A-Za-z0-9_-]{22}-meeting-2@pairboard$/);
    expect(lines.find((l) => l.startsWith('DTSTAMP:'))).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
    // The context's zone is the machine's: compare with the instant the page chose.
    const start = await ben.evaluate(() =>
      new Date('2026-12-09T16:00')
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '')
    );
    expect(lines).toContain(`DTSTART:${start}`);
    expect(lines).toContain('SUMMARY:Mentoring meeting 2: Ana & Ben');

    // Ben prepares his agenda for meeting 2 from the summary.
    await ben.getByText('Prepare the agenda for meeting 2').click();
    await ben.locator('#agenda-2-check-in').fill('Tired but happy');

    // Meeting 2: the agenda (with Ben's check-in) and last time's action item are on the path.
    await button(ana, 'Start our next meeting').click();
    for (const page of [ana, ben]) await path(page).getByRole('heading', { name: 'Meeting 2', exact: true }).waitFor();
    await path(ana).getByText('Tired but happy').waitFor();
    const carried = (page: Page) => page.getByRole('list', { name: 'Action items from last time' });
    await carried(ana).getByText('Write the talk outline', { exact: true }).waitFor();
    await carried(ben).getByRole('checkbox', { name: 'Write the talk outline' }).check();
    await expect.poll(() => carried(ana).getByRole('checkbox', { name: 'Write the talk outline' }).isChecked()).toBe(true);
    await path(ana).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(ana, 'guidance-meeting-2', false);

    // The 12 weeks at a glance, with its text equivalent.
    await openSection(ana, 'Meetings');
    const summary = ana.getByTestId('chart-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('1 meeting logged, in week 1. Vibe checks out of 5, meeting by meeting: Ana 4; Ben 5.');
    await summary.scrollIntoViewIfNeeded();
    await screenshot(ana, 'guidance-chart', false);

    // Dark and phone views of the same board, for a look.
    const anaDark = await context({ colorScheme: 'dark' });
    const benPhone = await context({ width: 360 });
    // Fresh profiles have no seat: reuse the seated ones' cookies.
    await anaDark.context().addCookies(await ana.context().cookies());
    await benPhone.context().addCookies(await ben.context().cookies());
    await anaDark.goto(link);
    await path(anaDark).getByRole('heading', { name: 'Meeting 2', exact: true }).waitFor();
    await screenshot(anaDark, 'guidance-path-dark', false);
    await openSection(anaDark, 'Meetings');
    await anaDark.getByTestId('chart-summary').scrollIntoViewIfNeeded();
    await screenshot(anaDark, 'guidance-chart-dark', false);
    await benPhone.setViewportSize({ width: 360, height: 740 });
    await benPhone.goto(link);
    await path(benPhone).getByRole('heading', { name: 'Meeting 2', exact: true }).waitFor();
    await path(benPhone).scrollIntoViewIfNeeded();
    await screenshot(benPhone, 'guidance-path-phone', false);
    await openSection(benPhone, 'Meetings');
    await benPhone.getByTestId('chart-summary').scrollIntoViewIfNeeded();
    await screenshot(benPhone, 'guidance-chart-phone', false);
  });
});
