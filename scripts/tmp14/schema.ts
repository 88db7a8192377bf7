import { mkdirSync, writeFileSync } from 'node:fs';
import { cliConfig, findTerraform, initArgs, offlineEnv, providerSource, run } from '../lib/terraform';
(async () => {
  const dir = '/tmp/schema14'; mkdirSync(dir, { recursive: true });
  const source = providerSource([{ source: 'hashicorp/aws', version: '5.100.0' }]);
  writeFileSync(`${dir}/main.tf.json`, JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } } }));
  writeFileSync(`${dir}/rc`, cliConfig(source));
  const env = offlineEnv(`${dir}/rc`);
  const tf = findTerraform();
  let t = Date.now();
  const init = await run(tf, initArgs(source), { cwd: dir, env }); console.log('init', init.code, Date.now() - t); t = Date.now();
  const schema = await run(tf, ['providers', 'schema', '-json'], { cwd: dir, env }); console.log('schema', schema.code, Date.now() - t, schema.stdout.length);
  writeFileSync('/tmp/schema14.json', schema.stdout);
})();
