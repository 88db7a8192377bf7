// What must exist before any other stack can run: the state bucket and its role, and the deploy role in
// the management account. Run once with management-account credentials; its own state starts local.
import { SelfContainedStack } from './self-contained-stack';
import type { Construct } from 'constructs';
import type { Account, Organization } from '../description/model';
import { DeployRole } from '../modules/baseline/deploy-role';
import { accountProvider } from '../modules/providers/account-provider';
import { useLocalState } from '../modules/state/state-backend';
import { StateBucket } from '../modules/state/state-bucket';
import { defaultTags, useOrganizationState } from './conventions';
import { accountRootArn } from '../naming/arn';
import { planRoleName, sessionName } from '../naming/names';
import { branchSubject, oidcProvider } from '../modules/ci/github-oidc';

export const BOOTSTRAP_STACK = 'bootstrap';

/** A stack's local state, kept outside cdktf.out, which every synth replaces; relative to the stack's working directory. */
const localStateFile = (stackName: string) => `../../../terraform.${stackName}.tfstate`;

/** Days superseded state versions stay recoverable. */
const STATE_VERSION_RETENTION_DAYS = 90;

/** Days the record of who read or wrote state is kept. */
const STATE_ACCESS_LOG_DAYS = 365;

export class BootstrapStack extends SelfContainedStack {
  constructor(scope: Construct, org: Organization) {
    super(scope, BOOTSTRAP_STACK);
    const { management } = org;
    const { state } = org;
    if (state.backend === 's3' && !state.bootstrapStateInBucket) useLocalState(this, localStateFile(BOOTSTRAP_STACK));
    else useOrganizationState(this, org, BOOTSTRAP_STACK);

    // The caller's own credentials: neither the deploy role nor the state role exist yet.
    accountProvider(this, 'aws', {
      partition: org.partition,
      accountId: management.id,
      region: state.backend === 's3' ? state.region : org.homeRegion,
      sessionName: sessionName(org.name, BOOTSTRAP_STACK),
      defaultTags: defaultTags(org, management),
    });
    // CI deploys through this role alone (every member's deploy role trusts the management account): the
    // deploy branch's runs are admitted here, and the OIDC provider they come through is made first.
    const { ci } = org;
    const provider = ci && !ci.existingOidcProviders ? oidcProvider(this, 'ci-oidc-provider', ci.oidcHost) : undefined;
    new DeployRole(this, 'deploy-role', {
      partition: org.partition,
      roleName: org.deployRole,
      trustedPrincipals: org.deployers,
      webIdentity: ci && {
        partition: org.partition,
        accountId: management.id,
        oidcHost: ci.oidcHost,
        subject: branchSubject(ci.repository, ci.deployBranch),
      },
      dependsOn: provider && [provider],
    });
    if (state.backend === 's3') {
      new StateBucket(this, 'state', {
        partition: org.partition,
        bucketName: state.bucket,
        keyPrefix: state.keyPrefix,
        stateRoleName: state.stateRole,
        accountId: management.id,
        deployRoleName: org.deployRole,
        trustedPrincipals: org.deployers,
        planRoleName: ci && planRoleName(org.name),
        noncurrentVersionDays: STATE_VERSION_RETENTION_DAYS,
        accessLogBucketName: state.accessLogBucket,
        accessLogDays: STATE_ACCESS_LOG_DAYS,
      });
    }
  }
}

/** The stack that makes an invited account's deploy role. */
export const invitedAccountBootstrapStackName = (account: Pick<Account, 'name'>) => `${BOOTSTRAP_STACK}-${account.name}`;

/**
 * The deploy role of an account that joined by invitation, where AWS Organizations made none: run once with
 * that account's own credentials (no role exists to assume yet), before it accepts the invitation, after
 * which the protectPlatformRoles guardrail lets no one else create it. The role is the one AWS Organizations
 * makes in the accounts it creates: trusted by the management account, administrator inside. Its state
 * stays local: the state role cannot be reached with that account's credentials.
 */
export class InvitedAccountBootstrapStack extends SelfContainedStack {
  constructor(scope: Construct, org: Organization, account: Account) {
    const name = invitedAccountBootstrapStackName(account);
    super(scope, name);
    useLocalState(this, localStateFile(name));
    accountProvider(this, 'aws', {
      partition: org.partition,
      accountId: account.id,
      region: org.homeRegion,
      sessionName: sessionName(org.name, name),
      defaultTags: defaultTags(org, account),
    });
    new DeployRole(this, 'deploy-role', {
      partition: org.partition,
      roleName: org.deployRole,
      trustedPrincipals: [accountRootArn(org.partition, org.management.id)],
    });
  }
}
