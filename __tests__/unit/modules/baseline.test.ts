// modules/baseline: the settings every account gets, and the role Terraform assumes.
import { AccountBaseline } from '../../../modules/baseline/account-baseline';
import { DeployRole } from '../../../modules/baseline/deploy-role';
import { synthScope } from '../synth-scope';

it('the account baseline encrypts new volumes and keeps S3, AMIs and snapshots from going public', () => {
  const out = synthScope((scope) => new AccountBaseline(scope, 'baseline'));
  expect(out.one('aws_ebs_encryption_by_default')).toEqual({ enabled: true });
  expect(out.one('aws_s3_account_public_access_block')).toEqual({
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  // Sharing with named accounts stays possible for AMIs (the shared AMIs), not for snapshots.
  expect(out.one('aws_ec2_image_block_public_access')).toEqual({ state: 'block-new-sharing' });
  expect(out.one('aws_ebs_snapshot_block_public_access')).toEqual({ state: 'block-all-sharing' });
});

describe('the deploy role', () => {
  const out = synthScope(
    (scope) =>
      new DeployRole(scope, 'deploy', {
        partition: 'aws',
        roleName: 'test-deploy',
        trustedPrincipals: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::111111111111:role/ci'],
      }),
  );

  it('is assumed by the trusted principals only, and no plan destroys it', () => {
    const role = out.one('aws_iam_role');
    expect(role).toMatchObject({ name: 'test-deploy', lifecycle: { prevent_destroy: true } });
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::111111111111:role/ci'] }, Action: 'sts:AssumeRole' }],
    });
  });

  it('administers the account', () => {
    expect(out.one('aws_iam_role_policy_attachment')).toEqual({
      role: out.reference('aws_iam_role', 'name'),
      policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    });
  });
});
