// The management stack's part of the description (awsOrganization, guardrails, costs, and each account's
// budget): the defaults it resolves to, and the exact error each kind of bad input gets.
import { loadOrganization } from '../description/load';
import { DEFAULT_ORG, editedOrg, problemsOf } from './helpers';

describe('the defaults', () => {
  it('need only what differs: every guardrail at the root, regions and tag values taken from the rest of the description', () => {
    const org = loadOrganization(editedOrg({ 'organization.yaml': (o) => (delete o.guardrails, delete o.costs, delete o.awsOrganization) }));
    expect(org.awsOrganization).toEqual({ serviceAccessPrincipals: [], organizationalUnits: {}, retiredAccountsOu: 'Suspended' });
    expect(org.guardrails).toEqual({
      denyLeavingOrganization: { targets: ['root'] },
      denyRootUser: { targets: ['root'] },
      denyOutsideAllowedRegions: { targets: ['root'], regions: ['us-east-1', 'us-west-2'] },
      protectPlatformRoles: { targets: ['root'], exemptRoles: [] },
      protectIdentity: { targets: ['root'], exemptRoles: [] },
      denyIamUsersOutsideIdentityAccount: { targets: ['root'], exemptRoles: [] },
      protectSharedArtifacts: { targets: ['root'], exemptRoles: [] },
      protectAccountBaseline: { targets: ['root'], exemptRoles: [] },
      protectAuditTrail: { targets: ['root'], exemptRoles: [] },
      suspendRetiredAccounts: { targets: ['Suspended'], exemptRoles: [] },
      environmentTagPolicy: { targets: ['root'], values: ['dev', 'management', 'prod', 'qa'], enforcedFor: [] },
    });
    expect(org.costs).toEqual({
      activateAllocationTags: true,
      anomalyAlerts: { emails: ['aws-management@example.com'], thresholdUsd: 100, frequency: 'DAILY' },
    });
  });

  it('list every OU the accounts name, with its parents, parents first', () => {
    const org = loadOrganization(editedOrg({ 'organization.yaml': (o) => (o.awsOrganization.organizationalUnits = { 'Sandbox/Teams': {} }) }));
    expect(org.organizationalUnits.map((ou) => ou.path)).toEqual(['Sandbox', 'Sandbox/Teams', 'Suspended', 'Workloads', 'Workloads/NonProd', 'Workloads/Prod']);
  });

  it("alert an account's own email about its budget unless its file names others; an account without budget has none", () => {
    const org = loadOrganization(editedOrg({ 'dev.yaml': (dev) => delete dev.budget }));
    const budgets = Object.fromEntries(org.accounts.map((account) => [account.name, account.budget]));
    expect(budgets).toEqual({
      management: { monthlyUsd: 50, alertEmails: ['aws-management@example.com'] },
      dev: undefined,
      prod: { monthlyUsd: 1000, alertEmails: ['aws-prod@example.com', 'finance@example.com'] },
      qa: { monthlyUsd: 200, alertEmails: ['aws-qa@example.com'] },
    });
  });

  it('of the environments/ organization adopt its organization', () => {
    expect(loadOrganization(DEFAULT_ORG).awsOrganization.id).toBe('o-a1b2c3d4e5');
  });
});

