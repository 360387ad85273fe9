import { describe, expect, it } from 'vitest';
import { FIRST_SESSION_QUESTIONS } from '@pairboard/shared';
import { myAnswer, newPartnerContext, startBoardInUi, useBrowserAndServer } from '../helpers/browser.ts';
import { boardFirstLoadJs } from '../helpers/firstLoadJs.ts';

const BUDGET_KB = 100;

describe('the board page loads light', () => {
  it(`[WEIGHT1] first-load JS of the board page is at most ${BUDGET_KB} KB gzipped (from the build output)`, () => {
    const figure = boardFirstLoadJs();
    const kb = figure.gzipBytes / 1024;
    console.log(`board page first-load JS: ${kb.toFixed(1)} KB gzipped in ${figure.files.length} files`);
    if (kb > BUDGET_KB) console.log(figure.files.map((f) => `${(f.gzipBytes / 1024).toFixed(1)} KB ${f.file}`).join('\n'));
    expect(kb, 'board page first-load JS, KB gzipped (largest files listed above)').toBeLessThanOrEqual(BUDGET_KB);
  });

  const env = useBrowserAndServer();

  it('[WEIGHT2] a first-time visitor fetches exactly the scripts counted, and sees the first questions before any other', async () => {
    const ana = await (await newPartnerContext(env.browser, env.server.url)).newPage();
    const ben = await (await newPartnerContext(env.browser, env.server.url)).newPage();
    const link = await startBoardInUi(ana, 'Ana', 'Mentor');
    // Ben's sockets never reach the server: his board renders but never goes live, so what loads
    // "once live" cannot slip into the count by racing the moment it goes live.
    await ben.routeWebSocket(/\/(yjs|socket\.io)\//, () => {});
    const fetched = new Set<string>();
    ben.on('request', (request) => {
      if (request.resourceType() === 'script') fetched.add(new URL(request.url()).pathname.replace(/^\//, ''));
    });
    const counted = boardFirstLoadJs().files.map((f) => f.file);
    await ben.goto(link);
    await ben.getByLabel('Your name').fill('Ben');
    await ben.getByRole('button', { name: 'Join the board' }).click();
    await myAnswer(ben, FIRST_SESSION_QUESTIONS[0]!.text).waitFor();
    await expect.poll(() => counted.filter((file) => !fetched.has(file))).toEqual([]);
    // Two frames more: whatever the board starts loading as it mounts has been asked for by now.
    await ben.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect([...fetched].sort()).toEqual([...counted].sort());
    await Promise.all([ana.context().close(), ben.context().close()]);
  });
});
