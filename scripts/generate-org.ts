// npm run generate-org -- <dir> <accounts>: writes a synthetic organization of that many accounts, shaped
// like the default one, the same the bench and the tests use: to plan a large mesh by hand
// (ORG_DIR=<dir> npm run plan:offline) or to try a change at scale.
import { existsSync, readdirSync } from 'node:fs';
import { runCommand } from './lib/command';
import { generateOrganization, MAX_GENERATED_ACCOUNTS, MAX_GENERATED_HUB_ACCOUNTS } from './lib/generate-org';
import { ToolError } from './lib/tool-error';

runCommand(
  {
    name: 'generate-org',
    summary: "Writes a synthetic organization shaped like the default one (the bench's and the tests'), to try a\nchange at scale or plan a large mesh.",
    arguments: [
      { name: '<dir>', description: 'A new or empty directory.' },
      { name: '<accounts>', description: `How many accounts, 2 to ${MAX_GENERATED_ACCOUNTS} (a full mesh peers at most that many VPCs).` },
    ],
    options: {
      'transit-gateway': {
        type: 'boolean',
        description: `A network account holds a transit gateway with centralized egress instead of the mesh (3 to ${MAX_GENERATED_HUB_ACCOUNTS} accounts).`,
      },
      'isolate-production': {
        type: 'boolean',
        description: 'Connectivity rules instead of all-to-all: nonproduction accounts reach each other, prod reaches dev alone (TCP 443).',
      },
    },
    exitStatuses: { 0: 'written', 2: 'a bad argument, or <dir> is not empty' },
    example: 'npm run generate-org -- /tmp/ten 10 && ORG_DIR=/tmp/ten npm run plan:offline',
  },
  ({ positionals: [dir, accounts], values }) => {
    const count = Number(accounts);
    if (!Number.isInteger(count)) throw new ToolError(`<accounts> must be a whole number, not "${accounts}"`);
    if (existsSync(dir) && readdirSync(dir).length > 0) throw new ToolError(`${dir} is not empty; give a new or empty directory`);
    let raised: Record<string, number> | undefined;
    try {
      raised = generateOrganization(dir, count, { transitGateway: values['transit-gateway'], isolateProduction: values['isolate-production'] });
    } catch (error) {
      throw new ToolError((error as Error).message);
    }
    console.log(`${count} accounts -> ${dir}/ (ORG_DIR=${dir} npm run synth)`);
    if (raised) {
      const quotas = Object.entries(raised)
        .map(([quota, value]) => `${quota} ${value}`)
        .join(', ');
      console.log(
        `  its mesh needs AWS quotas above the defaults, set in organization.yaml as such an organization would have raised them: networkQuotas ${quotas}`,
      );
    }
    return 0;
  },
);
