// An AMI of the artifact account shared with the accounts that launch it: one launch permission each. The
// snapshots behind it need no sharing of their own; their key does (ami-key.ts).
import { AmiLaunchPermission } from '@cdktf/provider-aws/lib/ami-launch-permission';
import { Construct } from 'constructs';

export interface AmiLaunchPermissionsProps {
  readonly imageId: string;
  readonly accountIds: readonly string[];
}

export class AmiLaunchPermissions extends Construct {
  constructor(scope: Construct, id: string, props: AmiLaunchPermissionsProps) {
    super(scope, id);
    for (const accountId of props.accountIds) {
      new AmiLaunchPermission(this, accountId, { imageId: props.imageId, accountId });
    }
  }
}
