// The insider tests' world (insider-*.test.ts): an organization as synthesized or planned, with a way to
// evaluate any request as AWS would across its accounts (the IAM simulator: identity policies, the service
// control policies over the caller's account, resource policies), and who plays the insider in each
// organization under test.
import type { SimulationOrgPolicies } from '@cloud-copilot/iam-simulate';
import { loadOrganization } from '../description/load';
import type { Account, Organization, PendingAccount } from '../description/model';
import { findRole, memberAsPrincipal, userAsPrincipal } from '../scripts/lib/access-matrix';
import {
  assumeRoleRequest,
  loadIamSimulator,
  type RequestPrincipal,
  roleSessionPrincipal,
  SIGNED_IN_WITH_MFA,
  type SignIn,
  type Verdict,
} from '../scripts/lib/iam-simulator';
import { readSynthesizedIam } from '../scripts/lib/synthesized-iam';
import type { TerraformJson } from '../scripts/lib/synthesized';
import { synthesizeOrg } from './helpers';
import { serviceControlPoliciesOf } from './service-control-policies';
import { PLANNED_ORGS, plannedOrg } from './setup/planned';
import { crossAccountRoleName } from '../naming/names';

const simulator = loadIamSimulator();
const ADMINISTRATOR_ACCESS = { name: 'AdministratorAccess', document: simulator.awsManagedPolicy('AdministratorAccess') };

/** The organization as synthesized, with a way to evaluate any request as AWS would across its accounts. */
function organizationUnderTest(org: Organization, stacks: ReadonlyMap<string, TerraformJson>) {
  const iam = readSynthesizedIam(
    [...stacks].map(([name, json]) => ({ name, json })),
    (policy) => simulator.awsManagedPolicy(policy),
  );
  const management = stacks.get(org.management.name)!;
  const every: readonly (PendingAccount & { id: string })[] = [...org.accounts, ...org.retiredAccounts];
  const scpsOf = (accountId: string): SimulationOrgPolicies[] => {
    const account = every.find((candidate) => candidate.id === accountId)!;
    return account.name === org.management.name ? [] : serviceControlPoliciesOf(management, org, account);
  };
  const named = (name: string): Account => [...org.accounts, ...org.retiredAccounts].find((account) => account.name === name)!;
  return {
    org,
    iam,
    identity: org.identity,
    named,
    /** What AWS answers `principal` asking for `action` on `resource`, SCPs of its account included. */
    async attempt(
      principal: RequestPrincipal,
      action: string,
      resource: string,
      options: { resourceAccountId?: string; resourcePolicy?: unknown; context?: Record<string, string | string[]> } = {},
    ): Promise<Verdict> {
      return simulator.evaluate({
        principal,
        action,
        resource,
        resourceAccountId: options.resourceAccountId ?? principal.accountId,
        resourcePolicy: options.resourcePolicy,
        context: { 'aws:RequestedRegion': org.homeRegion, ...options.context },
        serviceControlPolicies: scpsOf(principal.accountId),
      });
    },
    /** Switching into a role, with the SCPs of the caller's account. */
    async switchInto(principal: RequestPrincipal, accountId: string, roleName: string): Promise<Verdict> {
      const role = findRole(iam, accountId, roleName);
      if (!role) return 'denied';
      return simulator.evaluate({
        ...assumeRoleRequest(principal, role),
        context: { 'aws:RequestedRegion': org.homeRegion },
        serviceControlPolicies: scpsOf(principal.accountId),
      });
    },
    /** A member of `group` acting in `account`: signed in to the identity account, or in its cross-<group> role elsewhere. */
    member(group: string, account: Account, signIn: SignIn = SIGNED_IN_WITH_MFA): RequestPrincipal {
      if (account.id === org.identity.id) return memberAsPrincipal(iam, org.partition, account.id, group, signIn);
      const role = findRole(iam, account.id, crossAccountRoleName(group));
      if (!role) throw new Error(`${group} has no role in ${account.name}`);
      return roleSessionPrincipal(role, `member-of-${group}`);
    },
    /** Terraform in `account`, through the deploy role. */
    deployRole(account: Account): RequestPrincipal {
      return roleAs(account, org.deployRole, [ADMINISTRATOR_ACCESS]);
    },
    /** An IAM user of the identity account with AdministratorAccess and every user's policies, as an administrator there could make. */
    administratorUser(userName: string): RequestPrincipal {
      const identityId = org.identity.id;
      const someone = iam.users.find((candidate) => candidate.accountId === identityId)!;
      const arn = `arn:aws:iam::${identityId}:user/${userName}`;
      return {
        arn,
        accountId: identityId,
        policies: [...someone.policies.filter((policy) => policy.name === 'require-mfa'), ADMINISTRATOR_ACCESS],
        context: {
          'aws:PrincipalArn': arn,
          'aws:PrincipalAccount': identityId,
          'aws:username': userName,
          'aws:MultiFactorAuthPresent': 'true',
          'aws:MultiFactorAuthAge': '60',
        },
      };
    },
    /** A role of `account` named `roleName` with AdministratorAccess, as an account administrator could make. */
    administratorRole(account: Account, roleName = 'administrator'): RequestPrincipal {
      return roleAs(account, roleName, [ADMINISTRATOR_ACCESS]);
    },
  };
}

function roleAs(account: Account, roleName: string, policies: RequestPrincipal['policies']): RequestPrincipal {
  const arn = `arn:aws:iam::${account.id}:role/${roleName}`;
  return {
    arn: `arn:aws:sts::${account.id}:assumed-role/${roleName}/session`,
    accountId: account.id,
    policies,
    context: { 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': account.id, 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' },
  };
}

export function planned(name: string) {
  const org = loadOrganization(PLANNED_ORGS[name]);
  return organizationUnderTest(org, new Map([...plannedOrg(name)].map(([stack, { json }]) => [stack, json])));
}

export async function synthesized(orgDir: string) {
  const { org, stacks } = await synthesizeOrg(orgDir);
  return organizationUnderTest(org, new Map(stacks.filter((stack) => stack.json).map((stack) => [stack.name, stack.json!])));
}

/** Per organization: a user who administers the identity account (or the broadest one there), a developer group, an administrator group. */
const CAST = {
  default: { identityUser: 'dave', otherUser: 'erin', developers: 'dev', administrators: 'ops', prod: 'prod', nonProd: 'qa' },
  'five-accounts': { identityUser: 'ben', otherUser: 'cho', developers: 'developers', administrators: 'sre', prod: 'production', nonProd: 'staging' },
} as const;

/** The organizations every insider test runs against. */
export const INSIDER_ORGS = Object.keys(CAST) as (keyof typeof CAST)[];

/** One planned organization under test, its cast, and its identity account's users as principals and ARNs. */
export function insiderScene(name: keyof typeof CAST) {
  const world = planned(name);
  const { identity } = world;
  return {
    cast: CAST[name],
    world,
    org: world.org,
    identity,
    user: (userName: string, signIn: SignIn) => userAsPrincipal(world.iam, identity.id, userName, signIn),
    userArn: (userName: string) => `arn:aws:iam::${identity.id}:user/${userName}`,
    mfaArn: (userName: string) => `arn:aws:iam::${identity.id}:mfa/${userName}`,
  };
}
