// Isolation against an insider with a stolen key, who gets in and who acts: MFA devices, group membership
// in the identity account, the platform roles, IAM users elsewhere, a retired account. Each way in,
// attempted with the IAM simulator on the synthesized policies (__tests__/insider.ts), denied; next to it,
// the legitimate path still allowed.
import { findRole, userAsPrincipal } from '../scripts/lib/access-matrix';
import { SIGNED_IN_WITH_MFA } from '../scripts/lib/iam-simulator';
import { editedOrg, synthesizeOrg } from './helpers';
import { INSIDER_ORGS, insiderScene, planned, synthesized } from './insider';
import { crossAccountRoleName } from '../naming/names';

describe.each(INSIDER_ORGS)('the %s organization against an insider', (name) => {
  const { cast, world, org, identity, user, userArn, mfaArn } = insiderScene(name);

  describe('MFA devices', () => {
    const me = cast.identityUser;

    it.each([
      ['iam:CreateVirtualMFADevice', mfaArn(me)],
      ['iam:EnableMFADevice', userArn(me)],
      ['iam:ResyncMFADevice', userArn(me)],
      ['iam:DeleteVirtualMFADevice', mfaArn(me)],
    ])("with long-term access keys alone, %s on one's own user is denied", async (action, resource) => {
      expect(await world.attempt(user(me, 'access-key'), action, resource)).toBe('denied');
    });

    it("a console sign-in without MFA enrols its own first device, and no one else's", async () => {
      const console = user(me, 'password-without-mfa');
      expect(await world.attempt(console, 'iam:CreateVirtualMFADevice', mfaArn(me))).toBe('allowed');
      expect(await world.attempt(console, 'iam:EnableMFADevice', userArn(me))).toBe('allowed');
      expect(await world.attempt(console, 'iam:EnableMFADevice', userArn(cast.otherUser))).toBe('denied');
      expect(await world.attempt(console, 'iam:CreateVirtualMFADevice', mfaArn(cast.otherUser))).toBe('denied');
    });

    it('with MFA, a user manages their own devices and keys', async () => {
      const signedIn = user(me, SIGNED_IN_WITH_MFA);
      expect(await world.attempt(signedIn, 'iam:EnableMFADevice', userArn(me))).toBe('allowed');
      expect(await world.attempt(signedIn, 'iam:CreateAccessKey', userArn(me))).toBe('allowed');
    });

    it('stolen keys without MFA switch into no role', async () => {
      for (const account of org.accounts.filter((candidate) => candidate !== identity)) {
        expect([account.name, await world.switchInto(user(me, 'access-key'), account.id, crossAccountRoleName(cast.administrators))]).toEqual([
          account.name,
          'denied',
        ]);
      }
    });
  });

  describe('group membership in the identity account', () => {
    const admin = () => world.administratorUser('mallory');

    it('nobody tags a user into a group, joins one, or gives a user permissions; the deploy role does', async () => {
      const attempts: [string, string, Record<string, string | string[]>][] = [
        ['iam:TagUser', userArn(cast.identityUser), { 'aws:TagKeys': ['group:billing'], 'aws:RequestTag/group:billing': 'member' }],
        ['iam:UntagUser', userArn(cast.otherUser), { 'aws:TagKeys': [`group:${cast.developers}`] }],
        ['iam:CreateUser', userArn('mallory'), { 'aws:TagKeys': [`group:${cast.administrators}`], [`aws:RequestTag/group:${cast.administrators}`]: 'member' }],
        ['iam:AddUserToGroup', `arn:aws:iam::${identity.id}:group/${cast.administrators}`, {}],
        ['iam:PutUserPolicy', userArn(cast.identityUser), {}],
        ['iam:AttachGroupPolicy', `arn:aws:iam::${identity.id}:group/${cast.developers}`, {}],
      ];
      for (const [action, resource, context] of attempts) {
        expect([action, await world.attempt(admin(), action, resource, { context })]).toEqual([action, 'denied']);
        expect([action, await world.attempt(world.deployRole(identity), action, resource, { context })]).toEqual([action, 'allowed']);
      }
    });

    it("nobody takes over another user's credentials (key, password, MFA device)", async () => {
      for (const action of ['iam:CreateAccessKey', 'iam:UpdateLoginProfile', 'iam:CreateLoginProfile', 'iam:DeactivateMFADevice', 'iam:EnableMFADevice']) {
        for (const administrator of [admin(), world.administratorRole(identity)]) {
          expect([action, administrator.arn, await world.attempt(administrator, action, userArn(cast.otherUser))]).toEqual([
            action,
            administrator.arn,
            'denied',
          ]);
        }
        expect([action, await world.attempt(admin(), action, userArn('mallory'))]).toEqual([action, 'allowed']);
      }
      expect(await world.attempt(world.deployRole(identity), 'iam:CreateLoginProfile', userArn(cast.otherUser))).toBe('allowed');
    });

    it('an administrator of the identity account still creates users without group tags and roles', async () => {
      const administrator = world.administratorRole(identity);
      expect(await world.attempt(administrator, 'iam:CreateUser', userArn('service-user'), { context: { 'aws:TagKeys': ['team'] } })).toBe('allowed');
      expect(await world.attempt(administrator, 'iam:CreateRole', `arn:aws:iam::${identity.id}:role/build-runner`)).toBe('allowed');
    });
  });

  describe('platform roles, their policies and the application roles', () => {
    const prod = () => world.named(cast.prod);

    it('an administrator of prod cannot widen a role through its policy or profile; the deploy role can', async () => {
      const account = prod();
      const administrator = world.member(cast.administrators, account);
      for (const [action, resource] of [
        ['iam:CreatePolicyVersion', `arn:aws:iam::${account.id}:policy/triage`],
        ['iam:SetDefaultPolicyVersion', `arn:aws:iam::${account.id}:policy/triage`],
        ['iam:PutRolePolicy', `arn:aws:iam::${account.id}:role/application/ec2-instance`],
        ['iam:AttachRolePolicy', `arn:aws:iam::${account.id}:role/application/ecs-task`],
        ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${account.id}:role/application/ecs-task-execution`],
        ['iam:AddRoleToInstanceProfile', `arn:aws:iam::${account.id}:instance-profile/application/ec2-instance`],
        ['iam:RemoveRoleFromInstanceProfile', `arn:aws:iam::${account.id}:instance-profile/application/ec2-instance`],
        ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${account.id}:role/${crossAccountRoleName(cast.developers)}`],
      ]) {
        expect([action, resource, await world.attempt(administrator, action, resource)]).toEqual([action, resource, 'denied']);
        expect([action, resource, await world.attempt(world.deployRole(account), action, resource)]).toEqual([action, resource, 'allowed']);
      }
    });

    it("the administrator still manages the account's own policies and roles", async () => {
      const account = prod();
      const administrator = world.member(cast.administrators, account);
      expect(await world.attempt(administrator, 'iam:CreatePolicyVersion', `arn:aws:iam::${account.id}:policy/webapp-permissions`)).toBe('allowed');
      expect(await world.attempt(administrator, 'iam:PutRolePolicy', `arn:aws:iam::${account.id}:role/webapp-task`)).toBe('allowed');
    });
  });

  describe('IAM users outside the identity account', () => {
    it.each(['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile'])(
      'an administrator of every other member account cannot %s; the deploy role can',
      async (action) => {
        for (const account of org.accounts.filter((candidate) => candidate !== identity && candidate.name !== org.management.name)) {
          const resource = `arn:aws:iam::${account.id}:user/backdoor`;
          expect([account.name, await world.attempt(world.administratorRole(account), action, resource)]).toEqual([account.name, 'denied']);
          expect([account.name, await world.attempt(world.deployRole(account), action, resource)]).toEqual([account.name, 'allowed']);
        }
      },
    );
  });
});

