// One lint setup for api, seeds, bench, infra scripts and the SvelteKit app (`npm run lint`, part of `npm test`).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './web/svelte.config.js';

export default ts.config(
  {
    ignores: [
      '**/node_modules/',
      '.data/',
      'dist/',
      'web/build/',
      'web/.svelte-kit/',
      'web/static/',
      'seeds/data/',
      'web/src/lib/api/schema.d.ts',
      'web/e2e/.artifacts/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // The app is always served from the site root (svelte.config.js paths.relative = false, no base path), so plain
      // href strings are what resolve() would return.
      'svelte/no-navigation-without-resolve': 'off',
      // unused arguments named _x are deliberate (callbacks with a fixed signature)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['web/src/**/*.{ts,svelte}', 'web/src/**/*.svelte.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } },
  },
);
