/**
 * The board page's first-load JS, gzipped, read from the build output (no browser, no clock): the
 * scripts a browser must fetch before the board can be live. That is kit's entry, the root layout's
 * and root error page's nodes and the board route's node, each with every chunk it imports statically, plus the few
 * dynamic imports the board awaits before it connects (BOARD_CRITICAL_DYNAMIC). Gzip level 9, file
 * by file, as tests/bench/browserBench.ts counts the scripts Chromium receives.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const WEB = path.resolve(import.meta.dirname, '../../web');
const CLIENT_OUT = path.join(WEB, '.svelte-kit/output/client');
const NODES_SRC = path.join(WEB, '.svelte-kit/generated/client-optimized/nodes');

/**
 * Loaded on demand, yet before the board is live: [OFF2] the local copy (y-indexeddb) is read
 * before the documents connect, so what was typed offline goes out in the first sync.
 */
export const BOARD_CRITICAL_DYNAMIC = [/node_modules\/.*y-indexeddb\//];

type ManifestChunk = { file: string; src?: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] };

export type FirstLoadJs = { gzipBytes: number; rawBytes: number; files: Array<{ file: string; gzipBytes: number }> };

/** The client node (…/nodes/N.js) whose component is the given route file, e.g. `b/[id]/+page.svelte`. */
function nodeOf(routeFile: string): string {
  for (const name of fs.readdirSync(NODES_SRC)) {
    const source = fs.readFileSync(path.join(NODES_SRC, name), 'utf8');
    if (source.includes(`/src/routes/${routeFile}"`)) return `.svelte-kit/generated/client-optimized/nodes/${name}`;
  }
  throw new Error(`no client node renders src/routes/${routeFile}: run \`pnpm build\` first`);
}

export function boardFirstLoadJs(): FirstLoadJs {
  const manifestFile = path.join(CLIENT_OUT, '.vite/manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error('the web build is missing: run `pnpm build` first');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
  const roots = [
    ...Object.keys(manifest).filter((key) => manifest[key]!.file.startsWith('_app/immutable/entry/')),
    nodeOf('+layout.svelte'),
    // Kit's client fetches the root error page along with the root layout, whatever the route.
    nodeOf('+error.svelte'),
    nodeOf('b/[id]/+page.svelte')
  ];
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`manifest has no ${key}`);
    seen.add(key);
    for (const imported of chunk.imports ?? []) visit(imported);
    for (const dynamic of chunk.dynamicImports ?? []) if (BOARD_CRITICAL_DYNAMIC.some((pattern) => pattern.test(dynamic))) visit(dynamic);
  };
  roots.forEach(visit);

  const files = [...seen].map((key) => {
    const file = manifest[key]!.file;
    const body = fs.readFileSync(path.join(CLIENT_OUT, file));
    return { file, rawBytes: body.byteLength, gzipBytes: zlib.gzipSync(body, { level: 9 }).byteLength };
  });
  files.sort((a, b) => b.gzipBytes - a.gzipBytes);
  return {
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
    rawBytes: files.reduce((sum, f) => sum + f.rawBytes, 0),
    files: files.map(({ file, gzipBytes }) => ({ file, gzipBytes }))
  };
}