describe('a retired account', () => {
  const retire = editedOrg({ 'qa.yaml': (file) => (file.retired = true) });

  it("moves to the retired accounts' OU, where nothing but the deploy role acts, and nobody switches in", async () => {
    const world = await synthesized(retire);
    const qa = world.named('qa');
    expect(qa.ou).toBe('Suspended');
    const sessionInQa = world.administratorRole(qa, crossAccountRoleName('ops'));
    for (const [action, resource] of [
      ['s3:GetObject', 'arn:aws:s3:::qa-data/report.csv'],
      ['ec2:RunInstances', `arn:aws:ec2:us-east-1:${qa.id}:instance/*`],
      ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${qa.id}:role/${crossAccountRoleName('ops')}`],
    ]) {
      expect([action, await world.attempt(sessionInQa, action, resource)]).toEqual([action, 'denied']);
      expect([action, await world.attempt(world.deployRole(qa), action, resource)]).toEqual([action, 'allowed']);
    }
    // dave (ops) holds AdministratorAccess in the identity account, and qa's cross-ops role, forgotten by Terraform, still trusts him.
    const dave = userAsPrincipal(world.iam, world.identity.id, 'dave', SIGNED_IN_WITH_MFA);
    const inService = planned('default');
    const crossOps = findRole(inService.iam, qa.id, 'cross-ops')!;
    const switchToQa = (into: typeof world) =>
      into.attempt(dave, 'sts:AssumeRole', crossOps.arn, { resourceAccountId: qa.id, resourcePolicy: crossOps.trustPolicy });
    expect(await switchToQa(inService)).toBe('allowed');
    expect(await switchToQa(world)).toBe('denied');
    expect(await world.switchInto(dave, world.named('prod').id, 'cross-ops')).toBe('allowed');
  });

  it('stays a member account, moved, not forgotten nor destroyed', async () => {
    const { stack } = await synthesizeOrg(retire);
    const management = stack('management');
    const [address, account] = Object.entries(management.resource!.aws_organizations_account).find(([, candidate]) => candidate.name === 'qa')!;
    expect(account.parent_id).toMatch(/^\$\{aws_organizations_organizational_unit\.organization_ou-Suspended_\w+\.id\}$/);
    expect(account.lifecycle).toMatchObject({ prevent_destroy: true });
    expect(JSON.stringify(management.removed ?? [])).not.toContain(address);
  });
});
