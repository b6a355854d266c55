import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', 'coverage/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Handlers implement async interfaces; an async function without await is not a bug there.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // What the Lambdas bundle: the classic zod API, or `import { z }` from zod/mini, keeps every
    // locale and schema method in each bundle (README, Cold start).
    files: ['shared/**/*.ts', 'functions/**/*.ts'],
    ignores: ['shared/schemas/zod.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zod', message: "Use `import * as z from '…/shared/schemas/zod'` (zod/mini as a namespace)." },
            { name: 'zod/mini', importNames: ['z'], message: "Use `import * as z from '…/shared/schemas/zod'`: the named z keeps all of zod." },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
