// Isolation against an insider with a stolen key, what records and protects: the account baseline, the
// audit trail and log archive, GuardDuty and Security Hub, the Terraform state. Each attempt with the IAM
// simulator on the planned policies (__tests__/insider.ts), denied; the deploy role's path still allowed.
import { findRole } from '../scripts/lib/access-matrix';
import { type RequestPrincipal, roleSessionPrincipal, servicePrincipal } from '../scripts/lib/iam-simulator';
import { editedOrg } from './helpers';
import { INSIDER_ORGS, insiderScene, planned, synthesized } from './insider';
import { plannedOrg } from './setup/planned';
import { flowLogBucketName, logArchiveBucketName, organizationTrailName } from '../naming/names';

describe.each(INSIDER_ORGS)('the %s organization against an insider', (name) => {
  const { cast, world, org } = insiderScene(name);

  describe('the account baseline', () => {
    it('is planned in every account: no public S3, AMI or snapshot, encrypted volumes', () => {
      for (const account of org.accounts) {
        const types = new Map(
          plannedOrg(name)
            .get(account.name)!
            .resources.map((resource) => [resource.type, resource.values]),
        );
        expect([account.name, types.get('aws_ec2_image_block_public_access')?.state, types.get('aws_ebs_snapshot_block_public_access')?.state]).toEqual([
          account.name,
          'block-new-sharing',
          'block-all-sharing',
        ]);
        expect(types.get('aws_ebs_encryption_by_default')?.enabled).toBe(true);
      }
    });

    it('cannot be switched off, nor flow logs erased, by an administrator of a member account; the deploy role can', async () => {
      const account = world.named(cast.nonProd);
      const bucket = `arn:aws:s3:::${flowLogBucketName(org.name, account.id)}`;
      for (const [action, resource] of [
        ['s3:PutAccountPublicAccessBlock', '*'],
        ['ec2:DisableEbsEncryptionByDefault', '*'],
        ['ec2:DisableImageBlockPublicAccess', '*'],
        ['ec2:DisableSnapshotBlockPublicAccess', '*'],
        ['ec2:DeleteFlowLogs', `arn:aws:ec2:${org.homeRegion}:${account.id}:vpc-flow-log/fl-0123456789abcdef0`],
        ['s3:DeleteObject', `${bucket}/AWSLogs/${account.id}/vpcflowlogs/log.gz`],
        ['s3:PutLifecycleConfiguration', bucket],
        ['s3:PutBucketPolicy', bucket],
      ]) {
        expect([action, await world.attempt(world.member(cast.administrators, account), action, resource)]).toEqual([action, 'denied']);
        expect([action, await world.attempt(world.deployRole(account), action, resource)]).toEqual([action, 'allowed']);
      }
    });
  });

  describe('the audit trail', () => {
    const archive = () => org.logArchive;
    const trail = (accountId: string) => `arn:aws:cloudtrail:${org.homeRegion}:${accountId}:trail/${organizationTrailName(org.name)}`;
    const logBucket = () => `arn:aws:s3:::${logArchiveBucketName(org.name, org.logArchive.id)}`;
    const archivePolicy = () =>
      plannedOrg(name)
        .get(archive().name)!
        .resources.filter((resource) => resource.type === 'aws_s3_bucket_policy')
        .map((resource) => JSON.parse(resource.values.policy))
        .find((document) => document.Statement.some((statement: any) => statement.Sid === 'CloudTrailWrite'));

    it.each(['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors'])(
      'an administrator of a member account cannot %s on the organization trail; the deploy role can',
      async (action) => {
        const management = world.named(org.management.name);
        for (const account of org.accounts.filter((candidate) => candidate !== management)) {
          // The organization trail as the member sees it, and as it is in the management account.
          for (const resource of [trail(account.id), trail(management.id)]) {
            expect([
              account.name,
              resource,
              await world.attempt(world.administratorRole(account), action, resource, { resourceAccountId: account.id }),
            ]).toEqual([account.name, resource, 'denied']);
          }
        }
        expect(await world.attempt(world.deployRole(management), action, trail(management.id))).toBe('allowed');
        // Only this trail: a trail of the member's own stays the administrator's.
        const member = world.named(cast.nonProd);
        expect(await world.attempt(world.administratorRole(member), action, `arn:aws:cloudtrail:${org.homeRegion}:${member.id}:trail/team-trail`)).toBe(
          'allowed',
        );
      },
    );

    it('nobody but the deploy role deletes log objects or changes the log bucket, administrators of the log archive account included', async () => {
      const account = archive();
      const onLogs = { resourceAccountId: account.id, resourcePolicy: archivePolicy() };
      const object = `${logBucket()}/AWSLogs/${account.id}/CloudTrail/${org.homeRegion}/2026/11/28/log.json.gz`;
      for (const [action, resource] of [
        ['s3:DeleteObject', object],
        ['s3:DeleteObjectVersion', object],
        ['s3:PutLifecycleConfiguration', logBucket()],
        ['s3:PutBucketPolicy', logBucket()],
        ['s3:DeleteBucket', logBucket()],
      ]) {
        expect([action, await world.attempt(world.administratorRole(account), action, resource, onLogs)]).toEqual([action, 'denied']);
        expect([action, await world.attempt(world.deployRole(account), action, resource, onLogs)]).toEqual([action, 'allowed']);
      }
      // An administrator still reads the logs.
      expect(await world.attempt(world.administratorRole(account), 's3:GetObject', object, onLogs)).toBe('allowed');
    });

    it('where GuardDuty and Security Hub are on, an administrator of a member account cannot switch them off or leave them; the deploy role can', async () => {
      const attempts = [
        ...(org.audit.guardDuty ? ['guardduty:DeleteDetector', 'guardduty:UpdateDetector', 'guardduty:DisassociateFromAdministratorAccount'] : []),
        ...(org.audit.securityHub
          ? ['securityhub:DisableSecurityHub', 'securityhub:DisassociateFromAdministratorAccount', 'securityhub:BatchDisableStandards']
          : []),
      ];
      expect(attempts.length > 0).toBe(name === 'five-accounts');
      for (const account of org.accounts.filter((candidate) => candidate.name !== org.management.name)) {
        // Leaving GuardDuty's administrator names no resource.
        const resource = (action: string) =>
          action === 'guardduty:DisassociateFromAdministratorAccount'
            ? '*'
            : action.startsWith('guardduty')
              ? `arn:aws:guardduty:${org.homeRegion}:${account.id}:detector/0123456789abcdef0123456789abcdef`
              : `arn:aws:securityhub:${org.homeRegion}:${account.id}:hub/default`;
        for (const action of attempts) {
          expect([account.name, action, await world.attempt(world.administratorRole(account), action, resource(action))]).toEqual([
            account.name,
            action,
            'denied',
          ]);
          expect([account.name, action, await world.attempt(world.deployRole(account), action, resource(action))]).toEqual([account.name, action, 'allowed']);
        }
      }
      // Looking at GuardDuty stays the administrators'.
      const member = world.named(cast.nonProd);
      if (org.audit.guardDuty) {
        expect(await world.attempt(world.administratorRole(member), 'guardduty:ListDetectors', '*')).toBe('allowed');
      }
    });

    it('only the organization trail writes logs: CloudTrail for another trail cannot', async () => {
      const account = archive();
      const cloudTrail = (sourceArn: string) => {
        const service = servicePrincipal('cloudtrail.amazonaws.com', sourceArn, org.management.id);
        return { ...service, context: { ...service.context, 's3:x-amz-acl': 'bucket-owner-full-control' } };
      };
      const object = `${logBucket()}/AWSLogs/${account.id}/CloudTrail/${org.homeRegion}/2026/11/28/log.json.gz`;
      const onLogs = { resourceAccountId: account.id, resourcePolicy: archivePolicy() };
      expect(await world.attempt(cloudTrail(trail(org.management.id)), 's3:PutObject', object, onLogs)).toBe('allowed');
      expect(await world.attempt(cloudTrail(`arn:aws:cloudtrail:${org.homeRegion}:999999999999:trail/other`), 's3:PutObject', object, onLogs)).toBe('denied');
    });
  });
});

