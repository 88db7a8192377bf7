// The groups of the Identity Center identity store that account assignments name: created with their
// users and memberships when the Identity Center directory is the identity source, or found by display
// name when an external IdP provisions them (SCIM).
import { DataAwsIdentitystoreGroup } from '@cdktf/provider-aws/lib/data-aws-identitystore-group';
import { IdentitystoreGroup } from '@cdktf/provider-aws/lib/identitystore-group';
import { IdentitystoreGroupMembership } from '@cdktf/provider-aws/lib/identitystore-group-membership';
import { IdentitystoreUser } from '@cdktf/provider-aws/lib/identitystore-user';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export interface DirectoryUser {
  readonly userName: string;
  readonly displayName: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly email?: string;
  readonly groups: readonly string[];
}

export interface IdentityStoreGroupsProps {
  readonly identityStoreId: string;
  /** The provider acting in the administering account, in Identity Center's region. */
  readonly provider?: TerraformProvider;
  /** Display name -> description. */
  readonly groups: Readonly<Record<string, string>>;
  /** The users to create, with their memberships; undefined: an external IdP provisions users and groups, which are looked up. */
  readonly users?: readonly DirectoryUser[];
}

export class IdentityStoreGroups extends Construct {
  /** Display name -> group id. */
  readonly groupIds = new Map<string, string>();

  constructor(scope: Construct, id: string, props: IdentityStoreGroupsProps) {
    super(scope, id);
    const { identityStoreId, provider } = props;
    for (const [name, description] of Object.entries(props.groups)) {
      const groupId = props.users
        ? new IdentitystoreGroup(this, `group-${name}`, { provider, identityStoreId, displayName: name, description }).groupId
        : new DataAwsIdentitystoreGroup(this, `group-${name}`, {
            provider,
            identityStoreId,
            alternateIdentifier: { uniqueAttribute: { attributePath: 'DisplayName', attributeValue: name } },
          }).groupId;
      this.groupIds.set(name, groupId);
    }
    for (const user of props.users ?? []) {
      const created = new IdentitystoreUser(this, `user-${user.userName}`, {
        provider,
        identityStoreId,
        userName: user.userName,
        displayName: user.displayName,
        name: { givenName: user.givenName, familyName: user.familyName },
        emails: user.email ? { value: user.email, primary: true } : undefined,
      });
      for (const group of user.groups) {
        new IdentitystoreGroupMembership(this, `member-${user.userName}-${group}`, {
          provider,
          identityStoreId,
          groupId: this.groupIds.get(group)!,
          memberId: created.userId,
        });
      }
    }
  }
}
