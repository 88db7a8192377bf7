// A retired account's stack: the same workspace and state, holding nothing but removed blocks for every
// resource its stack held in service, so that Terraform forgets them without destroying any. The account
// stays in the organization: the management stack forgets its member account, budget and anomaly monitor
// the same way; once applied, its state is empty.
import { App } from 'cdktf';
import type { Construct } from 'constructs';
import type { Organization, RetiredAccount } from '../description/model';
import { ForgettingStack, forgetResourcesOf } from '../modules/common/forget';
import { AccountStack } from './account-stack';
import { AccountProviders, useOrganizationState } from './conventions';

export class RetiredAccountStack extends ForgettingStack {
  constructor(scope: Construct, org: Organization, account: RetiredAccount) {
    super(scope, account.name);
    useOrganizationState(this, org, account.name);
    forgetWhatServiceHeld(this, new AccountProviders(this, org, account), account.inService, account.name);
  }
}

/** Makes the management stack forget what it held for the retired accounts (all share one view in service). */
export function forgetRetiredInManagement(management: AccountStack, org: Organization): void {
  const [retired] = org.retiredAccounts;
  if (retired) forgetWhatServiceHeld(management, management.providers, retired.inService, management.node.id);
}

/**
 * The stack of `accountName` as it was with every account in service, built aside (never synthesized): what
 * its retired stack forgets, and what stays in AWS after retirement.
 */
export function stackInService(inService: Organization, accountName: string, outdir?: string): AccountStack {
  return new AccountStack(new App({ outdir, skipValidation: true }), {
    org: inService,
    account: inService.accounts.find((candidate) => candidate.name === accountName)!,
  });
}

/** `stack` forgets what the stack of `accountName` held with every account in service and holds no more. */
function forgetWhatServiceHeld(stack: ForgettingStack, providers: AccountProviders, inService: Organization, accountName: string): void {
  const aside = stackInService(inService, accountName, App.of(stack).outdir);
  // Terraform needs the provider configuration of every resource it forgets.
  for (const { account: other, region } of aside.providers.aliases()) providers.for(other, region);
  forgetResourcesOf(aside, stack);
}
