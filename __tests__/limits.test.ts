// AWS's own limits on policies and attachments, at the largest organization generate-org writes (every
// account peered, so the largest the network allows; npm run bench's 125 and the 120 are smaller,
// and every document grows with the accounts): synthesized once, every document measured within its
// limit with the margin asserted, and the access pyramid and the pulls simulated unchanged at that size;
// and generated organizations of random sizes up to it (fast-check), their growing stacks synthesized under
// the synth guardrails.
import { join } from 'node:path';
import { App, Aspects } from 'cdktf';
import fc from 'fast-check';
import { loadOrganization } from '../description/load';
import { accountsNamed } from '../description/sharing';
import { computeAccessMatrix, findRole, memberAsPrincipal } from '../scripts/lib/access-matrix';
import { generateOrganization, MAX_GENERATED_ACCOUNTS } from '../scripts/lib/generate-org';
import { assumeRoleRequest, loadIamSimulator, roleSessionPrincipal, servicePrincipal, SIGNED_IN_WITH_MFA } from '../scripts/lib/iam-simulator';
import { readReviewInputs } from '../scripts/lib/review/inputs';
import { collectNetwork, MAX_DETAILED_DIAGRAM_EDGES, renderNetwork } from '../scripts/lib/review/network';
import { readSynthesizedIam } from '../scripts/lib/synthesized-iam';
import { type Measure, measureLimits } from '../modules/synth-guardrails/limits';
import type { ResourceView } from '../modules/synth-guardrails/rules';
import { SynthGuardrails } from '../modules/synth-guardrails/synth-guardrails';
import { AccountStack } from '../stacks/account-stack';
import { scratchDir, type Synthesized, synthesizeOrg } from './helpers';

const simulator = loadIamSimulator();
let synthesized: Synthesized;

beforeAll(async () => {
  const dir = scratchDir('largest');
  generateOrganization(dir, MAX_GENERATED_ACCOUNTS);
  synthesized = await synthesizeOrg(dir);
}, 120_000);

/** Every measure of every stack, as the synth guardrail measured them. */
function measures(): Measure[] {
  return synthesized.stacks.flatMap(({ json }) => {
    const views: ResourceView[] = Object.entries(json?.resource ?? {}).flatMap(([type, byId]) =>
      Object.entries(byId).map(([logicalId, attributes]) => ({ type, logicalId, attributes: attributes as Record<string, unknown> })),
    );
    return measureLimits(views, synthesized.org.iamQuotas);
  });
}

it(`synthesizes ${MAX_GENERATED_ACCOUNTS} accounts with the largest document and attachment set of each kind within AWS's limits`, () => {
  const largest = new Map<string, Measure>();
  for (const measure of measures()) if (measure.value > (largest.get(measure.kind)?.value ?? -1)) largest.set(measure.kind, measure);
  const table = Object.fromEntries([...largest].map(([kind, { subject, value, limit }]) => [kind, { subject, value, limit, margin: limit - value }]));
  expect(synthesized.org.accounts).toHaveLength(MAX_GENERATED_ACCOUNTS);
  // The largest of each kind, its size and its margin; none grows past its limit before the mesh stops growing.
  expect(table).toEqual({
    'ECR repository policy': { subject: 'app', value: 6524, limit: 10240, margin: 3716 },
    'IAM managed policy': { subject: 'require-mfa', value: 1086, limit: 6144, margin: 5058 },
    'KMS key policy': { subject: 'Encrypts the snapshots of the AMIs the artifact account shares', value: 13473, limit: 32768, margin: 19295 },
    'S3 bucket policy': { subject: 'generated-127-logs-100000000000', value: 1557, limit: 20480, margin: 18923 },
    'inline policies of IAM group': { subject: 'ops', value: 2109, limit: 5120, margin: 3011 },
    'inline policies of IAM role': { subject: 'ecs-task-execution', value: 527, limit: 10240, margin: 9713 },
    'inline policies of IAM user': { subject: 'user-1', value: 813, limit: 2048, margin: 1235 },
    'managed policies attached to IAM group': { subject: 'dev-leads', value: 2, limit: 10, margin: 8 },
    'managed policies attached to IAM role': { subject: 'OrganizationAccountAccessRole', value: 1, limit: 10, margin: 9 },
    'managed policies attached to IAM user': { subject: 'user-1', value: 1, limit: 10, margin: 9 },
    'organization policy of type TAG_POLICY': { subject: 'generated-127-environment-tag-policy', value: 1871, limit: 10000, margin: 8129 },
    'service control policy': { subject: 'generated-127-guardrails-deny-leaving-organization', value: 4960, limit: 5120, margin: 160 },
    'trust policy of IAM role': { subject: 'cross-dev-leads', value: 409, limit: 2048, margin: 1639 },
  });
});

