// The guardrails: service control policies attached where the description says, and what they do to an
// administrator of a member account, evaluated with the IAM simulator; the Environment tag policy.
import { loadOrganization } from '../description/load';
import type { Organization } from '../description/model';
import { GLOBAL_SERVICE_ACTIONS } from '../modules/guardrails/global-services';
import { ROLE_CHANGING_ACTIONS } from '../modules/guardrails/service-control-policies';
import { PLANNED_ORGS, plannedOrg } from './setup/planned';
import { serviceControlPoliciesByTarget, serviceControlPoliciesOf, simulateAsAdministrator } from './service-control-policies';

const ADMIN_ROLE = 'cross-ops';

function plannedManagement(name: string) {
  const org = loadOrganization(PLANNED_ORGS[name]);
  const management = plannedOrg(name).get(org.management.name)!;
  const policies = (type: string) => management.resources.filter((resource) => resource.type === 'aws_organizations_policy' && resource.values.type === type);
  return { org, json: management.json, policies };
}

/** Every member account, adopted or still to be created, with the id it has (or a stand-in for one not created yet). */
function members(org: Organization) {
  return [...org.accounts.filter((account) => account !== org.management), ...org.pendingAccounts.map((account) => ({ ...account, id: '999999999999' }))];
}

describe('the service control policies of the default organization', () => {
  const { org, json, policies } = plannedManagement('default');

  it('pack the guardrails attached at the root into as few policies as the 5,120-character quota allows, the suspension apart', () => {
    const scps = policies('SERVICE_CONTROL_POLICY');
    expect(scps.map((policy) => [policy.values.name, policy.values.description])).toEqual([
      ['webomates-guardrails-deny-leaving-organization-2', 'Guardrails protectIdentity, protectAccountBaseline, protectAuditTrail'],
      [
        'webomates-guardrails-deny-leaving-organization',
        'Guardrails denyLeavingOrganization, denyRootUser, denyOutsideAllowedRegions, protectPlatformRoles, denyIamUsersOutsideIdentityAccount, protectSharedArtifacts',
      ],
      ['webomates-guardrails-suspend-retired-accounts', 'Guardrails suspendRetiredAccounts'],
    ]);
    const byTarget = serviceControlPoliciesByTarget(json, org);
    expect(Object.fromEntries([...byTarget].map(([target, attached]) => [target, attached.map((policy) => policy.name).sort()]))).toEqual({
      root: ['webomates-guardrails-deny-leaving-organization', 'webomates-guardrails-deny-leaving-organization-2'],
      Suspended: ['webomates-guardrails-suspend-retired-accounts'],
    });
    for (const policy of scps) expect(policy.values.content.length).toBeLessThanOrEqual(5120);
    // The root's guardrails need two policies: one would be over the quota.
    const length = (name: string) => scps.find((policy) => policy.values.name === name)!.values.content.length;
    expect(length('webomates-guardrails-deny-leaving-organization') + length('webomates-guardrails-deny-leaving-organization-2')).toBeGreaterThan(5120);
  });

  describe.each(members(org).map((account) => [account.name, account] as const))('for an administrator of %s', (_name, account) => {
    const scps = serviceControlPoliciesOf(json, org, account);
    const asAdmin = (action: string, resource: string, region = org.homeRegion) =>
      simulateAsAdministrator(scps, { accountId: account.id, roleName: ADMIN_ROLE, action, resource, region });

    it('leaving the organization is denied', async () => {
      expect(await asAdmin('organizations:LeaveOrganization', '*')).toBe('ExplicitlyDenied');
    });

    it('acting outside the allowed regions is denied; inside them it is not', async () => {
      const instance = (region: string) => `arn:aws:ec2:${region}:${account.id}:instance/i-0123456789abcdef0`;
      expect(await asAdmin('ec2:StartInstances', instance('eu-west-1'), 'eu-west-1')).toBe('ExplicitlyDenied');
      for (const region of org.allowedRegions) expect(await asAdmin('ec2:StartInstances', instance(region), region)).toBe('Allowed');
    });

    it('the root user can do nothing', async () => {
      expect(await simulateAsAdministrator(scps, { accountId: account.id, action: 's3:ListAllMyBuckets', resource: '*', region: org.homeRegion })).toBe(
        'ExplicitlyDenied',
      );
    });

    it.each([org.deployRole, 'cross-dev', 'cross-billing'])('only the deploy role changes %s', async (protectedRole) => {
      const role = `arn:aws:iam::${account.id}:role/${protectedRole}`;
      for (const action of ['iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy', 'iam:DeleteRole']) {
        expect(await asAdmin(action, role)).toBe('ExplicitlyDenied');
        expect(await simulateAsAdministrator(scps, { accountId: account.id, roleName: org.deployRole, action, resource: role, region: org.homeRegion })).toBe(
          'Allowed',
        );
      }
    });

    it("the administrator still manages the account's other roles", async () => {
      expect(await asAdmin('iam:UpdateAssumeRolePolicy', `arn:aws:iam::${account.id}:role/webapp-task`)).toBe('Allowed');
    });
  });

  it("protect every change to a role (create, policies, boundary, trust, tags, delete), of the deploy role, every group's cross-account role and the application roles", () => {
    const statements = policies('SERVICE_CONTROL_POLICY').flatMap((policy) => JSON.parse(policy.values.content).Statement);
    const protect = statements.find((statement: any) => statement.Sid === 'ProtectPlatformRoles');
    expect(protect).toEqual({
      Sid: 'ProtectPlatformRoles',
      Effect: 'Deny',
      Action: ROLE_CHANGING_ACTIONS,
      Resource: [
        ...['OrganizationAccountAccessRole', ...Object.keys(org.groups).map((group) => `cross-${group}`)].map((role) => `arn:aws:iam::*:role/${role}`),
        'arn:aws:iam::*:role/application/*',
      ],
      Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/OrganizationAccountAccessRole'] } },
    });
  });
});

