// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'http',
  'https',
  'net',
  'crypto',
  'events',
  'stream',
  'os',
  'child_process',
  'url',
  'util',
  'buffer',
];

export default tseslint.config(
  { ignores: ['dist/**', '.tsbuild/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'read configuration in controller/config.ts only',
        },
      ],
    },
  },
  {
    // The contract is shared with the browsers: nothing platform-specific.
    files: ['controller/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                ...NODE_BUILTINS,
                'express',
                'express/*',
                'socket.io',
                'serialport',
                '@serialport/*',
                'preact',
                'preact/*',
                'lowdb',
                'lowdb/*',
              ],
              message: 'controller/protocol is isomorphic: it may import only zod and its own files',
            },
          ],
        },
      ],
    },
  },
  {
    // controller/reports/index.ts is the reports' only way in.
    files: ['controller/**/*.ts'],
    ignores: ['controller/reports/**', 'controller/protocol/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/reports/projection/*', '**/reports/compute/*', '**/reports/export/*'],
              message: 'import the reports from controller/reports/index.ts',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['controller/config.ts', 'test/**/*.ts', 'test/**/*.tsx', 'vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // expect.any() and friends are typed any by vitest.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettier,
);
