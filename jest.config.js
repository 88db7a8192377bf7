/** @type {import('jest').Config} */
// Two layers: `unit` runs without terraform (the description, the synth, the commands, random
// organizations), in seconds; `plan` asserts on the offline plans the global setup makes once (a stack is
// planned again only when what decides its plan changed). `npm test` runs both, `npm run test:unit` the first.
const common = {
  testEnvironment: 'node',
  // Type checking is `tsc -p .` in `npm test`; jest only strips types, fast.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
};
const UNIT = ['bad-descriptions', 'commands', 'description', 'docs', 'limits', 'management-description', 'properties', 'review-changes', 'synth-guardrails'].map((name) => `<rootDir>/__tests__/${name}.test.ts`);

module.exports = {
  testTimeout: 180000,
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: UNIT },
    {
      ...common,
      displayName: 'plan',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: UNIT.map((path) => path.replace('<rootDir>/', '/')),
      globalSetup: '<rootDir>/__tests__/setup/plan-organizations.ts',
    },
  ],
};
