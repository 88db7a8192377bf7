// 5. Cost: a monthly estimate, per account, of what the plans create that carries a fixed monthly charge
// (and the audit baseline: the trail's data events and the log archive's storage at the stated volumes),
// priced from data/aws-prices.json; next to it the same organization with a NAT gateway per zone, with a
// Transit Gateway hub instead of the peering mesh, and with centralized egress (one egress VPC behind the
// hub instead of each VPC's NAT), so the cost-driven choices are visible.
import type { Organization } from '../../../description/model';
import { accountName, accountRank, resourcesLeftInAws, type ReviewInputs, type StackResource, stackResources } from './inputs';
import { blocks, code, listing, table, usd } from './markdown';
import { EVERY_REGION, type PriceList } from './prices';

/** What a charge is for, in the order the report lists them: the alternatives replace egress and add to the rest. */
const PURPOSES = ['egress', 'hub', 'addresses', 'endpoints', 'keys', 'flow logs', 'audit', 'billing'] as const;
export type CostPurpose = (typeof PURPOSES)[number];

export interface CostLine {
  readonly account: string;
  readonly what: string;
  readonly purpose: CostPurpose;
  /** How many such things the plan makes. */
  readonly count: number;
  /** The priced quantity of one of them in a month, in `unit`s. */
  readonly quantity: number;
  readonly unit: string;
  /** The price item and region looked up in the price file. */
  readonly priceItem: string;
  readonly region: string;
  /** Per unit; undefined when the price file has no such price. */
  readonly unitUsd?: number;
  readonly monthlyUsd: number;
}

export interface AccountCost {
  readonly account: string;
  /** Retired: its charges are those of what Terraform forgot, still in AWS until deleted by hand. */
  readonly retired?: true;
  readonly asPlanned: number;
  readonly natGatewayPerZone: number;
  readonly transitGatewayHub: number;
  readonly centralizedEgress: number;
}

type CostFigures = Pick<AccountCost, 'asPlanned' | 'natGatewayPerZone' | 'transitGatewayHub' | 'centralizedEgress'>;

export interface CostData {
  readonly priceFile: string;
  readonly pricesChecked: string;
  /** The regions whose own prices the estimate and its alternatives used. */
  readonly regions: readonly string[];
  readonly hoursPerMonth: number;
  /** Usage the estimate states instead of measuring. */
  readonly usage: Readonly<Record<string, { value: number; unit: string; why: string }>>;
  /** Prices used that the price file marks as assumptions. */
  readonly assumedPrices: readonly string[];
  readonly lines: readonly CostLine[];
  readonly accounts: readonly AccountCost[];
  readonly total: CostFigures;
  /** Stacks counted from their synthesized configuration because they have no plan. */
  readonly countedUnplanned: readonly string[];
  /** Per-GB charges of each choice, which the fixed estimate leaves out. */
  readonly perGb: { readonly natGateway?: number; readonly transitGateway?: number };
}

const NAT_GATEWAY_HOUR = 'nat-gateway-hour';
const PUBLIC_IPV4_HOUR = 'public-ipv4-hour';
const TRANSIT_GATEWAY_ATTACHMENT_HOUR = 'transit-gateway-attachment-hour';
/** Zones of an egress VPC the organization does not describe yet (the schema's default). */
const DEFAULT_EGRESS_ZONES = 2;