describe(`the access pyramid and the pulls at ${MAX_GENERATED_ACCOUNTS} accounts`, () => {
  const iamOf = () =>
    readSynthesizedIam(
      synthesized.stacks.flatMap(({ name, json }) => (json ? [{ name, json }] : [])),
      (policy) => simulator.awsManagedPolicy(policy),
    );

  it('lets each group switch into its row, the last account included, and nowhere else', async () => {
    const { org } = synthesized;
    const iam = iamOf();
    const identity = org.accounts.find((account) => account.name === org.identity.name)!;
    const last = org.accounts[org.accounts.length - 1];
    const sample = org.accounts.filter((account) => ['management', 'dev', 'qa', 'prod', last.name].includes(account.name));
    const rows = await computeAccessMatrix({ ...org, accounts: sample }, iam, simulator);
    const verdicts = (group: string, label: string) =>
      Object.fromEntries(rows.filter((row) => row.group === group).map((row) => [row.account, row.actions[label]]));
    expect(verdicts('dev', 'run')).toEqual({ management: 'denied', dev: 'allowed', qa: 'denied', prod: 'denied', [last.name]: 'denied' });
    expect(verdicts('dev', 'logs')).toEqual({ management: 'denied', dev: 'allowed', qa: 'allowed', prod: 'allowed', [last.name]: 'allowed' });
    expect(verdicts('ops', 'iam')).toEqual({ management: 'denied', dev: 'allowed', qa: 'allowed', prod: 'allowed', [last.name]: 'allowed' });
    expect(verdicts('billing', 'bills')).toEqual({ management: 'allowed', dev: 'allowed', qa: 'denied', prod: 'denied', [last.name]: 'denied' });
    // Every row's role in the last account, assumed by the group's members only.
    for (const group of ['dev', 'dev-leads', 'qa', 'ops']) {
      const role = findRole(iam, last.id, `cross-${group}`)!;
      expect([group, await simulator.evaluate(assumeRoleRequest(memberAsPrincipal(iam, org.partition, identity.id, group, SIGNED_IN_WITH_MFA), role))]).toEqual(
        [group, 'allowed'],
      );
      expect([
        group,
        await simulator.evaluate(assumeRoleRequest(memberAsPrincipal(iam, org.partition, identity.id, 'billing', SIGNED_IN_WITH_MFA), role)),
      ]).toEqual([group, 'denied']);
    }
  });

  it('lets every consumer, the last one included, and its Lambda functions pull; no one else', async () => {
    const { org } = synthesized;
    const iam = iamOf();
    const artifact = org.artifact;
    const [repository] = org.sharing.ecr;
    const consumers = accountsNamed(org, repository.consumers);
    const policy = iam.repositoryPolicies.find((candidate) => candidate.repositoryArn.endsWith(`:repository/${repository.name}`))!;
    const pull = (principal: Parameters<typeof simulator.evaluate>[0]['principal']) =>
      simulator.evaluate({
        principal,
        action: 'ecr:BatchGetImage',
        resource: policy.repositoryArn,
        resourceAccountId: artifact.id,
        resourcePolicy: policy.document,
      });
    const last = consumers[consumers.length - 1];
    expect(consumers.length).toBeGreaterThan(MAX_GENERATED_ACCOUNTS - 3);
    for (const consumer of [consumers[0], last]) {
      expect(await pull(roleSessionPrincipal(findRole(iam, consumer.id, 'ecs-task-execution')!, 'task'))).toBe('allowed');
      expect(await pull(servicePrincipal('lambda.amazonaws.com', `arn:aws:lambda:${org.homeRegion}:${consumer.id}:function:app`, consumer.id))).toBe('allowed');
      expect(await pull(servicePrincipal('lambda.amazonaws.com', `arn:aws:lambda:ap-south-1:${consumer.id}:function:app`, consumer.id))).toBe('denied');
    }
    expect(await pull(servicePrincipal('lambda.amazonaws.com', 'arn:aws:lambda:us-east-1:999999999999:function:app', '999999999999'))).toBe('denied');
  });
});

