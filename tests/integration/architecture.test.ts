import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * [ARCH1–3] The house's walls, read from the import statements themselves: a component never
 * touches Yjs or a socket (the live engine in web/src/lib/realtime does), shared/ is the contract
 * and imports nothing from server/ or web/, and server/ and web/ never import each other.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE = /\.(ts|js|mjs|svelte)$/;

function sourceFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((file) => SOURCE.test(file) && !file.split(path.sep).includes('node_modules'))
    .map((file) => path.join(dir, file));
}

/** Every module specifier a file imports: static, type-only, re-exports and dynamic import(). */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

type Wall = { files: string[]; forbidden: (specifier: string, file: string) => boolean };

/** Files of `files` that import something `forbidden`, as "file → specifier". */
function breaches({ files, forbidden }: Wall): string[] {
  const out: string[] = [];
  for (const file of files) {
    for (const specifier of importsOf(fs.readFileSync(path.join(ROOT, file), 'utf8'))) {
      if (forbidden(specifier, file)) out.push(`${file} → ${specifier}`);
    }
  }
  return out;
}

const LIVE_ENGINE_ONLY = /^(yjs|y-websocket|y-protocols|socket\.io-client)(\/|$)/;
/** Where a relative import lands, as a repo path. */
const target = (specifier: string, file: string) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier));
const reaches = (specifier: string, file: string, dir: string, pkg: string) =>
  specifier === pkg || specifier.startsWith(`${pkg}/`) || (specifier.startsWith('.') && target(specifier, file).startsWith(`${dir}/`));

const components = [...sourceFiles('web/src/lib/components'), ...sourceFiles('web/src/routes')];
const webSource = sourceFiles('web/src').filter((f) => !/\.test\.ts$/.test(f));
const serverSource = sourceFiles('server/src').filter((f) => !/\.test\.ts$/.test(f));

describe('architecture', () => {
  it('[ARCH1] no component or route imports yjs, y-websocket, y-protocols or socket.io-client', () => {
    expect(components.length).toBeGreaterThan(10);
    expect(breaches({ files: components, forbidden: (s) => LIVE_ENGINE_ONLY.test(s) })).toEqual([]);
  });

  it('[ARCH2] shared/ imports nothing from server/ or web/', () => {
    const files = sourceFiles('shared/src');
    expect(files.length).toBeGreaterThan(10);
    const forbidden = (s: string, f: string) => reaches(s, f, 'server', '@pairboard/server') || reaches(s, f, 'web', '@pairboard/web');
    expect(breaches({ files, forbidden })).toEqual([]);
  });

  it('[ARCH3] server/ and web/ never import each other', () => {
    expect(breaches({ files: serverSource, forbidden: (s, f) => reaches(s, f, 'web', '@pairboard/web') })).toEqual([]);
    expect(breaches({ files: webSource, forbidden: (s, f) => reaches(s, f, 'server', '@pairboard/server') })).toEqual([]);
  });

  it('[ARCH1] the scan sees every import form, so a breach cannot hide', () => {
    const sample = [
      "import * as Y from 'yjs';",
      "import type { Socket } from 'socket.io-client';",
      "export { x } from 'y-protocols/sync';",
      "const p = import('y-websocket');",
      "import 'yjs';"
    ].join('\n');
    expect(importsOf(sample)).toEqual(expect.arrayContaining(['yjs', 'socket.io-client', 'y-protocols/sync', 'y-websocket']));
    expect(importsOf(sample).filter((s) => LIVE_ENGINE_ONLY.test(s))).toHaveLength(5);
  });
});