export function collectCost(inputs: ReviewInputs, prices: PriceList, priceFile: string): CostData {
  const { org } = inputs;
  const hours = prices.hoursPerMonth;
  const assumed = new Set<string>();
  // Regions whose own prices were used; budgets and the like cost the same everywhere.
  const regions = new Set<string>();
  const line = (account: string, what: string, purpose: CostPurpose, quantity: number, unit: string, priceItem: string, region: string): CostLine => {
    const price = prices.find(priceItem, region);
    if (price?.assumption) assumed.add(`${priceItem} in ${region}: ${price.assumption}`);
    if (price && price.region !== EVERY_REGION) regions.add(price.region);
    return { account, what, purpose, count: 1, quantity, unit, priceItem, region, unitUsd: price?.usd, monthlyUsd: price ? price.usd * quantity : 0 };
  };
  const resources = [...inputs.stacks.flatMap(stackResources), ...resourcesLeftInAws(inputs)];
  const retired = new Set(org.retiredAccounts.map((account) => account.name));
  const usage = prices.file.usage;

  const charged = resources.flatMap((resource): CostLine[] => {
    const account = accountName(org, resource.accountId);
    const { values, region } = resource;
    const referenced = (type: string) =>
      resources.find((other) => other.stack === resource.stack && resource.references.includes(baseAddress(other)) && other.type === type);
    switch (resource.type) {
      case 'aws_ec2_transit_gateway_vpc_attachment':
        return [line(account, 'Transit Gateway attachment', 'hub', hours, 'h', TRANSIT_GATEWAY_ATTACHMENT_HOUR, region)];
      case 'aws_nat_gateway':
        return [line(account, 'NAT gateway', 'egress', hours, 'h', NAT_GATEWAY_HOUR, region)];
      case 'aws_eip': {
        const natGateway = resources.some(
          (other) => other.type === 'aws_nat_gateway' && other.stack === resource.stack && other.references.includes(baseAddress(resource)),
        );
        return [
          line(
            account,
            natGateway ? 'public IPv4 address of a NAT gateway' : 'public IPv4 address (Elastic IP)',
            natGateway ? 'egress' : 'addresses',
            hours,
            'h',
            PUBLIC_IPV4_HOUR,
            region,
          ),
        ];
      }
      case 'aws_instance': {
        const template = referenced('aws_launch_template')?.values;
        const instanceType = stringValue(values.instance_type) ?? stringValue(template?.instance_type) ?? 'unknown type';
        // An instance that forwards traffic not its own (source/destination check off) is a NAT.
        const purpose: CostPurpose = values.source_dest_check === false ? 'egress' : 'addresses';
        const role = purpose === 'egress' ? 'NAT instance' : 'EC2 instance';
        const volume = rootVolume(values, template, usage.natInstanceRootVolumeGib.value);
        return [
          line(account, `${role} ${instanceType}`, purpose, hours, 'h', `ec2-instance-hour:${instanceType}`, region),
          line(account, `${role} root volume (${volume.type}, ${volume.gib} GiB)`, purpose, volume.gib, 'GB-month', `ebs-${volume.type}-gb-month`, region),
          ...(values.associate_public_ip_address === true
            ? [line(account, `public IPv4 address of a ${role}`, purpose, hours, 'h', PUBLIC_IPV4_HOUR, region)]
            : []),
        ];
      }
      case 'aws_vpc_endpoint': {
        if (values.vpc_endpoint_type !== 'Interface') return [];
        const zones = Array.isArray(values.subnet_ids) ? values.subnet_ids.length : 1;
        return [
          line(
            account,
            `interface endpoint ${String(values.service_name)} (${zones} zone${zones === 1 ? '' : 's'})`,
            'endpoints',
            hours * zones,
            'zone-h',
            'interface-endpoint-hour',
            region,
          ),
        ];
      }
      case 'aws_kms_key':
        return [
          line(
            account,
            values.enable_key_rotation === true ? 'KMS key (rotated yearly: +1.00 after each of its first two rotations)' : 'KMS key',
            'keys',
            1,
            'key-month',
            'kms-key-month',
            region,
          ),
        ];
      case 'aws_flow_log':
        return flowLogLines(org, resource, account, usage.flowLogGbPerVpcMonth.value, hours, line);
      case 'aws_cloudtrail':
        return trailLines(
          org,
          resource,
          account,
          { trailLogGb: usage.trailLogGbPerAccountMonth.value, stateDataEvents: usage.stateDataEventsPerMonth.value },
          hours,
          line,
        );
      // Enabled in every account of the organization by its delegated administrator, and billed to each.
      case 'aws_guardduty_organization_configuration':
        return everyAccount(org).flatMap((name) => [
          line(
            name,
            `GuardDuty, CloudTrail events (${usage.guardDutyEventsPerAccountMonth.value} a month)`,
            'audit',
            usage.guardDutyEventsPerAccountMonth.value / 1e6,
            'M events',
            'guardduty-cloudtrail-events-1m',
            region,
          ),
          line(
            name,
            `GuardDuty, flow and DNS logs (${usage.guardDutyLogGbPerAccountMonth.value} GB a month)`,
            'audit',
            usage.guardDutyLogGbPerAccountMonth.value,
            'GB',
            'guardduty-flow-dns-gb',
            region,
          ),
        ]);
      case 'aws_securityhub_organization_configuration':
        return everyAccount(org).map((name) =>
          line(
            name,
            `Security Hub checks (${usage.securityHubChecksPerAccountMonth.value} a month)`,
            'audit',
            usage.securityHubChecksPerAccountMonth.value,
            'checks',
            'securityhub-check',
            region,
          ),
        );
      case 'aws_accessanalyzer_analyzer':
        return [
          line(
            account,
            `IAM Access Analyzer, external access (${String(resource.values.type).toLowerCase()})`,
            'audit',
            1,
            'analyzer-month',
            'access-analyzer-external-month',
            region,
          ),
        ];
      case 'aws_budgets_budget':
        return [line(account, 'budget (no actions)', 'billing', hours / 24, 'budget-days', 'budget-day', region)];
      case 'aws_ce_anomaly_monitor':
        return [line(account, 'cost anomaly monitor', 'billing', 1, 'monitor-month', 'anomaly-monitor-month', region)];
      default:
        return [];
    }
  });
  const lines = aggregate(charged).sort(
    (a, b) => accountRank(org, a.account) - accountRank(org, b.account) || PURPOSES.indexOf(a.purpose) - PURPOSES.indexOf(b.purpose),
  );

  const accountNames = [...org.accounts.map((account) => account.name), ...new Set(lines.map((cost) => cost.account))].filter(
    (name, index, names) => names.indexOf(name) === index,
  );
  const hubPlanned = org.network.topology === 'transit-gateway';
  const centralizedPlanned = org.network.transitGateway?.egress !== undefined;
  // Where the hub and the egress VPC are, or would be: the network account, else the management account.
  const hubAccount = org.network.transitGateway?.account.name ?? org.management.name;
  const egressZones = org.network.transitGateway?.egress?.zones.length ?? DEFAULT_EGRESS_ZONES;
  const alternativeLine = (account: string, priceItem: string, count: number) => ({
    ...line(account, '', 'egress', hours, 'h', priceItem, org.homeRegion),
    count,
  });
  const accounts = accountNames.map((account): AccountCost => {
    const own = lines.filter((cost) => cost.account === account);
    const asPlanned = sum(own);
    // What a retired account left in AWS is billed as it is: its network is out of the mesh and its egress choices.
    if (retired.has(account))
      return { account, retired: true, asPlanned, natGatewayPerZone: asPlanned, transitGatewayHub: asPlanned, centralizedEgress: asPlanned };
    const vpc = org.network.vpcs.find((candidate) => candidate.name === account)?.vpc;
    const perZone = vpc && vpc.egress !== 'none' ? vpc.zones.length : 0;
    const withoutEgress = asPlanned - sum(own.filter((cost) => cost.purpose === 'egress'));
    const natGatewayPerZone = withoutEgress + sum([alternativeLine(account, NAT_GATEWAY_HOUR, perZone), alternativeLine(account, PUBLIC_IPV4_HOUR, perZone)]);
    // What the hub adds where it is not planned already: an attachment per VPC.
    const attachment = sum([alternativeLine(account, TRANSIT_GATEWAY_ATTACHMENT_HOUR, vpc && !hubPlanned ? 1 : 0)]);
    const transitGatewayHub = asPlanned + attachment;
    // The egress VPC, in the hub's account: a NAT gateway and its address per zone, and its own attachment.
    const egressVpc =
      account === hubAccount
        ? sum([
            alternativeLine(account, NAT_GATEWAY_HOUR, egressZones),
            alternativeLine(account, PUBLIC_IPV4_HOUR, egressZones),
            alternativeLine(account, TRANSIT_GATEWAY_ATTACHMENT_HOUR, 1),
          ])
        : 0;
    const centralizedEgress = centralizedPlanned ? asPlanned : withoutEgress + attachment + egressVpc;
    return { account, asPlanned, natGatewayPerZone, transitGatewayHub, centralizedEgress };
  });
  const total = (key: keyof CostFigures) => accounts.reduce((amount, account) => amount + account[key], 0);
  return {
    priceFile,
    pricesChecked: prices.checked,
    regions: [...regions].sort(),
    hoursPerMonth: hours,
    usage,
    assumedPrices: [...assumed].sort(),
    lines,
    accounts,
    total: {
      asPlanned: total('asPlanned'),
      natGatewayPerZone: total('natGatewayPerZone'),
      transitGatewayHub: total('transitGatewayHub'),
      centralizedEgress: total('centralizedEgress'),
    },
    countedUnplanned: inputs.stacks.filter((stack) => !stack.plan).map((stack) => stack.name),
    perGb: { natGateway: prices.find('nat-gateway-gb', org.homeRegion)?.usd, transitGateway: prices.find('transit-gateway-gb', org.homeRegion)?.usd },
  };
}

