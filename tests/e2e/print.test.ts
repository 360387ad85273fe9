import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { joinBoardInUi, myAnswer, newPartnerContext, openSection, SCREENSHOT_DIR, startBoardInUi, useBrowserAndServer } from '../helpers/browser.ts';

const Q1 = 'Why did you decide to enter the tech industry?';
const UNANSWERED = 'Where do you see yourself in a few years?';
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** Whether an element is rendered (has a box) right now. */
const rendered = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) => els.some((el) => (el as HTMLElement).offsetParent !== null || el.getClientRects().length > 0));

describe('print (PRINT)', () => {
  const env = useBrowserAndServer();

  it('[PRINT1][PRINT2][PRINT3][PRINT4] a filled board prints as a document: collapsed answers shown, controls and empty fields hidden, the signed agreement with names and date', async () => {
    const anaContext = await newPartnerContext(env.browser, env.server.url);
    const benContext = await newPartnerContext(env.browser, env.server.url);
    const ana = await anaContext.newPage();
    const ben = await benContext.newPage();
    const link = await startBoardInUi(ana, 'Ana', 'Mentor');
    await joinBoardInUi(ben, link, 'Ben');

    await myAnswer(ana, Q1).fill('A teacher showed me how to make a robot dance.');
    await myAnswer(ben, Q1).fill('I wanted to build games.');
    // An answer inside a charter group that starts collapsed.
    await openSection(ana, 'Charter');
    const group = ana
      .locator('details')
      .filter({ has: ana.getByRole('heading', { name: /Our relationship|Favourites/ }) })
      .first();
    await group.locator('summary').click();
    const hidden = group.getByRole('textbox', { name: /— Your answer/ }).first();
    const hiddenText = 'Honest feedback, kindly given.';
    await hidden.fill(hiddenText);
    await group.locator('summary').click();
    expect(await group.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);

    await openSection(ana, 'Agreement');
    await openSection(ben, 'Agreement');
    await ana.locator('#agreement-meetings').fill('Tuesdays at 4 pm, 45 minutes, on video.');
    await ana.locator('#agreement-meetings').blur();
    await expect.poll(() => ben.locator('#agreement-meetings').inputValue()).toBe('Tuesdays at 4 pm, 45 minutes, on video.');
    await button(ana, 'Sign the agreement').click();
    await button(ben, 'Sign the agreement').click();
    await ana.getByRole('heading', { name: 'Agreed — you have both signed' }).waitFor();

    // Print media: controls gone, answers as text, empty fields and placeholders gone.
    await ana.emulateMedia({ media: 'print' });
    await ana.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    expect(await group.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await ana.getByText(hiddenText, { exact: true }).filter({ visible: true }).count()).toBe(1);
    for (const selector of [
      'button',
      'textarea',
      'nav',
      '[data-testid="connection"]',
      '[data-testid^="presence-"]',
      '[data-testid="toast"]',
      '.picker',
      '[data-announcer]'
    ]) {
      expect(await rendered(ana, selector), selector).toBe(false);
    }
    const printed = await ana.evaluate(() => document.body.innerText);
    expect(printed).toContain('A teacher showed me how to make a robot dance.');
    expect(printed).toContain('I wanted to build games.');
    expect(printed).toContain('Between Ana (mentor) and Ben (mentee).');
    expect(printed).toMatch(/Agreed on \S/);
    expect(printed).toMatch(/Ana \(mentor\)\s+Signed on/);
    expect(printed).toMatch(/Ben \(mentee\)\s+Signed on/);
    // An agreement field nobody wrote prints neither its question nor its example.
    expect(await rendered(ana, '.field.blank')).toBe(false);
    // A prompt nobody answered is left out.
    expect(printed).not.toContain(UNANSWERED);

    // The real thing (still in print media, groups still open): Chromium's PDF, pages 1-2 rendered to PNG with poppler's pdftoppm.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairboard-print-'));
    const pdf = path.join(dir, 'board.pdf');
    await ana.pdf({ path: pdf, format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '12mm', right: '12mm' } });
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', pdf, path.join(dir, 'page')]);
    const pages = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort();
    expect(pages.length).toBe(2);
    pages.forEach((file, i) => fs.copyFileSync(path.join(dir, file), path.join(SCREENSHOT_DIR, `print-${i + 1}.png`)));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    expect(text).toContain(hiddenText);
    expect(text).not.toContain('Copy link');
    expect(text).not.toContain('Delete');
    fs.rmSync(dir, { recursive: true, force: true });

    // After printing, the page is as it was: the group closed again.
    await ana.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    expect(await group.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await ana.emulateMedia({ media: 'screen' });
    await Promise.all([anaContext.close(), benContext.close()]);
  }, 180_000);
});
