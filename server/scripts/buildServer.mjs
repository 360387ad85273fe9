// Compiles the server (and the shared package it imports) into one ES module, `server/dist/index.mjs`,
// which `pnpm start` runs with plain node. Running the sources through tsx in production costs
// memory and CPU on every connection: tsx compiles with esbuild's `keepNames`, which gives each
// closure made per connection or per message its own property store (~4.5 KB per connected board,
// measured with heap snapshots in the bench, issue 13). npm packages stay external (node resolves
// them from server/node_modules, so there is one copy of yjs); workspace code is bundled.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '../..');

/** Bundles `entry` into `outfile`; packages listed in `packageJson`'s dependencies stay imports. */
export async function bundleNodeModule({ entry, outfile, packageJson }) {
  const { dependencies = {} } = JSON.parse(fs.readFileSync(packageJson, 'utf8'));
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    external: Object.keys(dependencies).filter((name) => !name.startsWith('@pairboard/')),
    logLevel: 'warning'
  });
  return outfile;
}

export const SERVER_BUNDLE = path.join(root, 'server/dist/index.mjs');

export function buildServer() {
  return bundleNodeModule({ entry: path.join(root, 'server/src/index.ts'), outfile: SERVER_BUNDLE, packageJson: path.join(root, 'server/package.json') });
}

if (process.argv[1] === import.meta.filename) {
  await buildServer();
  console.log(`Built ${path.relative(root, SERVER_BUNDLE)}`);
}
