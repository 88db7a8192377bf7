// modules/organization: the organization and its OU tree, member accounts, alternate contacts.
import { AlternateContacts } from '../../../modules/organization/alternate-contacts';
import { MemberAccount, type MemberAccountProps } from '../../../modules/organization/member-account';
import { Organization, type OrganizationProps } from '../../../modules/organization/organization';
import { synthScope } from '../synth-scope';

const ORGANIZATION: OrganizationProps = {
  serviceAccessPrincipals: ['cloudtrail.amazonaws.com'],
  enabledPolicyTypes: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'],
  organizationalUnits: [{ path: 'Workloads' }, { path: 'Workloads/NonProd', adoptId: 'ou-abcd-11111111' }, { path: 'Suspended' }],
};

describe('the organization', () => {
  const out = synthScope((scope) => new Organization(scope, 'organization', { ...ORGANIZATION, adoptId: 'o-abcdef1234' }));
  const units = out.byId('aws_organizations_organizational_unit');
  const idOf = (name: string) => Object.entries(units).find(([, unit]) => unit.name === name)![0];

  it('has all features and the given trusted services and policy types, and no plan destroys it', () => {
    expect(out.one('aws_organizations_organization')).toEqual({
      feature_set: 'ALL',
      aws_service_access_principals: ['cloudtrail.amazonaws.com'],
      enabled_policy_types: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'],
      lifecycle: { prevent_destroy: true },
    });
  });

  it('nests each OU under its parent by path, top-level ones under the root', () => {
    const root = out.reference('aws_organizations_organization', 'roots[0].id');
    expect(units[idOf('Workloads')].parent_id).toBe(root);
    expect(units[idOf('Suspended')].parent_id).toBe(root);
    expect(units[idOf('NonProd')].parent_id).toBe(`\${aws_organizations_organizational_unit.${idOf('Workloads')}.id}`);
  });

  it('adopts the organization and the OUs given an id, and creates the others', () => {
    expect(out.json.import).toEqual([
      { to: `aws_organizations_organization.${Object.keys(out.byId('aws_organizations_organization'))[0]}`, id: 'o-abcdef1234' },
      { to: `aws_organizations_organizational_unit.${idOf('NonProd')}`, id: 'ou-abcd-11111111' },
    ]);
  });

  it('refuses an OU listed before its parent', () => {
    expect(() =>
      synthScope(
        (scope) => new Organization(scope, 'organization', { ...ORGANIZATION, organizationalUnits: [{ path: 'Workloads/NonProd' }, { path: 'Workloads' }] }),
      ),
    ).toThrow('OU Workloads/NonProd comes before its parent');
  });
});

describe('a member account', () => {
  const PROPS: MemberAccountProps = {
    name: 'dev',
    email: 'dev@example.com',
    parentId: 'ou-abcd-11111111',
    roleName: 'test-deploy',
    tags: { Environment: 'dev' },
  };

  it('is never destroyed, closed or replaced by a plan', () => {
    const out = synthScope((scope) => new MemberAccount(scope, 'dev', PROPS));
    expect(out.one('aws_organizations_account')).toEqual({
      name: 'dev',
      email: 'dev@example.com',
      parent_id: 'ou-abcd-11111111',
      role_name: 'test-deploy',
      iam_user_access_to_billing: 'ALLOW',
      close_on_deletion: false,
      tags: { Environment: 'dev' },
      lifecycle: { prevent_destroy: true, ignore_changes: ['name', 'email', 'role_name', 'iam_user_access_to_billing'] },
    });
    expect(out.json.import).toBeUndefined();
  });

  it('adopted, is imported by id, which is known at synth', () => {
    let accountId = '';
    const out = synthScope((scope) => (accountId = new MemberAccount(scope, 'dev', { ...PROPS, adoptId: '333333333333' }).accountId));
    expect(accountId).toBe('333333333333');
    expect(out.json.import).toEqual([{ to: `aws_organizations_account.${Object.keys(out.byId('aws_organizations_account'))[0]}`, id: '333333333333' }]);
  });
});

describe('alternate contacts', () => {
  const contact = (name: string) => ({ name, title: 'On call', email: `${name}@example.com`, phone: '+1 555 0100' });

  it('one per subject given, for the member account by id', () => {
    const out = synthScope(
      (scope) => new AlternateContacts(scope, 'contacts', { accountId: '333333333333', contacts: { security: contact('sec'), billing: contact('bill') } }),
    );
    expect(
      out
        .all('aws_account_alternate_contact')
        .map((resource) => [resource.alternate_contact_type, resource.account_id, resource.email_address])
        .sort(),
    ).toEqual([
      ['BILLING', '333333333333', 'bill@example.com'],
      ['SECURITY', '333333333333', 'sec@example.com'],
    ]);
  });

  it('for the management account, without an account id', () => {
    const out = synthScope((scope) => new AlternateContacts(scope, 'contacts', { contacts: { operations: contact('ops') } }));
    expect(out.one('aws_account_alternate_contact')).toEqual({
      alternate_contact_type: 'OPERATIONS',
      name: 'ops',
      title: 'On call',
      email_address: 'ops@example.com',
      phone_number: '+1 555 0100',
    });
  });
});
