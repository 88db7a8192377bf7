// The organization as the rest of the code sees it: the validated description with every default resolved.
import type { Partition } from '../naming/arn';
import type { AccountFile } from './schema/account';
import type { AdoptedVpc } from './schema/adoption';
import type { ConnectivityRule, Egress, ExternalPeer, Topology, VpcFile } from './schema/network';
import type { OrganizationFile } from './schema/organization';

/** An account as its file describes it, with defaults resolved; its id is not known yet. */
export interface PendingAccount extends Omit<AccountFile, 'id' | 'budget' | 'vpc'> {
  /** The file name without extension: the account's name and its stack's name. */
  readonly name: string;
  /** The file it came from, as shown in messages. */
  readonly file: string;
  readonly environment: string;
  readonly costCenter: string;
  readonly budget?: Budget;
  /** Its VPC: the addresses it reserves, and how it reaches the internet. */
  readonly vpc?: { readonly cidr: string; readonly egress: Egress | 'centralized' };
}

/** An account that exists: it has an id, and a stack of its own. */
export interface Account extends PendingAccount {
  readonly id: string;
  /** Its VPC as it will be built. */
  readonly vpc?: AccountVpc;
}

/**
 * An account out of service (retired: true). It stays a member of the organization; its stack holds
 * nothing but what Terraform is to forget, and no role, share or peering of another account reaches it.
 */
export interface RetiredAccount extends Account {
  /** The organization as it was with this account in service: what its stack and the peering mesh held, to forget. */
  readonly inService: Organization;
}

export type S3State = Extract<OrganizationFile['state'], { backend: 's3' }> & { bucket: string; accessLogBucket: string; region: string };
export type CloudState = Extract<OrganizationFile['state'], { backend: 'cloud' }> & { workspacePrefix: string };

type Resolved<T> = Omit<T, 'consumers'> & {
  /** Names of the consuming accounts that have an id. */
  readonly consumers: readonly string[];
};

export type SharedRepository = Resolved<OrganizationFile['sharing']['ecr'][number]>;
export type SharedAmi = Resolved<OrganizationFile['sharing']['amis'][number]>;

export interface SharedArtifacts {
  readonly ecr: readonly SharedRepository[];
  readonly amis: readonly SharedAmi[];
  /** Whether the project creates its AMI key in the artifact account. */
  readonly amiKey: boolean;
  /** Roles of the artifact account that push images and change shared artifacts, with the deploy role. */
  readonly publisherRoles: readonly string[];
}

/** An account's monthly budget, alerts addressed. */
export interface Budget {
  readonly monthlyUsd: number;
  readonly alertEmails: readonly string[];
}

type FileGuardrails = OrganizationFile['guardrails'];

/** The organization policies, parameters resolved but for the protected roles (a naming convention of the stacks). */
export interface Guardrails extends Omit<FileGuardrails, 'denyOutsideAllowedRegions' | 'environmentTagPolicy'> {
  readonly denyOutsideAllowedRegions: FileGuardrails['denyOutsideAllowedRegions'] & { readonly regions: readonly string[] };
  readonly environmentTagPolicy: FileGuardrails['environmentTagPolicy'] & { readonly values: readonly string[] };
}

/** An OU by its path under the root; with an id when it exists and is adopted. */
export interface OrganizationalUnit {
  readonly path: string;
  readonly id?: string;
}

export interface Costs extends Omit<OrganizationFile['costs'], 'anomalyAlerts'> {
  readonly anomalyAlerts: OrganizationFile['costs']['anomalyAlerts'] & { readonly emails: readonly string[] };
}

/** The accounts organization.yaml names by their role: resolved once, never looked up by name or position. */
type AccountRoleField = 'managementAccount' | 'identityAccount' | 'artifactAccount' | 'logArchiveAccount' | 'securityAccount';

/** A cell of the access matrix outside the identity account: the role `group` switches into in `account`. */
export interface CrossAccountGrant {
  readonly group: string;
  readonly account: Account;
  readonly roleName: string;
  readonly roleArn: string;
  readonly permissions: readonly string[];
}

/** The Identity Center instance organization.yaml names, with the account that administers it. */
export interface IdentityCenter extends Omit<NonNullable<OrganizationFile['identity']['identityCenter']>, 'region' | 'delegatedAdministrator'> {
  readonly region: string;
  /** Where it is built: the delegated administrator, or the management account. */
  readonly administrator: Account;
}

export interface Organization extends Omit<
  OrganizationFile,
  AccountRoleField | 'identity' | 'deployers' | 'state' | 'sharing' | 'guardrails' | 'costs' | 'network' | 'networkQuotas'
