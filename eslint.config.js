// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/generated/**', '**/build/**', '**/dist/**', '.tools/**', '.data/**', '**/.cache/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Configuration is parsed once per app (env modules); packages take options as arguments.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in the app env module and pass it down.' },
      ],
    },
  },
  {
    // The places allowed to read the environment: each app's env module, CLIs, scripts and test setup.
    files: [
      'apps/web/app/env.server.ts',
      'apps/worker/src/env.ts',
      'scripts/**',
      'bench/**',
      '**/cli/**',
      '**/scripts/**',
      'vitest.global-setup.ts',
      // Tests start child processes with an environment of their own.
      '**/test/**',
      '**/*.config.ts',
      '**/*.config.js',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['apps/web/app/**/*.tsx', 'apps/web/app/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
