// organization.yaml `ci`: what a GitHub Actions run of the repository can do with its OIDC token. A pull
// request's run (PR code) plans with a read-only role; only the deploy branch's runs reach the deploy role.
// Proven with the IAM simulator on the synthesized policies, the legitimate path next to each attack; and
// the description's problems as GitHub error annotations on their YAML lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganization, DescriptionError } from '../description/load';
import { findRole } from '../scripts/lib/access-matrix';
import type { RequestPrincipal } from '../scripts/lib/iam-simulator';
import { oidcProviderArn } from '../naming/arn';
import { planRoleName } from '../naming/names';
import { editedOrg, problemsOf, runNode, synthesizeOrg } from './helpers';
import { synthesized } from './insider';

const HOST = 'token.actions.githubusercontent.com';
const REPOSITORY = 'example-org/aws-organization';
const withCi = () => editedOrg({ 'organization.yaml': (file) => (file.ci = { repository: REPOSITORY }) });

describe('CI roles (organization.yaml ci)', () => {
  const dir = withCi();
  const world = synthesized(dir);

  /** A run of the repository presenting its OIDC token for `subject` to STS in `accountId`. */
  const githubRun = (accountId: string, subject: string): RequestPrincipal => ({
    arn: oidcProviderArn('aws', accountId, HOST),
    accountId,
    policies: [],
    context: { [`${HOST}:sub`]: subject, [`${HOST}:aud`]: 'sts.amazonaws.com' },
  });
  const pullRequest = (accountId: string) => githubRun(accountId, `repo:${REPOSITORY}:pull_request`);
  const mainBranch = (accountId: string) => githubRun(accountId, `repo:${REPOSITORY}:ref:refs/heads/main`);

  /**
   * The simulator's condition key data lacks the standard OIDC claims <host>:sub and <host>:aud for
   * sts:AssumeRoleWithWebIdentity (it ignores them, so nothing would ever match): they are evaluated under
   * the names of another issuer's same claims, which it knows, in the trust policy and the request alike.
   */
  const asKnownClaims = <T>(value: T): T =>
    JSON.parse(JSON.stringify(value).replaceAll(`${HOST}:sub`, 'accounts.google.com:sub').replaceAll(`${HOST}:aud`, 'accounts.google.com:aud'));

  async function assumeWithToken(run: RequestPrincipal, roleName: string): Promise<string> {
    const { iam, attempt } = await world;
    const role = findRole(iam, run.accountId, roleName);
    if (!role) return `no ${roleName} in ${run.accountId}`;
    expect(JSON.stringify(role.trustPolicy)).not.toContain('accounts.google.com');
    return attempt(asKnownClaims(run), 'sts:AssumeRoleWithWebIdentity', role.arn, { resourcePolicy: asKnownClaims(role.trustPolicy) });
  }

  it("a pull request's run assumes the plan role in every account, never a deploy role", async () => {
    const { org } = await world;
    const plan = planRoleName(org.name);
    for (const account of org.accounts) {
      expect([account.name, await assumeWithToken(pullRequest(account.id), plan)]).toEqual([account.name, 'allowed']);
    }
    expect(await assumeWithToken(pullRequest(org.management.id), org.deployRole)).toBe('denied');
  });

  it("the deploy branch's run assumes the management account's deploy role; another branch, another repository or audience do not", async () => {
    const { org } = await world;
    const management = org.management.id;
    expect(await assumeWithToken(mainBranch(management), org.deployRole)).toBe('allowed');
    expect(await assumeWithToken(githubRun(management, `repo:${REPOSITORY}:ref:refs/heads/feature`), org.deployRole)).toBe('denied');
    expect(await assumeWithToken(githubRun(management, `repo:someone/fork:ref:refs/heads/main`), org.deployRole)).toBe('denied');
    expect(await assumeWithToken({ ...mainBranch(management), context: { ...mainBranch(management).context, [`${HOST}:aud`]: 'other' } }, org.deployRole)).toBe(
      'denied',
    );
    // The pull request's subject is not a branch's: it never plans with more than the plan role.
    expect(await assumeWithToken(mainBranch(management), planRoleName(org.name))).toBe('denied');
  });

  it('the plan role reads, reads state and takes its lock; it creates no user, writes no state, launches nothing', async () => {
    const { org, iam, attempt } = await world;
    const management = org.management;
    const role = findRole(iam, management.id, planRoleName(org.name))!;
    const session: RequestPrincipal = {
      arn: `arn:aws:sts::${management.id}:assumed-role/${role.name}/pull-request`,
      accountId: management.id,
      policies: role.policies,
      context: { 'aws:PrincipalArn': role.arn, 'aws:PrincipalAccount': management.id },
    };
    const state = org.state.backend === 's3' ? org.state : undefined;
    const bucketPolicy = (await synthesizeOrg(dir)).stack('bootstrap').resource!.aws_s3_bucket_policy;
    const stateBucketPolicy = JSON.parse(
      Object.values(bucketPolicy).find((policy) => JSON.stringify(policy).includes('OnlyStateAndDeployRolesTouchState'))!.policy as string,
    );
    const key = (name: string) => `arn:aws:s3:::${state!.bucket}/${state!.keyPrefix}/${name}`;
    const onState = { resourcePolicy: stateBucketPolicy };
    expect(await attempt(session, 'ec2:DescribeInstances', '*')).toBe('allowed');
    expect(await attempt(session, 's3:GetObject', key('prod.tfstate'), onState)).toBe('allowed');
    expect(await attempt(session, 's3:PutObject', key('prod.tfstate.tflock'), onState)).toBe('allowed');
    expect(await attempt(session, 's3:DeleteObject', key('prod.tfstate.tflock'), onState)).toBe('allowed');
    expect(await attempt(session, 's3:PutObject', key('prod.tfstate'), onState)).toBe('denied');
    expect(await attempt(session, 's3:DeleteObject', key('prod.tfstate'), onState)).toBe('denied');
    expect(await attempt(session, 'iam:CreateUser', `arn:aws:iam::${management.id}:user/backdoor`)).toBe('denied');
    expect(await attempt(session, 'ec2:RunInstances', `arn:aws:ec2:us-east-1:${management.id}:instance/*`)).toBe('denied');
    // The state role, which deploys use, still writes state.
    const stateRole = findRole(iam, management.id, state!.stateRole)!;
    const deploySession = { ...session, arn: `arn:aws:sts::${management.id}:assumed-role/${stateRole.name}/deploy`, policies: stateRole.policies };
    expect(
      await attempt({ ...deploySession, context: { ...session.context, 'aws:PrincipalArn': stateRole.arn } }, 's3:PutObject', key('prod.tfstate'), onState),
    ).toBe('allowed');
  });

  it("a member account's administrator cannot change the plan role's trust or the OIDC provider; the deploy role can", async () => {
    const { org, administratorRole, deployRole, attempt, named } = await world;
    const prod = named('prod');
    for (const [action, resource] of [
      ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${prod.id}:role/${planRoleName(org.name)}`],
      ['iam:AttachRolePolicy', `arn:aws:iam::${prod.id}:role/${planRoleName(org.name)}`],
      ['iam:DeleteOpenIDConnectProvider', oidcProviderArn('aws', prod.id, HOST)],
      ['iam:AddClientIDToOpenIDConnectProvider', oidcProviderArn('aws', prod.id, HOST)],
    ]) {
      expect([action, await attempt(administratorRole(prod), action, resource)]).toEqual([action, 'denied']);
      expect([action, await attempt(deployRole(prod), action, resource)]).toEqual([action, 'allowed']);
    }
  });

  it('CDKTF_CREDENTIALS=plan: every provider and the state backend take the plan role with the OIDC token', async () => {
    const { org } = await world;
    const tokenFile = join(dir, 'oidc-token');
    const synth = runNode('main.ts', [], { ORG_DIR: dir, CDKTF_CREDENTIALS: 'plan', AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, CDKTF_OUTDIR: join(dir, 'out') });
    expect(synth.status).toBe(0);
    const prod = JSON.parse(readFileSync(join(dir, 'out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8'));
    const plan = planRoleName(org.name);
    type Provider = {
      allowed_account_ids: string[];
      assume_role?: unknown;
      assume_role_with_web_identity?: { role_arn: string; web_identity_token_file: string }[];
    };
    const providers: Provider[] = prod.provider.aws;
    expect(providers.length).toBeGreaterThan(0);
    for (const provider of providers) {
      expect(provider.assume_role).toBeUndefined();
      expect(provider.assume_role_with_web_identity).toEqual([
        expect.objectContaining({ role_arn: `arn:aws:iam::${provider.allowed_account_ids[0]}:role/${plan}`, web_identity_token_file: tokenFile }),
      ]);
    }
    expect(prod.terraform.backend.s3.assume_role).toBeUndefined();
    expect(prod.terraform.backend.s3.assume_role_with_web_identity).toMatchObject({
      role_arn: `arn:aws:iam::${org.management.id}:role/${plan}`,
      web_identity_token_file: tokenFile,
    });
    // Without the token, or with another value, nothing is synthesized.
    expect(
      runNode('main.ts', [], { ORG_DIR: dir, CDKTF_CREDENTIALS: 'plan', AWS_WEB_IDENTITY_TOKEN_FILE: '', CDKTF_OUTDIR: join(dir, 'out2') }).stderr,
    ).toContain('AWS_WEB_IDENTITY_TOKEN_FILE: is required with CDKTF_CREDENTIALS=plan');
    expect(runNode('main.ts', [], { ORG_DIR: dir, CDKTF_CREDENTIALS: 'deploy', CDKTF_OUTDIR: join(dir, 'out2') }).stderr).toContain(
      'CDKTF_CREDENTIALS: is "deploy", expected "plan" or nothing',
    );
  });
});

it('with existingOidcProviders, no stack creates a provider, and the roles trust the existing one by its ARN', async () => {
  const { org, stacks } = await synthesizeOrg(
    editedOrg({ 'organization.yaml': (file) => (file.ci = { repository: REPOSITORY, existingOidcProviders: true }) }),
  );
  expect(stacks.filter((stack) => stack.json?.resource?.aws_iam_openid_connect_provider).map((stack) => stack.name)).toEqual([]);
  const prod = stacks.find((stack) => stack.name === 'prod')!.json!;
  const planRole = Object.values(prod.resource!.aws_iam_role).find((role) => role.name === planRoleName(org.name))!;
  expect(JSON.parse(planRole.assume_role_policy as string).Statement[0].Principal.Federated).toBe(
    oidcProviderArn('aws', org.accounts.find((account) => account.name === 'prod')!.id, HOST),
  );
});

describe('organization.yaml ci refused', () => {
  it('names the field of a bad repository, host or branch', () => {
    const dir = editedOrg({ 'organization.yaml': (file) => (file.ci = { repository: 'no-slash', oidcHost: 'https://x', deployBranch: 'a//b', extra: 1 }) });
    expect(problemsOf(dir)).toEqual([
      'organization.yaml: ci.repository "no-slash" is not a GitHub repository (owner/name, e.g. example-org/aws-organization)',
      'organization.yaml: ci.oidcHost "https://x" is not a host name (e.g. token.actions.githubusercontent.com)',
      'organization.yaml: ci.deployBranch "a//b" is not a branch name',
      'organization.yaml: ci.extra is not a known field (expected one of: repository, oidcHost, deployBranch, existingOidcProviders)',
    ]);
  });
});

describe('description problems as GitHub error annotations', () => {
  it('each problem whose line is known is annotated on it, escaped as GitHub reads it', () => {
    const dir = editedOrg({
      'organization.yaml': (file) => (file.ci = { repository: '50%' }),
      'prod.yaml': 'id: "1"\nnotAField: true\n',
    });
    let error: DescriptionError | undefined;
    try {
      loadOrganization(dir);
    } catch (caught) {
      error = caught as DescriptionError;
    }
    const orgLines = readFileSync(join(dir, 'organization.yaml'), 'utf8').split('\n');
    const repositoryLine = orgLines.findIndex((line) => line.includes('repository:')) + 1;
    expect(error!.annotations).toEqual(
      expect.arrayContaining([
        `::error file=${join(dir, 'organization.yaml')},line=${repositoryLine},col=3::ci.repository "50%25" is not a GitHub repository (owner/name, e.g. example-org/aws-organization)`,
        `::error file=${join(dir, 'prod.yaml')},line=1,col=1::id "1" is not a valid AWS account id (12 digits, quoted in YAML)`,
        expect.stringMatching(new RegExp(`^::error file=${join(dir, 'prod.yaml')},line=2,col=1::notAField is not a known field`)),
      ]),
    );
  });

  it('the synth prints them on GitHub Actions only', () => {
    const dir = editedOrg({ 'prod.yaml': (file) => (file.id = '1') });
    const idLine =
      readFileSync(join(dir, 'prod.yaml'), 'utf8')
        .split('\n')
        .findIndex((line) => line.startsWith('id:')) + 1;
    const onGithub = runNode('main.ts', [], { ORG_DIR: dir, GITHUB_ACTIONS: 'true' });
    expect(onGithub.status).toBe(1);
    expect(onGithub.stdout).toBe(
      `::error file=${join(dir, 'prod.yaml')},line=${idLine},col=1::id "1" is not a valid AWS account id (12 digits, quoted in YAML)\n`,
    );
    expect(onGithub.stderr).toContain('prod.yaml: id "1" is not a valid AWS account id');
    const elsewhere = runNode('main.ts', [], { ORG_DIR: dir, GITHUB_ACTIONS: '' });
    expect(elsewhere.status).toBe(1);
    expect(elsewhere.stdout).toBe('');
  });
});
