import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineProject } from 'vitest/config';

// The web's unit tests: the live engine's `.svelte.ts` runes need the Svelte compiler, so this
// project has the Svelte plugin. They run in node against a real server on port 0 (temp SQLite).
export default defineProject({
  plugins: [svelte({ configFile: false })],
  resolve: { dedupe: ['yjs'] },
  test: {
    name: 'web',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
});
