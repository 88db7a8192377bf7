// Preloaded into every node process npm and npx start in this project (.npmrc node-options): cdktf-cli
// 0.21 reads these from its environment only (no .env, no cdktf.json key), so `npx cdktf ...` offline
// would otherwise report failed calls to checkpoint-api.hashicorp.com. A value already set is kept.
process.env.CHECKPOINT_DISABLE ||= '1';
process.env.DISABLE_VERSION_CHECK ||= '1';