type LineMaker = (account: string, what: string, purpose: CostPurpose, quantity: number, unit: string, priceItem: string, region: string) => CostLine;

/** Delivery of the stated volume to S3 each month, and its storage for as long as the VPC keeps its logs. */
function flowLogLines(org: Organization, resource: StackResource, account: string, gbPerMonth: number, hours: number, line: LineMaker): CostLine[] {
  if (resource.values.log_destination_type !== 's3')
    return [line(account, `flow log to ${String(resource.values.log_destination_type)}`, 'flow logs', 0, 'GB', 'unpriced', resource.region)];
  const vpcs = [...org.network.vpcs, ...org.retiredAccounts.flatMap((account) => account.inService.network.vpcs)];
  const retentionDays = vpcs.find((networked) => networked.id === resource.accountId)?.vpc.flowLogs.retentionDays;
  const storedMonths = retentionDays === undefined ? 1 : (retentionDays * 24) / hours;
  return [
    line(account, `flow log delivery to S3 (${gbPerMonth} GB a month)`, 'flow logs', gbPerMonth, 'GB', 'vended-logs-s3-gb', resource.region),
    line(
      account,
      `flow log storage (${gbPerMonth} GB a month kept ${retentionDays ?? '~30'} days)`,
      'flow logs',
      gbPerMonth * storedMonths,
      'GB-month',
      's3-standard-gb-month',
      resource.region,
    ),
  ];
}

