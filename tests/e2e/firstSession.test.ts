import { describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.ts';
import { joinBoardInUi, myAnswer, newPartnerContext, partnerAnswer, screenshot, startBoardInUi, useBrowserAndServer } from '../helpers/browser.ts';

const Q1 = 'Why did you decide to enter the tech industry?';
const Q6 = 'Where might someone find you outside of work?';

describe('first session in two browsers', () => {
  const env = useBrowserAndServer();

  it('[SEAT1][SEAT2][DOC1][PERS2] create, share, join, type live in both, reload, restart, third is refused', async () => {
    const anaContext = await newPartnerContext(env.browser, env.server.url);
    const benContext = await newPartnerContext(env.browser, env.server.url, { width: 390, colorScheme: 'dark' });
    const ana = await anaContext.newPage();
    const ben = await benContext.newPage();

    const link = await startBoardInUi(ana, 'Ana', 'Mentor');
    await ana.getByRole('button', { name: 'Copy link' }).click();
    expect(await ana.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await screenshot(ana, 'waiting-for-partner');

    await ben.goto(link);
    await expect.poll(() => ben.getByText('is waiting for you').textContent()).toContain('Ana');
    await joinBoardInUi(ben, link, 'Ben');

    await ana.getByTestId('presence-mentee').filter({ hasText: 'online' }).waitFor();
    await ben.getByTestId('presence-mentor').filter({ hasText: 'online' }).waitFor();

    // Keystroke by keystroke, both ways at once.
    await myAnswer(ana, Q1).click();
    await myAnswer(ana, Q1).pressSequentially('A teacher showed me how to make a robot dance.', { delay: 15 });
    await myAnswer(ben, Q1).click();
    await myAnswer(ben, Q1).pressSequentially('I wanted to build games.', { delay: 15 });
    await expect.poll(() => partnerAnswer(ben, Q1, 'Ana').textContent()).toBe('A teacher showed me how to make a robot dance.');
    await expect.poll(() => partnerAnswer(ana, Q1, 'Ben').textContent()).toBe('I wanted to build games.');
    await myAnswer(ana, Q6).fill('On a climbing wall, or in the kitchen.');
    await myAnswer(ben, Q6).fill('Walking my dog by the river.');
    await expect.poll(() => partnerAnswer(ana, Q6, 'Ben').textContent()).toBe('Walking my dog by the river.');
    await expect.poll(() => partnerAnswer(ben, Q6, 'Ana').textContent()).toBe('On a climbing wall, or in the kitchen.');

    // The partner's answer is shown, never editable.
    expect(await partnerAnswer(ben, Q1, 'Ana').getAttribute('aria-readonly')).toBe('true');
    await screenshot(ana, 'board');
    await screenshot(ben, 'board-phone-dark');

    // Reload: everything comes back, own field included.
    await ben.reload();
    await ben.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await expect.poll(() => myAnswer(ben, Q1).inputValue()).toBe('I wanted to build games.');
    await expect.poll(() => partnerAnswer(ben, Q1, 'Ana').textContent()).toBe('A teacher showed me how to make a robot dance.');

    // Restart the server on the same port and data: the pages reconnect by themselves.
    await env.server.stop();
    await ana.getByTestId('connection').filter({ hasText: 'Offline' }).waitFor();
    env.server = await startServer({ dataDir: env.server.dataDir, port: env.server.port, withWeb: true });
    await ana.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
    await ben.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
    await myAnswer(ana, Q1).press('End');
    await myAnswer(ana, Q1).pressSequentially(' Still here.', { delay: 10 });
    await expect.poll(() => partnerAnswer(ben, Q1, 'Ana').textContent()).toBe('A teacher showed me how to make a robot dance. Still here.');
    await ana.reload();
    await expect.poll(() => partnerAnswer(ana, Q6, 'Ben').textContent()).toBe('Walking my dog by the river.');

    // A third browser with the link: a friendly refusal and none of the board's words.
    const cyContext = await newPartnerContext(env.browser, env.server.url);
    const cy = await cyContext.newPage();
    await cy.goto(link);
    await cy.getByRole('heading', { name: 'This board already has its two partners' }).waitFor();
    const content = await cy.content();
    expect(content).not.toContain('robot');
    expect(content).not.toContain('Ana');
    await screenshot(cy, 'board-full');

    await Promise.all([anaContext.close(), benContext.close(), cyContext.close()]);
  });

  it('[DOC3][PRES1] a partner who drops offline keeps typing and converges; presence is honest', async () => {
    const anaContext = await newPartnerContext(env.browser, env.server.url);
    const benContext = await newPartnerContext(env.browser, env.server.url);
    const ana = await anaContext.newPage();
    const ben = await benContext.newPage();
    const link = await startBoardInUi(ana, 'Ana', 'Mentee');
    await joinBoardInUi(ben, link, 'Ben');
    await ana.getByTestId('presence-mentor').filter({ hasText: 'online' }).waitFor();

    await benContext.setOffline(true);
    await ben.getByTestId('connection').filter({ hasText: 'Offline' }).waitFor();
    await myAnswer(ben, Q1).fill('Typed on a train with no signal.');
    await ana.getByTestId('presence-mentor').filter({ hasText: 'away' }).waitFor({ timeout: 20_000 });
    await benContext.setOffline(false);
    await ben.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => partnerAnswer(ana, Q1, 'Ben').textContent(), { timeout: 15_000 }).toBe('Typed on a train with no signal.');
    await ana.getByTestId('presence-mentor').filter({ hasText: 'online' }).waitFor();

    // Closing the tab shows the partner as away within seconds.
    await ben.close();
    await ana.getByTestId('presence-mentor').filter({ hasText: 'away' }).waitFor({ timeout: 15_000 });
    await Promise.all([anaContext.close(), benContext.close()]);
  });

  it('[DOC3] my caret does not jump when my own text changes elsewhere (a second tab)', async () => {
    const context = await newPartnerContext(env.browser, env.server.url);
    const tabA = await context.newPage();
    await startBoardInUi(tabA, 'Ana', 'Mentor');
    const tabB = await context.newPage();
    await tabB.goto(tabA.url());
    await tabB.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();

    const Q3 = 'Where do you see yourself in a few years?';
    await myAnswer(tabA, Q3).click();
    await myAnswer(tabA, Q3).pressSequentially('world', { delay: 10 });
    await expect.poll(() => myAnswer(tabB, Q3).inputValue()).toBe('world');
    // Tab A's caret rests inside the word ("wor|ld") while tab B types at the very start.
    await myAnswer(tabA, Q3).press('ArrowLeft');
    await myAnswer(tabA, Q3).press('ArrowLeft');
    await myAnswer(tabB, Q3).click();
    await myAnswer(tabB, Q3).press('Control+Home');
    await myAnswer(tabB, Q3).pressSequentially('hello ', { delay: 10 });
    await expect.poll(() => myAnswer(tabA, Q3).inputValue()).toBe('hello world');
    // Tab A's caret moved with its text: the next key lands where the person left it.
    await myAnswer(tabA, Q3).pressSequentially('X', { delay: 10 });
    await expect.poll(() => myAnswer(tabB, Q3).inputValue()).toBe('hello worXld');
    await context.close();
  });
});
