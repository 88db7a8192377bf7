// modules/ci: GitHub's OIDC provider and the read-only plan role pull requests plan with.
import { oidcProvider, PlanRole } from '../../../modules/ci/github-oidc';
import { synthScope } from '../synth-scope';

const trust = { partition: 'aws' as const, accountId: '111111111111', oidcHost: 'token.actions.githubusercontent.com', subject: 'repo:o/r:pull_request' };

it("the OIDC provider accepts GitHub's tokens for STS; the plan role trusts it for one subject, made after it", () => {
  const out = synthScope((scope) => {
    const provider = oidcProvider(scope, 'provider', trust.oidcHost);
    new PlanRole(scope, 'plan', { roleName: 'test-plan', trust, dependsOn: [provider] });
  });
  expect(out.one('aws_iam_openid_connect_provider')).toEqual({ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] });
  const role = out.one('aws_iam_role');
  expect(role.depends_on).toEqual(['aws_iam_openid_connect_provider.provider']);
  expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
    {
      Sid: 'GitHubActions',
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:o/r:pull_request' },
      },
    },
  ]);
  expect(out.one('aws_iam_role_policy_attachment').policy_arn).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
  // Outside the account holding state, nothing but ReadOnlyAccess.
  expect(out.all('aws_iam_role_policy')).toEqual([]);
});

it('in the account holding state, it reads state and writes the .tflock keys only', () => {
  const out = synthScope((scope) => new PlanRole(scope, 'plan', { roleName: 'test-plan', trust, state: { bucketName: 'state', keyPrefix: 'cdktf' } }));
  const statements = JSON.parse(out.one('aws_iam_role_policy').policy).Statement;
  expect(statements.map((statement: { Action: unknown; Resource: unknown }) => [statement.Action, statement.Resource])).toEqual([
    ['s3:ListBucket', 'arn:aws:s3:::state'],
    ['s3:GetObject', 'arn:aws:s3:::state/cdktf/*'],
    [['s3:PutObject', 's3:DeleteObject'], 'arn:aws:s3:::state/cdktf/*.tflock'],
  ]);
});
