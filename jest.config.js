/** @type {import('jest').Config} */
// Two layers: `unit` runs without terraform (the description, the constructs, the synth, the commands, random
// organizations), in seconds; `plan` asserts on the offline plans the global setup makes once (a stack is
// planned again only when what decides its plan changed). `npm test` runs both, `npm run test:unit` the first.
const common = {
  testEnvironment: 'node',
  // Type checking is `tsc -p .` in `npm test`; jest only strips types, fast.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
};
// Besides these files, `__tests__/unit/` holds the construct-level tests, one file per `modules/<capability>/`.
const UNIT_FILES = [
  'bad-descriptions',
  'ci',
  'commands',
  'description',
  'docs',
  'limits',
  'management-description',
  'migration',
  'naming',
  'network-model',
  'properties-invariants',
  'properties-refusals',
  'review-changes',
].map((name) => `/__tests__/${name}.test.ts`);
const UNIT_DIR = '/__tests__/unit/';

module.exports = {
  testTimeout: 180000,
  maxWorkers: 2,
  testSequencer: '<rootDir>/__tests__/setup/slow-first-sequencer.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: [...UNIT_FILES, `${UNIT_DIR}**/*.test.ts`].map((path) => `<rootDir>${path}`) },
    {
      ...common,
      displayName: 'plan',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: [...UNIT_FILES, UNIT_DIR],
      globalSetup: '<rootDir>/__tests__/setup/plan-organizations.ts',
    },
  ],
};
