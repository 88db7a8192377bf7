// The management stack's organization: adopted or created, its OUs, its member accounts (adopted by id or
// created), what no plan may do to them, and the ids it gives back.
import { loadOrganization } from '../description/load';
import { alternateContactsOf } from '../description/management';
import { auditServicePrincipals } from '../stacks/audit';
import { formatChanges } from '../scripts/lib/offline-plan';
import type { TerraformJson } from '../scripts/lib/synthesized';
import { editedOrg, synthesizeOrg } from './helpers';
import { PLANNED_ORGS, plannedOrg } from './setup/planned';

type Resource = Record<string, any>;
const resourcesOf = (json: TerraformJson, type: string): [string, Resource][] => Object.entries(json.resource?.[type] ?? {});
const importsOf = (json: TerraformJson) => (json.import ?? []) as { to: string; id: string }[];
/** Import block target -> id, with the target named by the resource's `name` (accounts) or its type. */
function adoptedByName(json: TerraformJson): Record<string, string> {
  return Object.fromEntries(
    importsOf(json).map(({ to, id }) => {
      const [type, name] = to.split('.');
      return [json.resource![type][name].name ?? type, id];
    }),
  );
}

describe.each([
  ['default', 'management'],
  ['five-accounts', 'payer'],
])("the %s organization's management stack", (orgName, managementName) => {
  const org = loadOrganization(PLANNED_ORGS[orgName]);
  const stacks = plannedOrg(orgName);
  const management = stacks.get(managementName)!;
  const accounts = resourcesOf(management.json, 'aws_organizations_account').map(([, account]) => account);
  const planned = (type: string) => management.resources.filter((resource) => resource.type === type);

  it('holds one aws_organizations_account per member account, adopted or to create, and none for the management account', () => {
    const members = [...org.accounts.filter((account) => account !== org.management), ...org.pendingAccounts];
    expect(accounts.map((account) => account.name).sort()).toEqual(members.map((account) => account.name).sort());
    for (const account of accounts) {
      const described = members.find((member) => member.name === account.name)!;
      expect(account).toMatchObject({ email: described.email, role_name: org.deployRole, iam_user_access_to_billing: 'ALLOW' });
    }
  });

  it('can neither destroy nor close an account, nor replace one over a field AWS cannot change after creation', () => {
    expect(accounts.length).toBeGreaterThan(0);
    for (const account of accounts) {
      expect(account.close_on_deletion).toBe(false);
      expect(account.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['name', 'email', 'role_name', 'iam_user_access_to_billing'] });
    }
    const [[, organization]] = resourcesOf(management.json, 'aws_organizations_organization');
    expect(organization.lifecycle).toEqual({ prevent_destroy: true });
  });

  it("sets every account's alternate contacts from the description, a member's by its id once the organization trusts account.amazonaws.com", () => {
    const accountRef = (name: string) =>
      org.accounts.find((candidate) => candidate.name === name)?.id ?? expect.stringMatching(/^\$\{aws_organizations_account\./);
    const expected = [...org.accounts, ...org.pendingAccounts].flatMap((account) =>
      Object.entries(alternateContactsOf(org, account)).map(([subject, contact]) => ({
        ...(account.name === org.management.name ? {} : { account_id: accountRef(account.name) }),
        alternate_contact_type: subject.toUpperCase(),
        email_address: contact!.email,
        name: contact!.name,
        title: contact!.title,
        phone_number: contact!.phone,
        ...(account.name === org.management.name ? {} : { depends_on: [expect.stringMatching(/^aws_organizations_organization\./)] }),
      })),
    );
    expect(expected.length).toBeGreaterThan(0);
    const synthesized = resourcesOf(management.json, 'aws_account_alternate_contact').map(([, contact]) => contact);
    expect(synthesized).toEqual(expect.arrayContaining(expected.map((contact) => expect.objectContaining(contact))));
    expect(synthesized).toHaveLength(expected.length);
    // Planned as described.
    expect(
      planned('aws_account_alternate_contact')
        .map((contact) => contact.values.email_address)
        .sort(),
    ).toEqual(expected.map((contact) => contact.email_address).sort());
    const [[, organization]] = resourcesOf(management.json, 'aws_organizations_organization');
    expect(organization.aws_service_access_principals).toContain('account.amazonaws.com');
  });

  it('runs the organization with all features, service control and tag policies enabled', () => {
    const [[, organization]] = resourcesOf(management.json, 'aws_organizations_organization');
    expect(organization).toMatchObject({ feature_set: 'ALL', enabled_policy_types: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'] });
    expect(organization.aws_service_access_principals).toEqual(
      [
        ...new Set(['tagpolicies.tag.amazonaws.com', 'account.amazonaws.com', ...auditServicePrincipals(org), ...org.awsOrganization.serviceAccessPrincipals]),
      ].sort(),
    );
  });

  it('places each account in its OU, each OU under its parent, down from the root', () => {
    const ous = new Map(resourcesOf(management.json, 'aws_organizations_organizational_unit'));
    const pathOf = (parentId: string): string => {
      const [, type, name] = /^\$\{(aws_[a-z_]+)\.([^.]+)\./.exec(parentId)!;
      if (type === 'aws_organizations_organization') return '';
      const ou = ous.get(name)!;
      const parent = pathOf(ou.parent_id);
      return parent ? `${parent}/${ou.name}` : ou.name;
    };
    expect([...ous.keys()].map((name) => pathOf(`\${aws_organizations_organizational_unit.${name}.id}`)).sort()).toEqual(
      org.organizationalUnits.map((ou) => ou.path),
    );
    for (const account of accounts) {
      const described = [...org.accounts, ...org.pendingAccounts].find((member) => member.name === account.name)!;
      expect(pathOf(account.parent_id)).toBe(described.ou ?? '');
    }
  });

  it('adopts every account that has an id with an import block, and creates the others', () => {
    const adopted = adoptedByName(management.json);
    for (const account of org.accounts.filter((candidate) => candidate !== org.management)) expect(adopted[account.name]).toBe(account.id);
    for (const account of org.pendingAccounts) expect(adopted[account.name]).toBeUndefined();
    const [[name]] = resourcesOf(management.json, 'aws_organizations_organization');
    expect(importsOf(management.json).some(({ to }) => to === `aws_organizations_organization.${name}`)).toBe(org.awsOrganization.id !== undefined);
  });

  it('plans offline without the import blocks, each adopted object as a create, and says how many it dropped', () => {
    const imports = importsOf(management.json).length;
    expect(management.check.importsDropped).toBe(imports);
    // Terraform was given no import block: it plans no import.
    expect(management.plan.resource_changes.filter((change: any) => change.change.importing)).toEqual([]);
    expect(planned('aws_organizations_account').map((account) => [account.values.name, account.actions])).toEqual(
      accounts.map((account) => [account.name, ['create']]),
    );
    expect(planned('aws_organizations_organization').map((organization) => organization.actions)).toEqual([['create']]);
    expect(planned('aws_organizations_organizational_unit')).toHaveLength(org.organizationalUnits.length);
    for (const [name, stack] of stacks) if (name !== managementName) expect(stack.check.importsDropped ?? 0).toBe(0);
    // What plan:offline prints for the stack.
    expect(formatChanges(management.check)).toBe(
      `${management.check.changes!.add} to add, 0 to change, 0 to destroy (${imports} imports dropped offline: planned as creates)`,
    );
  });

  it('is the only stack that touches the organization', () => {
    for (const [name, stack] of stacks) {
      if (name === managementName) continue;
      expect(
        Object.keys(stack.json.resource ?? {}).filter(
          (type) => type.startsWith('aws_organizations_') || type.startsWith('aws_ce_') || type === 'aws_budgets_budget',
        ),
      ).toEqual([]);
    }
  });

  it('outputs the organization, root, OU and account ids', () => {
    const outputs = management.plan.output_changes;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['account_ids', 'organization_id', 'organization_root_id', 'organizational_unit_ids']));
    expect(Object.keys(outputs.organizational_unit_ids.after_unknown).sort()).toEqual(org.organizationalUnits.map((ou) => ou.path));
    // Known at plan for every account with an id; a created account's once it exists.
    expect(outputs.account_ids.after).toEqual(Object.fromEntries(org.accounts.map((account) => [account.name, account.id])));
    const created = org.pendingAccounts.map((account) => [account.name, true]);
    expect(outputs.account_ids.after_unknown).toEqual(created.length ? Object.fromEntries(created) : false);
  });
});

describe('adoption, synthesized', () => {
  const managementOf = async (dir: string) => {
    const { stack, org } = await synthesizeOrg(dir, { warn: () => undefined });
    return stack(org.management.name);
  };

  it('an organization without an id is created: no import block for it, the accounts with ids still adopted', async () => {
    const json = await managementOf(editedOrg({ 'organization.yaml': (org) => delete org.awsOrganization.id }));
    expect(adoptedByName(json)).toEqual({ dev: '222222222222', prod: '444444444444', qa: '333333333333' });
  });

  it('an account whose id is removed is created (its budget, cost category rule and monitor wait for its id); an OU with an id is adopted', async () => {
    const json = await managementOf(
      editedOrg({
        'qa.yaml': (qa) => delete qa.id,
        'organization.yaml': (org) => (org.awsOrganization.organizationalUnits = { Workloads: { id: 'ou-ab12-cd34ef56' } }),
      }),
    );
    expect(adoptedByName(json)).toEqual({
      aws_organizations_organization: 'o-a1b2c3d4e5',
      Workloads: 'ou-ab12-cd34ef56',
      dev: '222222222222',
      prod: '444444444444',
    });
    const [[qaName]] = resourcesOf(json, 'aws_organizations_account').filter(([, account]) => account.name === 'qa');
    const qaId = `\${aws_organizations_account.${qaName}.id}`;
    const budget = resourcesOf(json, 'aws_budgets_budget').find(([, b]) => b.name === 'webomates-qa-monthly')![1];
    expect(budget.cost_filter).toEqual([{ name: 'LinkedAccount', values: [qaId] }]);
    expect(JSON.stringify(resourcesOf(json, 'aws_ce_cost_category')[0][1].rule)).toContain(qaId);
    expect(resourcesOf(json, 'aws_ce_anomaly_monitor').find(([, m]) => m.name === 'webomates-qa')![1].monitor_specification).toContain(qaId);
  });
});
