// Sharing, built for one account from the description: the artifact account gets the repositories with
// their pull and lifecycle policies, the AMI launch permissions and the AMI key; a consumer account gets
// nothing to create (its roles' pull permissions are identity's), only outputs naming what it may use.
import { TerraformOutput, type TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { Account, Organization } from '../description/model';
import { PROJECT_AMI_KEY } from '../description/schema/sharing';
import { accountsNamed, projectKeyConsumers, repositoryUri } from '../description/sharing';
import { constructId } from '../modules/common/construct-id';
import { AmiKey, AUTO_SCALING_GRANT_OPERATIONS, autoScalingRoleArn } from '../modules/sharing/ami-key';
import { AmiLaunchPermissions } from '../modules/sharing/ami-launch-permission';
import { SharedEcrRepository } from '../modules/sharing/ecr-repository';
import { amiKeyAliasName } from '../naming/names';

export function buildSharing(stack: TerraformStack, org: Organization, account: Account): void {
  const { ecr, amis, amiKey } = org.sharing;
  const ids = (names: readonly string[]) => accountsNamed(org, names).map((consumer) => consumer.id);

  if (account === org.artifact) {
    const scope = new Construct(stack, 'sharing');
    for (const repository of ecr) {
      new SharedEcrRepository(scope, constructId('ecr', repository.name), {
        partition: org.partition,
        name: repository.name,
        region: org.homeRegion,
        consumerAccountIds: ids(repository.consumers),
        imageTagMutability: repository.imageTagMutability,
        scanOnPush: repository.scanOnPush,
        encryption: repository.encryption,
        keepImages: repository.keepImages,
        existing: account.adopt?.repositories?.includes(repository.name),
      });
    }
    for (const ami of amis) new AmiLaunchPermissions(scope, `ami-${ami.name}`, { imageId: ami.id, accountIds: ids(ami.consumers) });
    if (amiKey) buildAmiKey(stack, scope, org, account);
    if (ecr.length > 0) {
      new TerraformOutput(stack, 'shared-repositories', {
        description: 'Repository name -> URI to push images to',
        value: Object.fromEntries(ecr.map((repository) => [repository.name, repositoryUri(org, repository.name)])),
      });
    }
    return;
  }

  const repositories = ecr.filter((repository) => repository.consumers.includes(account.name));
  const launched = amis.filter((ami) => ami.consumers.includes(account.name));
  if (repositories.length + launched.length === 0) return;
  new TerraformOutput(stack, 'shared-artifacts', {
    description: `What ${org.artifact.name} shares with ${account.name}: image URIs to pull, AMI ids to launch`,
    value: {
      repositories: Object.fromEntries(repositories.map((repository) => [repository.name, repositoryUri(org, repository.name)])),
      amis: Object.fromEntries(launched.map((ami) => [ami.name, ami.id])),
    },
  });
}

function buildAmiKey(stack: TerraformStack, scope: Construct, org: Organization, owner: Account): void {
  const consumers = projectKeyConsumers(org);
  const { key, alias } = new AmiKey(scope, 'ami-key', {
    partition: org.partition,
    ownerAccountId: owner.id,
    consumerAccountIds: consumers.map((consumer) => consumer.id),
    region: org.homeRegion,
    aliasName: amiKeyAliasName(org.name),
  });
  new TerraformOutput(stack, 'ami-key', {
    description: `The key to build AMIs with (kmsKey: ${PROJECT_AMI_KEY}), and for each consumer the command its administrator runs once so that Auto Scaling can launch them`,
    value: {
      arn: key.arn,
      alias: alias.name,
      autoScalingGrantCommands: Object.fromEntries(
        consumers.map((consumer) => [
          consumer.name,
          `aws kms create-grant --region ${org.homeRegion} --key-id ${key.arn} --grantee-principal ${autoScalingRoleArn(org.partition, consumer.id)} ` +
            `--operations ${AUTO_SCALING_GRANT_OPERATIONS.join(' ')}`,
        ]),
      ),
    },
  });
}
