// ESLint: the recommended rules of ESLint and typescript-eslint, syntax only (tsc checks types in
// `npm test`), with the exceptions the code base makes on purpose, each said where it is made.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const node = { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly', Buffer: 'readonly' };

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', '.cache/', '.test-out/', '.gen/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: node },
    rules: {
      // A leading underscore marks what a signature or a destructuring must name and the code does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  // CommonJS entry points load the rest with require.
  {
    files: ['**/*.cjs', 'jest.config.js', '__tests__/setup/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Tests edit YAML descriptions as untyped data, the way a user's file is untyped before validation.
  { files: ['__tests__/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
