// Runs the test files that plan with terraform first. Without jest's timing cache (a clean clone, as in CI)
// jest orders files by size, which starts these small files last: each then runs alone for a minute at the
// end instead of beside the rest.
const Sequencer = require('@jest/test-sequencer').default;

const PLANNING_FILES = ['review-base', 'identity-center', 'migration-plans', 'offline-plan'].map((name) => `/__tests__/${name}.test.ts`);
const rank = (path) => {
  const index = PLANNING_FILES.findIndex((file) => path.endsWith(file));
  return index === -1 ? PLANNING_FILES.length : index;
};

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    return [...super.sort(tests)].sort((a, b) => rank(a.path) - rank(b.path));
  }
}

module.exports = SlowFirstSequencer;
