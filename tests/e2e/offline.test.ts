import { describe, expect, it } from 'vitest';
import type { Dialog, Page } from 'playwright-core';
import { startServer } from '../helpers/server.ts';
import { chooseFromBoardMenu, joinBoardInUi, myAnswer, newPartnerContext, partnerAnswer, startBoardInUi, useBrowserAndServer } from '../helpers/browser.ts';

const Q1 = 'Why did you decide to enter the tech industry?';
const OFFLINE_TEXT = 'Typed in a tunnel, kept on this device.';

/** The names of this board's IndexedDB databases in the page's browser profile. */
async function localDatabases(page: Page, boardId: string): Promise<string[]> {
  return page.evaluate(async (id) => (await indexedDB.databases()).map((db) => db.name ?? '').filter((name) => name.includes(id)), boardId);
}

/** Waits until the service worker controls the page, then loads it once through the worker. */
async function underServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
}

describe('offline for real', () => {
  const env = useBrowserAndServer();

  it('[OFF1][OFF2][OFF3][OFF4][OFF5] typing offline survives closing the tab, reopens offline, and reaches the partner online', async () => {
    const anaContext = await newPartnerContext(env.browser, env.server.url);
    const benContext = await newPartnerContext(env.browser, env.server.url);
    const ana = await anaContext.newPage();
    const ben = await benContext.newPage();
    const link = await startBoardInUi(ana, 'Ana', 'Mentor');
    const boardId = link.split('/b/')[1]!;
    await joinBoardInUi(ben, link, 'Ben');
    await underServiceWorker(ben);
    await myAnswer(ana, Q1).fill('Ana wrote this online.');
    await expect.poll(() => partnerAnswer(ben, Q1, 'Ana').textContent()).toBe('Ana wrote this online.');

    // [OFF1] Ben's own and the shared document are kept here; Ana's (read-only for Ben) is not.
    await expect.poll(() => localDatabases(ben, boardId).then((names) => names.sort())).toEqual([`pairboard:${boardId}:mentee`, `pairboard:${boardId}:shared`]);

    // Chromium's offline emulation does not hold back the websockets a page opens while offline
    // (the providers' retries), so the server goes away as well: nothing typed can reach it now.
    await env.server.stop();
    await benContext.setOffline(true);
    await ben.getByTestId('connection').filter({ hasText: 'Offline' }).waitFor();
    await myAnswer(ben, Q1).fill(OFFLINE_TEXT);

    // [OFF5] Closing with unacknowledged edits: the browser asks first (dismissed: the page stays).
    const prompted = new Promise<string>((resolve) =>
      ben.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.dismiss();
      })
    );
    await ben.close({ runBeforeUnload: true });
    expect(await prompted).toBe('beforeunload');
    expect(ben.isClosed()).toBe(false);
    await ben.close(); // closed for real, still offline

    // [OFF3][OFF4] Reopened without a network: the app shell comes from the service worker and
    // the board from the local copy, with what was typed offline.
    const reopened = await benContext.newPage();
    await reopened.goto(link);
    await expect.poll(() => myAnswer(reopened, Q1).inputValue()).toBe(OFFLINE_TEXT);
    await reopened.getByTestId('connection').filter({ hasText: 'Offline' }).waitFor();

    // [OFF2] Back online: the edits made offline (and stored across the close) reach the partner.
    env.server = await startServer({ dataDir: env.server.dataDir, port: env.server.port, withWeb: true });
    await benContext.setOffline(false);
    await reopened.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => partnerAnswer(ana, Q1, 'Ben').textContent(), { timeout: 15_000 }).toBe(OFFLINE_TEXT);

    // [OFF5] Once the server has acknowledged everything, closing asks nothing (each try that
    // still asks is dismissed, and the page stays open for the next).
    await expect
      .poll(
        async () => {
          const dismiss = (dialog: Dialog) => void dialog.dismiss();
          reopened.on('dialog', dismiss);
          const closed = reopened.waitForEvent('close', { timeout: 1_000 }).then(
            () => true,
            () => false
          );
          await reopened.close({ runBeforeUnload: true });
          const didClose = await closed;
          reopened.off('dialog', dismiss);
          return didClose;
        },
        { timeout: 15_000 }
      )
      .toBe(true);
    await Promise.all([anaContext.close(), benContext.close()]);
  });

  it('[OFF6] deleting the board erases the local copy in both browsers', async () => {
    const anaContext = await newPartnerContext(env.browser, env.server.url);
    const benContext = await newPartnerContext(env.browser, env.server.url);
    const ana = await anaContext.newPage();
    const ben = await benContext.newPage();
    const link = await startBoardInUi(ana, 'Ana', 'Mentor');
    const boardId = link.split('/b/')[1]!;
    await joinBoardInUi(ben, link, 'Ben');
    await myAnswer(ben, Q1).fill('Soon to be erased.');
    await expect.poll(() => localDatabases(ana, boardId).then((n) => n.length)).toBe(2);
    await expect.poll(() => localDatabases(ben, boardId).then((n) => n.length)).toBe(2);
    expect(await ben.evaluate((id) => localStorage.getItem(`pairboard:board:${id}`) !== null, boardId)).toBe(true);

    await chooseFromBoardMenu(ana, 'Delete the board…');
    await ana.getByRole('button', { name: 'Delete for good' }).click();
    await ben.getByRole('heading', { name: 'This board was deleted' }).waitFor();
    await expect.poll(() => localDatabases(ben, boardId)).toEqual([]);
    await expect.poll(() => localDatabases(ana, boardId)).toEqual([]);
    expect(await ben.evaluate((id) => localStorage.getItem(`pairboard:board:${id}`), boardId)).toBeNull();
    await Promise.all([anaContext.close(), benContext.close()]);
  });
});
