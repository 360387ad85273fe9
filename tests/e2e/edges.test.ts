import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startServer } from '../helpers/server.ts';
import {
  chooseFromBoardMenu,
  joinBoardInUi,
  myAnswer,
  newPartnerContext,
  openSection,
  partnerAnswer,
  startBoardInUi,
  useBrowserAndServer
} from '../helpers/browser.ts';

const Q1 = 'Why did you decide to enter the tech industry?';

/** Everything a page reports about its Content-Security-Policy: console errors and violation events. */
async function watchCsp(context: BrowserContext): Promise<{ violations: string[]; page: Page }> {
  const violations: string[] = [];
  // Injected through the devtools protocol, so the CSP under test does not apply to it.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    const text = message.text();
    if (process.env.EDGES_DEBUG) console.log('PAGE', message.type(), text);
    if (/Content.Security.Policy|CSP violation|Refused to (load|execute|apply|connect|frame)/i.test(text)) violations.push(text);
  });
  page.on('pageerror', (error) => {
    if (/Content.Security.Policy/i.test(error.message)) violations.push(error.message);
  });
  return { violations, page };
}

describe('the app under its Content-Security-Policy', () => {
  const env = useBrowserAndServer();

  it('[EDGE8][EDGE9] the main flow in two browsers runs with no CSP violation; a cached deleted board shows the friendly page', async () => {
    const anaContext = await newPartnerContext(env.browser, env.server.url);
    const benContext = await newPartnerContext(env.browser, env.server.url, { colorScheme: 'dark' });
    const { violations: anaViolations, page: ana } = await watchCsp(anaContext);
    const { violations: benViolations, page: ben } = await watchCsp(benContext);

    // The page's own policy is what the browser enforced.
    const documents: Array<Record<string, string>> = [];
    ana.on('response', (response) => {
      if (response.request().resourceType() === 'document') void response.allHeaders().then((h) => documents.push(h));
    });
    const link = await startBoardInUi(ana, 'Ana', 'Mentor');
    await joinBoardInUi(ben, link, 'Ben');
    await ana.getByTestId('presence-mentee').filter({ hasText: 'online' }).waitFor();
    await myAnswer(ana, Q1).click();
    await myAnswer(ana, Q1).pressSequentially('Robots.', { delay: 10 });
    await expect.poll(() => partnerAnswer(ben, Q1, 'Ana').textContent()).toBe('Robots.');

    // The lazily loaded sections (Connect Four's cells use style: directives).
    await openSection(ana, 'Games');
    await openSection(ben, 'Games');
    const games = (page: Page) => page.getByRole('region', { name: 'Games' });
    await games(ana).getByRole('form', { name: 'Connect Four' }).getByRole('button', { name: 'Propose Connect Four' }).click();
    await games(ben).getByRole('button', { name: 'Accept' }).click();
    await games(ana).getByRole('heading', { name: 'Connect Four', level: 3 }).waitFor();
    await games(ben).getByRole('heading', { name: 'Connect Four', level: 3 }).waitFor();

    // The inline theme script (allowed by its hash) applies a saved theme on load.
    await ben.getByLabel('Colour theme').selectOption('light');
    await ben.reload();
    await ben.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    expect(await ben.evaluate(() => document.documentElement.dataset.theme)).toBe('light');

    // Ben's browser has the page cached with its ETag; after the delete, opening the link again
    // revalidates it: he must get the friendly page (410), not a bare 304/410 and the browser's own error.
    await chooseFromBoardMenu(ana, 'Delete the board…');
    await ana.getByRole('button', { name: 'Delete for good' }).click();
    await ben.getByRole('heading', { name: 'This board was deleted' }).waitFor();
    const again = await ben.goto(link);
    expect(again!.status()).toBe(410);
    await ben.getByRole('heading', { name: 'This board was deleted' }).waitFor();

    const csp = documents[0]?.['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self' 'sha256-/);
    expect(/script-src [^;]*/.exec(csp)?.[0]).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(documents[0]?.['referrer-policy']).toBe('no-referrer');
    expect(anaViolations).toEqual([]);
    expect(benViolations).toEqual([]);
    await anaContext.close();
    await benContext.close();
  });

  it('[EDGE3] a refused board creation says so on the page, with when to try again', async () => {
    const server = await startServer({ withWeb: true, env: { RATE_LIMIT_BOARDS_PER_HOUR: '1' } });
    const context = await newPartnerContext(env.browser, server.url);
    try {
      const page = await context.newPage();
      await startBoardInUi(page, 'Ana', 'Mentor');
      await page.goto('/');
      await page.getByLabel('Your name').fill('Ana');
      await page.getByRole('button', { name: 'Start a board' }).click();
      await page.getByText(/Many boards were started from your network in the last hour\. Please try again in \d+ minutes\./).waitFor();
      expect(page.url()).toBe(`${server.url}/`);
    } finally {
      await context.close();
      await server.stop();
    }
  });
});
