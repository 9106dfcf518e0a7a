// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const domainErrorsOnly = {
  selector: "ThrowStatement > NewExpression[callee.name='GraphQLError']",
  message: 'Throw a DomainError with an ErrorCode; graphql/errors.ts maps it.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'certs/**', 'data/**', 'test-artifacts/**', 'web/src/graphql/*.generated.ts'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    plugins: { 'import-x': importX },
    settings: {
      // Parse the imported files as TypeScript too, or no-cycle cannot follow them.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })],
    },
    rules: {
      // The architecture has layers; a circle means a domain reaches up into GraphQL or back.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Rest siblings: `({ id, ...rest }) => rest` is how a field is left out.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Domain errors carry codes; a bare Error is only for programming faults, never for clients.
      'no-restricted-syntax': ['error', domainErrorsOnly],
      // type-graphql resolves classes through its container: `Function` is the honest type there.
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    // The server runs on Node 20 too, where `{ ...base, more }` costs microseconds and loads the
    // garbage collector (src/common/extend.ts); the web app runs in browsers and may use it.
    files: ['src/**/*.ts'],
    ignores: ['src/db/migrations/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        domainErrorsOnly,
        {
          selector: 'ObjectExpression > SpreadElement:first-child ~ Property',
          message:
            'An object literal that starts with a spread and adds properties is slow on Node 20: use extend() (src/common/extend.ts).',
        },
        {
          selector: "MemberExpression[property.name='writableManager']",
          message: 'The gateway writes through Database.transaction() and reads through Database.manager; writableManager is for tests.',
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' } },
  },
  {
    // Plain CommonJS helpers run by node before anything is compiled.
    files: ['**/*.cjs', 'jest.config.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
