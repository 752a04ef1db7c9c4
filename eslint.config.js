// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', '.tools/', 'web/build/', 'build/', 'test-results/', 'scratch/', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Knex and Objection return `any`-typed rows; asserting their shape at the call is clearer
      // than threading generics through every query builder.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no Node built-ins.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows must be deterministic: no Node built-ins.' })),
          patterns: [
            { group: ['../activities/*', '../db/*', '../api/*', 'pg', 'knex', 'objection'], allowTypeImports: true, message: 'Workflows do no I/O; call activities through proxyActivities.' },
          ],
        },
      ],
    },
  },
  {
    files: ['web/app/**/*.tsx', 'web/app/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // Remix loaders and actions throw a redirect (a Response) to leave early.
      '@typescript-eslint/only-throw-error': ['error', { allow: [{ from: 'lib', name: 'Response' }, { from: 'package', package: '@remix-run/server-runtime', name: 'TypedResponse' }] }],
    },
  },
);
