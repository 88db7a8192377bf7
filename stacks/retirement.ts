// Retiring an account is one diff. The organization is built a second time, aside (never synthesized),
// with every account in service; each stack then forgets what that build holds and it does not: whole
// resources, and the for_each instances of blocks both hold. Terraform removes them from state without
// destroying any. A stack that holds nothing any more (a retired account's, the peering mesh once fewer
// than two VPCs are left) stays, with its state and providers, until its removed blocks are applied. No
// other stack or construct knows about retirement.
import { AmiLaunchPermission } from '@cdktf/provider-aws/lib/ami-launch-permission';
import type { App, TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import type { Account, Organization } from '../description/model';
import { type ForgettingStack, forgetResourcesOf } from '../modules/common/forget';
import { AccountProviders, useOrganizationState } from './conventions';
import { SelfContainedStack } from './self-contained-stack';

/** A stack and the providers its resources act through: Terraform needs the same ones to forget them. */
export interface StackWithProviders extends ForgettingStack {
  readonly providers: AccountProviders;
}

/**
 * Grants to a retired account rather than things it holds: withdrawn (destroyed), not forgotten, so that a
 * retired account launches no shared AMI (docs/retiring-an-account.md).
 */
const WITHDRAWN_ON_RETIREMENT: ReadonlySet<string> = new Set([AmiLaunchPermission.tfResourceType]);

/** The stack of a retired account, or of a stack that holds nothing any more: state, providers and removed blocks. */
class EmptiedStack extends SelfContainedStack implements StackWithProviders {
  readonly providers: AccountProviders;

  constructor(scope: Construct, org: Organization, name: string, home: Account) {
    super(scope, name);
    useOrganizationState(this, org, name);
    this.providers = new AccountProviders(this, org, home, name);
  }
}

/**
 * Makes every stack of `stacks` (by name) forget what the same stack of `heldInService` (the organization
 * built aside with every account in service) held, and adds a stack for each one that held something and no
 * longer exists; returns the stacks added.
 */
export function forgetWhatServiceHeld(
  app: App,
  org: Organization,
  stacks: ReadonlyMap<string, StackWithProviders>,
  heldInService: ReadonlyMap<string, StackWithProviders>,
): StackWithProviders[] {
  const added: StackWithProviders[] = [];
  for (const [name, held] of heldInService) {
    let now = stacks.get(name);
    if (!now) {
      now = new EmptiedStack(app, org, name, held.providers.home);
      added.push(now);
    }
    for (const { account, region } of held.providers.aliases()) now.providers.for(account, region);
    forgetResourcesOf(held, now, (resource: TerraformResource) => WITHDRAWN_ON_RETIREMENT.has(resource.terraformResourceType));
  }
  return added;
}