describe('the service control policies of the five-accounts organization', () => {
  const { org, json } = plannedManagement('five-accounts');
  const byName = new Map(members(org).map((account) => [account.name, account]));

  it('attach the region guardrail where the description says: an OU, an adopted account and a created one', () => {
    const byTarget = serviceControlPoliciesByTarget(json, org);
    const withRegions = [...byTarget].filter(([, attached]) => attached.some((policy) => JSON.stringify(policy.policy).includes('DenyOutsideAllowedRegions')));
    expect(withRegions.map(([target]) => target).sort()).toEqual(['Workloads', 'identity', 'sandbox']);
    expect(
      byTarget
        .get('root')!
        .map((policy) => policy.name)
        .sort(),
    ).toEqual(['acme-guardrails-deny-leaving-organization', 'acme-guardrails-deny-leaving-organization-2']);
  });

  it.each(['staging', 'production', 'build', 'identity', 'sandbox'])(
    '%s (under a targeted OU or targeted itself) acts only in eu-west-1 and eu-central-1',
    async (name) => {
      const account = byName.get(name)!;
      const scps = serviceControlPoliciesOf(json, org, account);
      const bucket = 'arn:aws:s3:::acme-reports';
      const asAdmin = (region: string) =>
        simulateAsAdministrator(scps, { accountId: account.id, roleName: ADMIN_ROLE, action: 's3:CreateBucket', resource: bucket, region });
      expect(await asAdmin('us-east-1')).toBe('ExplicitlyDenied');
      expect(await asAdmin('eu-central-1')).toBe('Allowed');
    },
  );

  it.each([
    ['iam:CreateRole', 'arn:aws:iam::900000000004:role/reporting'],
    ['sts:AssumeRole', 'arn:aws:iam::900000000002:role/cross-sre'],
    ['route53:ChangeResourceRecordSets', 'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ'],
    ['cloudfront:CreateInvalidation', 'arn:aws:cloudfront::900000000004:distribution/E1ABCDEFGHIJKL'],
    ['organizations:DescribeOrganization', '*'],
    ['support:DescribeCases', '*'],
    ['budgets:ViewBudget', 'arn:aws:budgets::900000000004:budget/acme-staging-monthly'],
    ['ce:GetCostAndUsage', '*'],
    ['health:DescribeEvents', '*'],
  ])('a global service named in the exemption still works from us-east-1: %s', async (action, resource) => {
    const [service] = action.split(':');
    expect(GLOBAL_SERVICE_ACTIONS).toContain(`${service}:*`);
    const staging = byName.get('staging')!;
    const scps = serviceControlPoliciesOf(json, org, staging);
    expect(await simulateAsAdministrator(scps, { accountId: staging.id, roleName: ADMIN_ROLE, action, resource, region: 'us-east-1' })).toBe('Allowed');
  });

  it('protect the deploy role of this organization and the cross-account roles of its groups', async () => {
    const staging = byName.get('staging')!;
    const scps = serviceControlPoliciesOf(json, org, staging);
    const role = 'arn:aws:iam::900000000004:role/cross-developers';
    const change = (roleName: string) =>
      simulateAsAdministrator(scps, { accountId: staging.id, roleName, action: 'iam:PutRolePolicy', resource: role, region: 'eu-west-1' });
    expect(await change('cross-sre')).toBe('ExplicitlyDenied');
    expect(await change('TerraformDeploy')).toBe('Allowed');
  });
});

describe('the Environment tag policy', () => {
  it.each([
    ['default', ['dev', 'management', 'prod', 'qa'], undefined],
    ['five-accounts', ['identity', 'payer', 'production', 'sandbox', 'staging', 'tooling'], ['ec2:instance']],
  ] as const)("%s: allows exactly the accounts' environments, spelled Environment, attached at the root", (name, values, enforcedFor) => {
    const { policies, json, org } = plannedManagement(name);
    const [tagPolicy] = policies('TAG_POLICY');
    expect(JSON.parse(tagPolicy.values.content)).toEqual({
      tags: {
        environment: {
          tag_key: { '@@assign': 'Environment' },
          tag_value: { '@@assign': values },
          ...(enforcedFor ? { enforced_for: { '@@assign': enforcedFor } } : {}),
        },
      },
    });
    const attachments = Object.values(json.resource!.aws_organizations_policy_attachment).filter((attachment) =>
      String(attachment.policy_id).includes('environmentTagPolicy'),
    );
    expect(attachments.map((attachment) => attachment.target_id)).toEqual([
      expect.stringMatching(/^\$\{aws_organizations_organization\.[^.]+\.roots\[0\]\.id\}$/),
    ]);
    expect(org.guardrails.environmentTagPolicy.values).toEqual(values);
  });
});
