import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './web/svelte.config.js';

/** Packages that only the web's live engine (web/src/lib/realtime) may import. */
const LIVE_ENGINE_ONLY = ['yjs', 'y-websocket', 'y-protocols', 'y-protocols/*', 'socket.io-client'];

export default ts.config(
  {
    ignores: [
      '**/node_modules/',
      'web/build/',
      'server/dist/',
      'tests/bench/dist/',
      'web/.svelte-kit/',
      'tests/bench/results/',
      'tests/reliability/',
      '**/*.tmp'
    ]
  },
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { projectService: false, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
    }
  },
  {
    rules: {
      // `_name` marks a parameter or a destructured key that is deliberately unused.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }
      ],
      // Type-only imports stay type-only, so the board page ships no schemas it does not run.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // `cond ? a() : b()` as a statement is house style for two-way side effects.
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true, allowShortCircuit: true }],
      // Svelte's `{#each}` keys are used throughout; navigation is plain links, no base path.
      'svelte/no-navigation-without-resolve': 'off'
    }
  },
  {
    // Test helpers read loosely typed frames and fixtures; the code under test stays strict.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    // [ARCH1] Components get feature handles from the live engine; they never touch Yjs or a socket.
    files: ['web/src/lib/components/**', 'web/src/routes/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: LIVE_ENGINE_ONLY, message: 'Components use the live engine (web/src/lib/realtime) feature handles.' }] }
      ]
    }
  },
  {
    // [ARCH2] shared/ is the contract: it imports nothing from server/ or web/.
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['@pairboard/server', '@pairboard/web', '**/server/**', '**/web/**'], message: 'shared/ imports nothing from server/ or web/.' }]
        }
      ]
    }
  }
);
