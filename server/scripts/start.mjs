// `pnpm start`: build the web app if there is no build yet (or it is older than the sources),
// compile the server, then serve everything from one production server on the embedded defaults.
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildServer, SERVER_BUNDLE } from './buildServer.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const built = path.join(root, 'web/build/handler.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const stale =
  !fs.existsSync(built) || fs.statSync(built).mtimeMs < Math.max(newestMtime(path.join(root, 'web/src')), newestMtime(path.join(root, 'shared/src')));
if (stale) {
  console.log('Building the web app…');
  execSync('pnpm --filter @pairboard/web build', { cwd: root, stdio: 'inherit' });
}

// The server is compiled on every start (~50 ms), so what runs is never older than its sources.
await buildServer();
const server = spawn(process.execPath, ['--enable-source-maps', SERVER_BUNDLE], {
  cwd: root,
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...process.env }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