/**
 * The organization trail: its management events (the free first copy), its data events on Terraform
 * state, and the log archive's storage of every account's logs for as long as it keeps them, billed to
 * the log archive account.
 */
function trailLines(
  org: Organization,
  resource: StackResource,
  account: string,
  usage: { trailLogGb: number; stateDataEvents: number },
  hours: number,
  line: LineMaker,
): CostLine[] {
  const { region } = resource;
  const selectors = Array.isArray(resource.values.event_selector) ? (resource.values.event_selector as Record<string, unknown>[]) : [];
  const dataEvents = selectors.some((selector) => Array.isArray(selector.data_resource) && selector.data_resource.length > 0);
  const accounts = everyAccount(org).length;
  const { expirationDays } = org.audit.logArchive;
  return [
    line(account, 'organization trail, management events (first copy)', 'audit', 1, 'trail-month', 'cloudtrail-management-events-first-copy', region),
    ...(dataEvents
      ? [
          line(
            account,
            `trail data events on Terraform state (${usage.stateDataEvents} a month)`,
            'audit',
            usage.stateDataEvents / 100000,
            '100k events',
            'cloudtrail-data-events-100k',
            region,
          ),
        ]
      : []),
    line(
      org.logArchive.name,
      `trail log storage (${usage.trailLogGb} GB a month from each of ${accounts} accounts, kept ${expirationDays} days)`,
      'audit',
      usage.trailLogGb * accounts * ((expirationDays * 24) / hours),
      'GB-month',
      's3-standard-gb-month',
      region,
    ),
  ];
}

/** Every member of the organization, retired and still to be created ones included. */
function everyAccount(org: Organization): string[] {
  return [...org.accounts, ...org.retiredAccounts, ...org.pendingAccounts].map((account) => account.name);
}

function rootVolume(
  values: Readonly<Record<string, unknown>>,
  template: Readonly<Record<string, unknown>> | undefined,
  defaultGib: number,
): { type: string; gib: number } {
  const own = first(values.root_block_device);
  const fromTemplate = first(first(template?.block_device_mappings)?.ebs);
  const source = own ?? fromTemplate;
  return { type: stringValue(source?.volume_type) ?? 'gp3', gib: typeof source?.volume_size === 'number' ? source.volume_size : defaultGib };
}

function first(value: unknown): Record<string, unknown> | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return item && typeof item === 'object' ? (item as Record<string, unknown>) : undefined;
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && !value.includes('${') ? value : undefined;
}

function baseAddress(resource: StackResource): string {
  return resource.address.replace(/\[.*\]$/, '');
}

function sum(lines: readonly Pick<CostLine, 'count' | 'monthlyUsd'>[]): number {
  return lines.reduce((amount, cost) => amount + cost.count * cost.monthlyUsd, 0);
}

/** Identical charges of one account as one line with a count, in the order first met. */
function aggregate(lines: readonly CostLine[]): CostLine[] {
  const merged = new Map<string, CostLine>();
  for (const cost of lines) {
    const key = JSON.stringify([cost.account, cost.what, cost.priceItem, cost.region, cost.quantity]);
    const existing = merged.get(key);
    merged.set(key, existing ? { ...existing, count: existing.count + cost.count } : cost);
  }
  return [...merged.values()];
}

