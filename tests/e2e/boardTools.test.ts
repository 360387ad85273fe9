import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chooseFromBoardMenu,
  joinBoardInUi,
  myAnswer,
  newPartnerContext,
  partnerAnswer,
  screenshot,
  startBoardInUi,
  useBrowserAndServer
} from '../helpers/browser.ts';

const Q2 = 'How did you get to your current role?';

describe('charter, own prompts, listening, export and delete in two browsers', () => {
  const env = useBrowserAndServer();

  it('[LISTEN1][LISTEN2][OWN1][EXP1][DEL1][DEL2] a pair reflects, adds its own question, exports, then deletes', async () => {
    const anaContext = await newPartnerContext(env.browser, env.server.url);
    const benContext = await newPartnerContext(env.browser, env.server.url);
    const ana = await anaContext.newPage();
    const ben = await benContext.newPage();
    const link = await startBoardInUi(ana, 'Ana', 'Mentor');
    await joinBoardInUi(ben, link, 'Ben');

    // Active listening: Ben answers, Ana writes what she heard, Ben says "that's it".
    await myAnswer(ben, Q2).fill('Support desk, then QA, then a junior dev role.');
    await expect.poll(() => partnerAnswer(ana, Q2, 'Ben').textContent()).toBe('Support desk, then QA, then a junior dev role.');
    await ana.getByRole('textbox', { name: `${Q2} — What I heard in Ben's answer` }).fill('You climbed in from support, step by step.');
    const reflection = ben.getByRole('group', { name: `Ana heard in your answer to: ${Q2}` });
    await expect.poll(() => reflection.textContent()).toContain('You climbed in from support');
    await reflection.getByRole('button', { name: "That's it" }).click();
    await ana.getByText("✓ Ben: that's it").waitFor();

    // The charter: answers per seat, wording per seat where it differs.
    await ana.getByRole('textbox', { name: /^My background — Your answer/ }).fill('Grew up by the sea; studied music.');
    await expect.poll(() => ben.getByRole('textbox', { name: /^My background — Ana's answer/ }).textContent()).toBe('Grew up by the sea; studied music.');

    // The pair's own question, added by Ben, answered by Ana.
    await ben.getByLabel('Add a question').fill('What was your first computer?');
    await ben.getByRole('button', { name: 'Add', exact: true }).click();
    await myAnswer(ana, 'What was your first computer?').fill('A hand-me-down 486.');
    await expect.poll(() => partnerAnswer(ben, 'What was your first computer?', 'Ana').textContent()).toBe('A hand-me-down 486.');
    await screenshot(ana, 'listening-and-own-questions');

    // Export: a Markdown file with both partners' words.
    const [download] = await Promise.all([ana.waitForEvent('download'), chooseFromBoardMenu(ana, 'Export as Markdown')]);
    const markdown = fs.readFileSync((await download.path())!, 'utf8');
    expect(markdown).toContain('Support desk, then QA');
    expect(markdown).toContain('*Ana heard:* You climbed in from support');
    expect(markdown).toContain('A hand-me-down 486.');

    // Delete: confirm, both browsers are told, the link answers 410 with a friendly page.
    await chooseFromBoardMenu(ben, 'Delete the board…');
    await ben.getByRole('button', { name: 'Delete for good' }).click();
    await ana.getByRole('heading', { name: 'This board was deleted' }).waitFor();
    await ben.getByRole('heading', { name: 'This board was deleted' }).waitFor();
    const response = await ana.goto(link);
    expect(response?.status()).toBe(410);
    await ana.getByRole('heading', { name: 'This board was deleted' }).waitFor();
    await screenshot(ana, 'board-deleted');
    await Promise.all([anaContext.close(), benContext.close()]);
  });
});
