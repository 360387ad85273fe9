import { describe, expect, it } from 'vitest';
import { joinBoardInUi, newPartnerContext, startBoardInUi, useBrowserAndServer } from '../helpers/browser.ts';
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

  it('[WEIGHT2] before the board is live a first-time visitor fetches exactly the scripts counted', async () => {
    const ana = await (await newPartnerContext(env.browser, env.server.url)).newPage();
    const ben = await (await newPartnerContext(env.browser, env.server.url)).newPage();
    const link = await startBoardInUi(ana, 'Ana', 'Mentor');
    const fetched: string[] = [];
    ben.on('request', (request) => {
      if (request.resourceType() === 'script') fetched.push(new URL(request.url()).pathname.replace(/^\//, ''));
    });
    await joinBoardInUi(ben, link, 'Ben');
    const beforeLive = [...new Set(fetched)].sort();
    const counted = boardFirstLoadJs()
      .files.map((f) => f.file)
      .sort();
    expect(beforeLive).toEqual(counted);
    await Promise.all([ana.context().close(), ben.context().close()]);
  });
});