export function renderCost(data: CostData): string {
  const delta = (amount: number, base: number) =>
    Math.abs(amount - base) < 0.005 ? usd(amount) : `${usd(amount)} (${amount > base ? '+' : ''}${usd(amount - base)})`;
  const summary = table(
    ['account', 'as planned', 'NAT gateway per zone', 'Transit Gateway hub', 'centralized egress'],
    [
      ...data.accounts.map((account) => [
        account.retired ? `${account.account} (retired: left in AWS)` : account.account,
        usd(account.asPlanned),
        delta(account.natGatewayPerZone, account.asPlanned),
        delta(account.transitGatewayHub, account.asPlanned),
        delta(account.centralizedEgress, account.asPlanned),
      ]),
      [
        '**total**',
        `**${usd(data.total.asPlanned)}**`,
        `**${delta(data.total.natGatewayPerZone, data.total.asPlanned)}**`,
        `**${delta(data.total.transitGatewayHub, data.total.asPlanned)}**`,
        `**${delta(data.total.centralizedEgress, data.total.asPlanned)}**`,
      ],
    ],
    ['left', 'right', 'right', 'right', 'right'],
  );
  const counted = table(
    ['account', 'what', 'count', 'each, a month', 'monthly'],
    data.lines.map((cost) => [
      cost.account,
      cost.what,
      String(cost.count),
      cost.unitUsd === undefined ? `no price for ${code(cost.priceItem)} in ${cost.region}` : `${quantity(cost.quantity)} ${cost.unit} × ${cost.unitUsd}`,
      usd(cost.count * cost.monthlyUsd),
    ]),
    ['left', 'left', 'right', 'left', 'right'],
  );
  const unpriced = data.lines.filter((cost) => cost.unitUsd === undefined);
  const perGb = [
    data.perGb.natGateway !== undefined && `a NAT gateway ${data.perGb.natGateway} per GB it processes`,
    data.perGb.transitGateway !== undefined && `a Transit Gateway ${data.perGb.transitGateway} per GB between VPCs (peering carries it free within a zone)`,
  ].filter((text): text is string => Boolean(text));
  return blocks(
    '## 5. Cost',
    `Monthly estimate (${data.hoursPerMonth} hours) of what the plans create that carries a fixed monthly charge, in USD at the on-demand ` +
      `list prices for ${listing(data.regions)} of ${code(data.priceFile)} (checked ${data.pricesChecked}). Charges per use (data processed or transferred, requests, ` +
      'storage beyond the stated flow log and trail log volumes, images in ECR) are not included.' +
      (data.countedUnplanned.length ? ` Counted from the synthesized configuration, without a plan: ${listing(data.countedUnplanned.map(code))}.` : '') +
      (data.accounts.some((account) => account.retired)
        ? ' A retired account is billed for what its stack held in service: Terraform forgot it, nothing destroyed it; delete it by hand (or close the account) to stop the charges.'
        : ''),
    summary,
    unpriced.length > 0 && `**Incomplete**: ${unpriced.length} charge(s) have no price in the price file and count as 0 below.`,
    '- **NAT gateway per zone**: every VPC with internet egress gets a NAT gateway and its public IPv4 address in each zone instead of its NAT instance or single gateway (no zone depends on another).\n' +
      '- **Transit Gateway hub**: one Transit Gateway attachment per VPC instead of the peering mesh (a peering connection has no hourly charge); the routes follow the connectivity rules, summarized.\n' +
      "- **centralized egress**: the hub, and one egress VPC in the network account with a NAT gateway per zone instead of every VPC's own NAT: per-VPC NAT costs grow with the VPCs, the egress VPC's do not, the attachments do." +
      (perGb.length ? `\n- Per GB on top: ${listing(perGb)}.` : ''),
    counted,
    `Stated, not measured (${code(data.priceFile)}):\n${Object.values(data.usage)
      .map((usage) => `- ${usage.value} ${usage.unit}: ${usage.why}`)
      .join('\n')}`,
    data.assumedPrices.length > 0 && `Prices the file marks as assumptions:\n${data.assumedPrices.map((text) => `- ${text}`).join('\n')}`,
  );
}

function quantity(amount: number): string {
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(2);
}

export function costRecords(data: CostData): Record<string, string> {
  const figures = (cost: CostFigures) =>
    `${usd(cost.asPlanned)} a month (NAT gateway per zone ${usd(cost.natGatewayPerZone)}, Transit Gateway hub ${usd(cost.transitGatewayHub)}, centralized egress ${usd(cost.centralizedEgress)})`;
  return {
    ...Object.fromEntries(data.accounts.map((account) => [account.account, figures(account)])),
    ...Object.fromEntries(data.lines.map((cost) => [`${cost.account}: ${cost.what}`, `${cost.count} × ${usd(cost.monthlyUsd)}`])),
    total: figures(data.total),
  };
}