> {
  /** The description's directory, as shown in messages. */
  readonly dir: string;
  /** The AWS partition of the home region: every ARN names it. */
  readonly partition: Partition;
  /** Who may assume the management account's deploy role and the state role: ARNs. */
  readonly deployers: readonly string[];
  readonly state: S3State | CloudState;
  readonly sharing: SharedArtifacts;
  /** Every account in service with an id, the management account first, then by name. */
  readonly accounts: readonly Account[];
  /** The management (payer) account. */
  readonly management: Account;
  /** Where IAM users live and sign in. */
  readonly identity: Account;
  /** Where ECR images and AMIs are built and shared from. */
  readonly artifact: Account;
  /** Where the organization's logs are kept. */
  readonly logArchive: Account;
  /** The delegated administrator of GuardDuty and Security Hub; undefined when both are off. */
  readonly securityAdministrator?: Account;
  /** Every cross-account role the access matrix makes, group by group (accounts with an id only). */
  readonly crossAccountGrants: readonly CrossAccountGrant[];
  /** How people reach the accounts: IAM users, IAM Identity Center, or both (identity.mode). */
  readonly identityMode: OrganizationFile['identity']['mode'];
  /** The Identity Center instance, when named. */
  readonly identityCenter?: IdentityCenter;
  /** Accounts out of service, by name: members of the organization whose stacks Terraform forgets. */
  readonly retiredAccounts: readonly RetiredAccount[];
  /** Accounts described without an id: the management stack creates them; they get no stack until their id is recorded. */
  readonly pendingAccounts: readonly PendingAccount[];
  /** Every OU the accounts or awsOrganization name, with their ancestors; parents before children. */
  readonly organizationalUnits: readonly OrganizationalUnit[];
  readonly guardrails: Guardrails;
  readonly costs: Costs;
  readonly network: Network;
  /**
   * A pull request's run (CDKTF_CREDENTIALS=plan): every provider and the state backend take CI's plan role
   * with the run's OIDC token, in this file, instead of the deploy and state roles. Never set by the description.
   */
  readonly planWithCiRole?: { readonly webIdentityTokenFile: string };
}

export interface NetworkZone {
  readonly name: string;
  readonly privateSubnet: string;
  readonly publicSubnet: string;
}

/** An inclusive TCP port range; a single port has from === to. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** One account's VPC as it will be built. */
export interface AccountVpc {
  readonly cidr: string;
  readonly zones: readonly NetworkZone[];
  /** Its route tables by key: public, then private-<zone> for each zone. */
  readonly routeTables: readonly string[];
  /** How its private subnets reach the internet: its own way, or through the transit gateway (egress: centralized). */
  readonly egress: Egress | 'centralized';
  readonly natInstanceType: string;
  readonly flowLogs: VpcFile['flowLogs'];
  readonly peerPorts: readonly PortRange[];
  /** The accounts whose VPCs it may reach and be reached from (the connectivity rules), those not created yet included. */
  readonly peers: readonly string[];
  /** The fewest prefixes covering every peer and holding only addresses of its own VPC and its peers'. */
  readonly peerAclPrefixes: readonly string[];
  /** What the baseline security group admits: per TCP port range, the fewest prefixes covering exactly the peers it is open to. */
  readonly peerSecurityGroupRules: readonly SecurityGroupRule[];
  /** Its routes to the peers in service (and, with centralized egress, to the internet), in the order of the peers. */
  readonly routes: readonly VpcRoute[];
  /** The existing VPC it is, when adopted: its zones' subnets are the adopted ones. */
  readonly adopted?: AdoptedVpc;
  /** VPCs outside the organization it requests peering with. */
  readonly externalPeers: readonly ExternalPeer[];
}

export interface SecurityGroupRule {
  readonly ports: PortRange;
  readonly prefixes: readonly string[];
}

/** An account with a VPC. */
export type NetworkedAccount = Account & { readonly vpc: AccountVpc };

/** A VPC peering connection: the requester's account asks, the accepter's accepts. Names of accounts. */
export interface PeeringConnection {
  readonly requester: string;
  readonly accepter: string;
}

/** A route of a VPC's route table to a peer's addresses, through their peering connection. */
export interface PeeringRoute {
  /** The route table's key (AccountVpc.routeTables). */
  readonly table: string;
  readonly destination: string;
  /** The account whose VPC it leads to. */
  readonly peer: string;
  readonly connection: PeeringConnection;
}

/** A route of a VPC's route table through the transit gateway: to peers (a prefix may summarize several), or the internet. */
export interface GatewayRoute {
  readonly table: string;
  readonly destination: string;
  readonly transitGateway: true;
}

export type VpcRoute = PeeringRoute | GatewayRoute;

/** VPCs that reach the same VPCs share a route table of the gateway: associated with it, and reached through its propagations. */
export interface GatewaySegment {
  /** Keys its route table: the members' environment when it is theirs alone, else its first member's name. */
  readonly name: string;
  /** The accounts whose attachments it routes. */
  readonly members: readonly string[];
  /** The accounts whose VPC CIDRs it learns from their attachments: the members and every VPC they may reach. */
  readonly propagations: readonly string[];
  /** With centralized egress: the default route to the egress VPC, and a blackhole for each VPC in service the members may not reach (none hairpins through the egress VPC). */
  readonly blackholes: readonly string[];
}

/** The VPC in the network account every member reaches the internet through (egress: centralized). */
export interface EgressVpc {
  readonly cidr: string;
  readonly zones: readonly NetworkZone[];
  /** The members' addresses, summarized: its public route table sends the replies back through the gateway. */
  readonly memberPrefixes: readonly string[];
}

export interface TransitGateway {
  /** The account that owns the gateway, shares it, and routes it. */
  readonly account: Account;
  readonly segments: readonly GatewaySegment[];
  readonly egress?: EgressVpc;
}

export interface Network {
  readonly quotas: OrganizationFile['networkQuotas'];
  readonly topology: Topology;
  /** The connectivity rules; none: every two VPCs reach each other. */
  readonly connectivity?: readonly ConnectivityRule[];
  /** The accounts with a VPC that have a stack, in the order of `accounts` (the deploy order). */
  readonly vpcs: readonly NetworkedAccount[];
  /** Every peering connection between two VPCs the rules connect: the earlier in `vpcs` requests. None with the gateway, unless kept to migrate. */
  readonly connections: readonly PeeringConnection[];
  readonly transitGateway?: TransitGateway;
}
