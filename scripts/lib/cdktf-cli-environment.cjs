// Preloaded into every node process npm and npx start in this project (.npmrc node-options): cdktf-cli
// 0.21 reads these from its environment only (no .env, no cdktf.json key), so `npx cdktf ...` offline
// would otherwise report failed calls to checkpoint-api.hashicorp.com. A value already set is kept.
process.env.CHECKPOINT_DISABLE ||= '1';
process.env.DISABLE_VERSION_CHECK ||= '1';
// Child processes inherit the variables; the preload itself, a path that resolves only inside the
// project, must not follow them into other directories.
const options = (process.env.NODE_OPTIONS ?? '').split(' ').filter((option) => option && !option.endsWith('/cdktf-cli-environment.cjs'));
if (options.length > 0) process.env.NODE_OPTIONS = options.join(' ');
else delete process.env.NODE_OPTIONS;