describe('bad input', () => {
  const guardrails = (edit: (guardrails: any) => void) => ({ 'organization.yaml': (o: any) => edit(o.guardrails) });

  it.each([
    [
      'a guardrail aimed at nothing known',
      guardrails((g) => (g.denyRootUser.targets = ['Workload'])),
      [
        'organization.yaml: guardrails.denyRootUser.targets[0] names "Workload", which is neither "root", an OU nor an account (OUs: Suspended, Workloads, Workloads/NonProd, Workloads/Prod; accounts: dev, management, prod, qa)',
      ],
    ],
    [
      'a service control policy aimed at the management account',
      guardrails((g) => (g.denyOutsideAllowedRegions.targets = ['root', 'management'])),
      [
        'organization.yaml: guardrails.denyOutsideAllowedRegions.targets[1] names the management account "management", which service control policies never restrict',
      ],
    ],
    [
      'a target that is both an OU and an account',
      { ...guardrails((g) => (g.denyRootUser.targets = ['qa'])), 'dev.yaml': (dev: any) => (dev.ou = 'qa') },
      ['organization.yaml: guardrails.denyRootUser.targets[0] names "qa", which is both an OU and an account; rename one of them'],
    ],
    [
      'a target named twice',
      guardrails((g) => (g.denyLeavingOrganization.targets = ['root', 'root'])),
      ['organization.yaml: guardrails.denyLeavingOrganization.targets[1] names "root" again'],
    ],
    [
      'allowed regions without the home region',
      guardrails((g) => (g.denyOutsideAllowedRegions.regions = ['us-west-2'])),
      ['organization.yaml: guardrails.denyOutsideAllowedRegions.regions (us-west-2) leaves out homeRegion "us-east-1", where every stack deploys'],
    ],
    [
      "tag values without an account's environment",
      guardrails((g) => (g.environmentTagPolicy.values = ['dev', 'prod', 'management'])),
      ['organization.yaml: guardrails.environmentTagPolicy.values leaves out "qa", the environment of qa.yaml, whose resources are tagged with it'],
    ],
    [
      'an adopted OU in an organization to create',
      { 'organization.yaml': (o: any) => (delete o.awsOrganization.id, (o.awsOrganization.organizationalUnits = { Workloads: { id: 'ou-ab12-cd34ef56' } })) },
      ['organization.yaml: awsOrganization.organizationalUnits.Workloads.id adopts an OU, which only an existing organization has: set awsOrganization.id too'],
    ],
    [
      'an organization id of the wrong form',
      { 'organization.yaml': (o: any) => (o.awsOrganization.id = 'org-123') },
      ['organization.yaml: awsOrganization.id "org-123" is not an organization id (o- and 10-32 lowercase letters or digits)'],
    ],
    [
      'an OU id of the wrong form',
      { 'organization.yaml': (o: any) => (o.awsOrganization.organizationalUnits = { Workloads: { id: 'ou-1' } }) },
      ['organization.yaml: awsOrganization.organizationalUnits.Workloads.id "ou-1" is not an OU id (ou-xxxx-xxxxxxxx)'],
    ],
    [
      'an OU path of the wrong form',
      { 'organization.yaml': (o: any) => (o.awsOrganization.organizationalUnits = { 'Workloads//Prod': {} }) },
      ['organization.yaml: awsOrganization.organizationalUnits.Workloads//Prod "Workloads//Prod" is not a valid OU path (e.g. Workloads/NonProd)'],
    ],
    [
      'a service principal that is not one',
      { 'organization.yaml': (o: any) => (o.awsOrganization.serviceAccessPrincipals = ['sso']) },
      ['organization.yaml: awsOrganization.serviceAccessPrincipals[0] "sso" is not an AWS service principal (e.g. sso.amazonaws.com)'],
    ],
    [
      'a resource type that is not one',
      guardrails((g) => (g.environmentTagPolicy.enforcedFor = ['instance'])),
      ['organization.yaml: guardrails.environmentTagPolicy.enforcedFor[0] "instance" is not a resource type (service:type, e.g. ec2:instance)'],
    ],
    [
      'a guardrail that does not exist',
      guardrails((g) => (g.denyRootUsers = { targets: ['root'] })),
      ['organization.yaml: guardrails.denyRootUsers is not a known field (did you mean "denyRootUser"?)'],
    ],
    [
      'more than 10 anomaly alert emails',
      { 'organization.yaml': (o: any) => (o.costs.anomalyAlerts.emails = Array.from({ length: 11 }, (_, i) => `finops${i}@example.com`)) },
      ['organization.yaml: costs.anomalyAlerts.emails has more than 10 entries'],
    ],
    [
      'an anomaly frequency AWS does not mail',
      { 'organization.yaml': (o: any) => (o.costs.anomalyAlerts.frequency = 'IMMEDIATE') },
      ['organization.yaml: costs.anomalyAlerts.frequency is "IMMEDIATE", expected "DAILY" or "WEEKLY"'],
    ],
    ['a budget of nothing', { 'qa.yaml': (qa: any) => (qa.budget.monthlyUsd = 0) }, ['qa.yaml: budget.monthlyUsd is 0, expected more than 0']],
    [
      'a budget without an amount',
      { 'qa.yaml': (qa: any) => (qa.budget = { alertEmails: ['qa@example.com'] }) },
      ['qa.yaml: budget.monthlyUsd is required (expected a number)'],
    ],
    [
      'a budget alert to a non-address',
      { 'qa.yaml': (qa: any) => (qa.budget.alertEmails = ['qa-team']) },
      ['qa.yaml: budget.alertEmails[0] "qa-team" is not a valid email address'],
    ],
  ])('%s', (_label, edits, expected) => {
    expect(problemsOf(editedOrg(edits as never))).toEqual(expected);
  });
});
