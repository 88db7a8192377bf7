// How the description maps onto the things every stack shares: tags, session names, state locations and
// providers. One place, so that every stack and every account agree.
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { TerraformStack } from 'cdktf';
import type { Account, Organization, PendingAccount } from '../description/model';
import { iamRoleArn } from '../naming/arn';
import { accountProvider } from '../modules/providers/account-provider';
import { useCloudState, useS3State } from '../modules/state/state-backend';
import { ENVIRONMENT_TAG, MANAGED_BY, planRoleName, sessionName } from '../naming/names';

export function defaultTags(org: Organization, account: PendingAccount): Record<string, string> {
  return {
    [ENVIRONMENT_TAG]: account.environment,
    ManagedBy: MANAGED_BY,
    Organization: org.name,
    [org.costTagKey]: account.costCenter,
  };
}

export function stateKey(org: Organization, stackName: string): string {
  return org.state.backend === 's3' ? `${org.state.keyPrefix}/${stackName}.tfstate` : `${org.state.workspacePrefix}-${stackName}`;
}

/** Points the stack at its own state: a key in the organization's bucket or its own workspace. */
export function useOrganizationState(stack: TerraformStack, org: Organization, stackName: string): void {
  const { management } = org;
  if (org.state.backend === 's3') {
    useS3State(stack, {
      bucket: org.state.bucket,
      key: stateKey(org, stackName),
      region: org.state.region,
      roleArn: iamRoleArn(org.partition, management.id, org.planWithCiRole ? planRoleName(org.name) : org.state.stateRole),
      webIdentityTokenFile: org.planWithCiRole?.webIdentityTokenFile,
      sessionName: sessionName(org.name, `${stackName}-state`),
    });
  } else {
    useCloudState(stack, {
      organization: org.state.organization,
      hostname: org.state.hostname,
      workspace: stateKey(org, stackName),
      project: org.state.project,
    });
  }
}

/**
 * The providers of one stack: the default one acts in the stack's own account; any other account or
 * region gets an aliased provider built the same way, created once on first use.
 */
export class AccountProviders {
  private readonly aliased = new Map<string, { provider: AwsProvider; account: Account; region: string }>();

  constructor(
    private readonly stack: TerraformStack,
    private readonly org: Organization,
    readonly home: Account,
    private readonly stackName = home.name,
  ) {
    this.create(home, org.homeRegion);
  }

  /** The provider acting in `account` (default: the stack's own) and `region` (default: the home region). */
  for(account: Account = this.home, region = this.org.homeRegion): AwsProvider | undefined {
    if (account.name === this.home.name && region === this.org.homeRegion) return undefined; // the default provider
    const alias = region === this.org.homeRegion ? account.name : `${account.name}-${region}`;
    let entry = this.aliased.get(alias);
    if (!entry) {
      entry = { provider: this.create(account, region, alias), account, region };
      this.aliased.set(alias, entry);
    }
    return entry.provider;
  }

  /** Every account and region an aliased provider was created for. */
  aliases(): { account: Account; region: string }[] {
    return [...this.aliased.values()].map(({ account, region }) => ({ account, region }));
  }

  private create(account: Account, region: string, alias?: string): AwsProvider {
    return accountProvider(this.stack, alias ? `aws-${alias}` : 'aws', {
      partition: this.org.partition,
      alias,
      accountId: account.id,
      region,
      ...(this.org.planWithCiRole
        ? { webIdentity: { roleName: planRoleName(this.org.name), tokenFile: this.org.planWithCiRole.webIdentityTokenFile } }
        : { roleName: this.org.deployRole }),
      sessionName: sessionName(this.org.name, this.stackName),
      defaultTags: defaultTags(this.org, account),
    });
  }
}
