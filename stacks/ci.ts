// organization.yaml `ci`: what a pull request's workflow run plans with in each account. The management
// account's OIDC provider and the deploy role's CI trust are the bootstrap stack's (bootstrap-stack.ts).
import type { TerraformStack } from 'cdktf';
import type { Account, Organization } from '../description/model';
import { oidcProvider, PlanRole, pullRequestSubject } from '../modules/ci/github-oidc';
import { planRoleName } from '../naming/names';

export function buildCiAccess(stack: TerraformStack, org: Organization, account: Account): void {
  const { ci, state } = org;
  if (!ci) return;
  const isManagement = account.name === org.management.name;
  const provider = ci.existingOidcProviders || isManagement ? undefined : oidcProvider(stack, 'ci-oidc-provider', ci.oidcHost);
  new PlanRole(stack, 'ci-plan-role', {
    roleName: planRoleName(org.name),
    trust: { partition: org.partition, accountId: account.id, oidcHost: ci.oidcHost, subject: pullRequestSubject(ci.repository) },
    state: isManagement && state.backend === 's3' ? { bucketName: state.bucket, keyPrefix: state.keyPrefix } : undefined,
    dependsOn: provider && [provider],
  });
}