describe('the Terraform state of the default organization', () => {
  const world = planned('default');
  const { org } = world;
  const management = world.named(org.management.name);
  const bootstrap = plannedOrg('default').get('bootstrap')!;
  const resources = (type: string) => bootstrap.resources.filter((resource) => resource.type === type).map((resource) => resource.values);
  const state = org.state.backend === 's3' ? org.state : undefined;
  /** The bucket policy holding the statement `sid` (the bucket itself is known after apply only). */
  const policyWith = (sid: string) =>
    resources('aws_s3_bucket_policy')
      .map((policy) => JSON.parse(policy.policy))
      .find((document) => document.Statement.some((statement: any) => statement.Sid === sid));
  const bucketPolicy = policyWith('OnlyStateAndDeployRolesTouchState');
  const stateObject = `arn:aws:s3:::${state!.bucket}/${state!.keyPrefix}/prod.tfstate`;
  const onState = (principal: RequestPrincipal, action: string) => world.attempt(principal, action, stateObject, { resourcePolicy: bucketPolicy });

  it('is read and written by the state role and the deploy role only, whatever S3 rights others hold', async () => {
    const stateRole = roleSessionPrincipal(findRole(world.iam, management.id, state!.stateRole)!, 'backend');
    for (const action of ['s3:GetObject', 's3:PutObject']) {
      expect([action, await onState(stateRole, action)]).toEqual([action, 'allowed']);
      expect([action, await onState(world.deployRole(management), action)]).toEqual([action, 'allowed']);
      expect([action, await onState(world.administratorRole(management), action)]).toEqual([action, 'denied']);
    }
    // ReadOnlyAccess reads every object of its account: not this one.
    expect(await onState(world.member('ops', management), 's3:GetObject')).toBe('denied');
  });

  it('logs every request on state to a bucket only S3 log delivery writes to', () => {
    expect(resources('aws_s3_bucket_logging')).toEqual([expect.objectContaining({ target_bucket: state!.accessLogBucket })]);
    expect(policyWith('StateBucketLogDelivery').Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${state!.accessLogBucket}/*`,
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${state!.bucket}` }, StringEquals: { 'aws:SourceAccount': management.id } },
      }),
    );
  });

  it('the deploy and state roles trust the management account by default, and only the deployers the description names', async () => {
    const trusts = (values: Record<string, any>[]) =>
      values.filter((role) => [org.deployRole, state!.stateRole].includes(role.name)).map((role) => JSON.parse(role.assume_role_policy).Statement[0].Principal);
    expect(trusts(resources('aws_iam_role'))).toEqual([{ AWS: [`arn:aws:iam::${management.id}:root`] }, { AWS: [`arn:aws:iam::${management.id}:root`] }]);

    const ci = `arn:aws:iam::${management.id}:role/ci-deployer`;
    const named = await synthesized(editedOrg({ 'organization.yaml': (file) => (file.deployers = [ci]) }));
    const bootstrapIam = named.iam.roles.filter((role) => role.accountId === management.id && [org.deployRole, state!.stateRole].includes(role.name));
    expect(bootstrapIam).toHaveLength(2);
    for (const role of bootstrapIam) {
      expect(await named.switchInto(named.administratorRole(management, 'ci-deployer'), management.id, role.name)).toBe('allowed');
      expect(await named.switchInto(named.administratorRole(management, 'another-administrator'), management.id, role.name)).toBe('denied');
    }
  });
});
