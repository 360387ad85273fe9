import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { joinBoardInUi, launchBrowser, myAnswer, newPartnerContext, partnerAnswer, startBoardInUi } from '../helpers/browser.ts';

/**
 * The main flow in two real browsers through HAProxy in front of two nodes on one Postgres
 * (tests/helpers/cluster.ts): every page, REST call and socket of the board goes through the
 * proxy, which must send them all to the node holding the board's lease.
 */

const Q1 = 'Why did you decide to enter the tech industry?';
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });
const live = (page: Page, timeout?: number) =>
  page
    .getByTestId('connection')
    .filter({ hasText: 'Live' })
    .waitFor(timeout ? { timeout } : {});

describe('two browsers through HAProxy, two nodes on Postgres', () => {
  let browser: Browser;
  let cluster: TestCluster;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ store: 'postgres' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await cluster?.stop();
  });

  it('[LEASE1][LEASE7][LEASE8] create, join, type live, vote, reload; the board goes on after its node is killed', async () => {
    const anaContext = await newPartnerContext(browser, cluster.url);
    const benContext = await newPartnerContext(browser, cluster.url);
    contexts.push(anaContext, benContext);
    const ana = await anaContext.newPage();
    const ben = await benContext.newPage();

    const link = await startBoardInUi(ana, 'Ana', 'Mentor');
    expect(link.startsWith(cluster.url)).toBe(true);
    await joinBoardInUi(ben, link, 'Ben');
    await ana.getByTestId('presence-mentee').filter({ hasText: 'online' }).waitFor();
    await ben.getByTestId('presence-mentor').filter({ hasText: 'online' }).waitFor();
    const boardId = new URL(link).pathname.split('/').at(-1)!;
    // Both browsers' sockets are on the node holding the lease.
    const lease = await cluster.leaseOf(boardId);
    expect(lease).toMatchObject({ live: true });
    const owner = cluster.nodes.find((n) => n.id === lease!.nodeId)!;
    const other = cluster.nodes.find((n) => n !== owner)!;
    // Each page holds the board's Yjs sockets and one Socket.IO socket, all on the owner.
    await expect.poll(async () => (await owner.health()).connections.socketio, { timeout: 5_000 }).toBe(2);
    expect((await owner.health()).connections.yjs).toBeGreaterThanOrEqual(2);
    expect((await other.health()).connections).toEqual({ yjs: 0, socketio: 0 });

    // Keystroke by keystroke, through the proxy.
    await myAnswer(ana, Q1).click();
    await myAnswer(ana, Q1).pressSequentially('A teacher showed me a dancing robot.', { delay: 15 });
    await expect.poll(() => partnerAnswer(ben, Q1, 'Ana').textContent()).toBe('A teacher showed me a dancing robot.');

    // A goal in the shared document, then the goal veto: one veto is enough.
    await button(ana, 'Add a goal').click();
    await ana.getByRole('textbox', { name: 'Goal 1 in a line' }).fill('Give my first meetup talk by June');
    await expect.poll(() => ben.getByRole('textbox', { name: 'Goal 1 in a line' }).inputValue()).toBe('Give my first meetup talk by June');
    await button(ana, 'Make this meeting goal-free?').click();
    await heading(ben, 'Make this meeting goal-free?').waitFor();
    await button(ana, 'Yes, go goal-free').click();
    await ben.getByText('Ana has voted.').filter({ visible: true }).first().waitFor();
    await button(ben, 'Keep our goals').click();
    for (const page of [ana, ben]) await heading(page, 'Goal-free meeting').waitFor();

    // Reload: the page, its REST calls and its sockets come back through the proxy to the same node.
    await ben.reload();
    await live(ben);
    await heading(ben, 'Goal-free meeting').waitFor();
    await expect.poll(() => partnerAnswer(ben, Q1, 'Ana').textContent()).toBe('A teacher showed me a dancing robot.');

    // The node serving the board dies: both pages go on, on the other node, by themselves.
    await owner.kill();
    await live(ana, 40_000);
    await live(ben, 40_000);
    await myAnswer(ana, Q1).press('End');
    await myAnswer(ana, Q1).pressSequentially(' Still here.', { delay: 10 });
    await expect.poll(() => partnerAnswer(ben, Q1, 'Ana').textContent(), { timeout: 40_000 }).toBe('A teacher showed me a dancing robot. Still here.');
    expect(await cluster.leaseOf(boardId)).toMatchObject({ nodeId: other.id, live: true });
    await ana.reload();
    await live(ana);
    await heading(ana, 'Goal-free meeting').waitFor();
  });
});