it("generated organizations of any size up to the largest mesh keep every document and attachment set of their growing stacks within AWS's limits", () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: MAX_GENERATED_ACCOUNTS }), (count) => {
      const dir = scratchDir('generated');
      generateOrganization(dir, count);
      const org = loadOrganization(dir);
      // The stacks whose documents name accounts: management (guardrails, log archive), identity (groups),
      // artifact (repository, key), and the last account (its roles); the others are like the last.
      const growing = new Set([org.management.name, org.identity.name, org.artifact.name, org.accounts[org.accounts.length - 1].name]);
      const app = new App({ outdir: join(dir, 'out') });
      const guardrails = new SynthGuardrails({ organizationAccountIds: org.accounts.map((account) => account.id), iamQuotas: org.iamQuotas });
      for (const account of org.accounts.filter((candidate) => growing.has(candidate.name)))
        Aspects.of(new AccountStack(app, { org, account })).add(guardrails);
      // The guardrails fail the synth on a document over its limit.
      app.synth();
    }),
    { numRuns: 4 },
  );
});

describe(`the review's network diagram at ${MAX_GENERATED_ACCOUNTS} accounts`, () => {
  /** The diagram's lines checked against the Mermaid flowchart shapes the review writes; its nodes and edges. */
  function parseFlowchart(markdown: string): { nodes: string[]; edges: [string, string][] } {
    const lines = markdown.split('\n');
    expect([lines[0], lines[1], lines[lines.length - 1]]).toEqual(['```mermaid', 'flowchart LR', '```']);
    const nodes: string[] = [];
    const edges: [string, string][] = [];
    let depth = 0;
    for (const line of lines.slice(2, -1)) {
      const node = /^\s+(\w+)(?:\["[^"]+"\]|\(\("[^"]+"\)\))$/.exec(line);
      const edge = /^\s+(\w+) (?:---|-\.->)(?:\|[^|"]+\|)? (\w+)$/.exec(line);
      const subgraph = /^\s+subgraph (\w+)\["[^"]+"\]$/.exec(line);
      if (node) nodes.push(node[1]);
      else if (edge) edges.push([edge[1], edge[2]]);
      else if (subgraph) depth++;
      else if (line.trim() === 'end') depth--;
      else throw new Error(`not a line the review's flowchart writes: ${line}`);
    }
    expect(depth).toBe(0);
    return { nodes, edges };
  }

  it('draws the OUs with their accounts and VPCs, within what Mermaid accepts, and keeps every connection in the table', () => {
    const network = collectNetwork(readReviewInputs(synthesized.org, synthesized.outdir));
    const vpcs = MAX_GENERATED_ACCOUNTS - 1;
    expect(network.connections).toHaveLength((vpcs * (vpcs - 1)) / 2);
    const report = renderNetwork(network);
    const diagram = report.slice(report.indexOf('```mermaid'), report.indexOf('```\n', report.indexOf('```mermaid')) + 3);
    const { nodes, edges } = parseFlowchart(diagram);
    const ous = [...new Set(synthesized.org.accounts.map((account) => account.ou ?? ''))];
    expect(nodes).toHaveLength(ous.length + 1);
    expect(edges.every(([from, to]) => nodes.includes(from) && nodes.includes(to))).toBe(true);
    expect(edges.length).toBeLessThanOrEqual(MAX_DETAILED_DIAGRAM_EDGES);
    expect(report.match(/^\| \S+ \| \S+ \| `vpc-peering` \| `vpc-peering` \|$/gm)).toHaveLength(network.connections.length);
  });
});
