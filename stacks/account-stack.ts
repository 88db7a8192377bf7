// One AWS account = one stack = one Terraform workspace with its own state.
import type { Construct } from 'constructs';
import type { Account, Organization } from '../description/model';
import { SelfContainedStack } from './self-contained-stack';
import { AccountBaseline } from '../modules/baseline/account-baseline';
import type { PeerableVpc } from '../modules/network/peering';
import { AccountProviders, useOrganizationState } from './conventions';
import { buildFindingsAdministration, buildLogArchive } from './audit';
import { buildManagementAccount } from './management';
import { buildIdentity } from './identity';
import { buildIdentityCenter } from './identity-center';
import { buildAccountNetwork } from './network';
import { buildSharing } from './sharing';
import { buildCiAccess } from './ci';

export interface AccountStackProps {
  readonly org: Organization;
  readonly account: Account;
}

// A ForgettingStack (through SelfContainedStack): the management stack forgets what it held for a retired account.
export class AccountStack extends SelfContainedStack {
  readonly providers: AccountProviders;
  /** Its VPC as the peering mesh sees it; undefined without a VPC. */
  readonly peerableVpc: PeerableVpc | undefined;

  constructor(scope: Construct, props: AccountStackProps) {
    const { org, account } = props;
    super(scope, account.name);
    useOrganizationState(this, org, account.name);
    this.providers = new AccountProviders(this, org, account);
    new AccountBaseline(this, 'baseline');
    const logArchivePolicy = buildLogArchive(this, org, account);
    if (account.name === org.management.name) buildManagementAccount(this, org, this.providers, logArchivePolicy);
    buildFindingsAdministration(this, org, account);
    buildIdentity(this, org, account);
    buildIdentityCenter(this, org, account, this.providers);
    this.peerableVpc = buildAccountNetwork(this, org, account);
    buildSharing(this, org, account);
    buildCiAccess(this, org, account);
  }
}
