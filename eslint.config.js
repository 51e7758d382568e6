// One lint stack for the workspace: typescript-eslint + eslint-plugin-vue, with
// Prettier owning formatting (eslint-config-prettier turns off clashing rules).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import vitest from '@vitest/eslint-plugin'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.cache/**',
      'geo-data/regions/**',
      'data/**',
      '**/test-artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['web/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // shared/ runs in browsers and Node alike: no platform globals.
    files: ['shared/src/**'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'os'] }],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'navigator', 'location'],
    },
  },
  {
    files: ['**/*.test.ts', '**/e2e/**', '**/test/**'],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      'vitest/no-focused-tests': 'error',
      'vitest/no-disabled-tests': 'error',
      // E2E tests read deck.gl internals inside page.evaluate.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  prettier,
)
