import { settleBaseStates } from '../lib/base-state';
(async () => {
  const t = Date.now();
  const r = await settleBaseStates(process.argv[2], '/tmp/settle14', { schemaCache: '/work/wt14/.cache/provider-schemas', log: console.log });
  console.log(r.dir, [...r.unsettled], (Date.now() - t) / 1000);
})();
