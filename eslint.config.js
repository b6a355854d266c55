import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The layer rules of the architecture (DESIGN.md, "Layers"), as lint errors: who may import whom.
 * `from` is what the files of `target` must not import.
 */
const layerZones = [
  {
    target: './shared/domain',
    from: ['./shared/store', './shared/usecases', './shared/http', './functions'],
    message: 'Domain rules are pure: no store, use case, HTTP or function code.',
  },
  {
    target: './functions',
    from: ['./shared/store/keys.ts'],
    message: 'Functions are thin adapters: keys are built in the store, never in a handler.',
  },
  {
    target: './shared',
    from: ['./functions', './local', './infra', './test'],
    message: 'shared/ is what both runtimes run: it never depends on a runtime, the infrastructure or the tests.',
  },
  {
    target: './web',
    from: ['./functions', './infra', './test', './shared/store', './shared/http', './shared/secrets', './shared/mail', './shared/certificates', './shared/exports', './shared/files'],
    message: 'The web app is a static bundle: it shares types, pure rules and locale with the server, nothing that does I/O.',
  },
  {
    target: './web',
    from: './local',
    except: ['./demo-accounts.ts'],
    message: 'The web app knows the local runtime only by its demo accounts (the local sign-in page).',
  },
];

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
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      // Circles of code fail; import-x skips `import type`, which the compiler erases.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: layerZones }],
    },
  },
  {
    files: ['shared/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@aws-sdk/*', '@aws-lambda-powertools/*'], message: 'Domain rules are pure: no AWS SDK.' }] },
      ],
    },
  },
  {
    files: ['web/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/shared/usecases/*'],
              allowTypeImports: true,
              message: 'The web app takes only the response types of use cases; their code does I/O.',
            },
          ],
        },
      ],
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
