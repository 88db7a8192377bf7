// A member account of the organization, adopted by id or created. Accounts are the most expensive thing
// to lose: a plan can neither destroy one nor close it, and it never wants to replace one.
import { OrganizationsAccount } from '@cdktf/provider-aws/lib/organizations-account';
import { Construct } from 'constructs';
import { adoptExisting } from '../common/adoption';

export interface MemberAccountProps {
  /** The account's name in AWS when created. */
  readonly name: string;
  /** The root user's email when created. */
  readonly email: string;
  /** The root or OU the account belongs in. */
  readonly parentId: string;
  /** The role Organizations creates in a new account, trusting the management account. */
  readonly roleName: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Id of the existing member account to adopt; omitted, the account is created. */
  readonly adoptId?: string;
}

export class MemberAccount extends Construct {
  readonly account: OrganizationsAccount;
  /** The account id: known at synth for an adopted account, after apply for a created one. */
  readonly accountId: string;

  constructor(scope: Construct, id: string, props: MemberAccountProps) {
    super(scope, id);
    this.account = new OrganizationsAccount(this, 'account', {
      name: props.name,
      email: props.email,
      parentId: props.parentId,
      roleName: props.roleName,
      iamUserAccessToBilling: 'ALLOW',
      // Deleting the resource removes the account from the organization; it never closes the account.
      closeOnDeletion: false,
      tags: { ...props.tags },
      lifecycle: {
        preventDestroy: true,
        // role_name and iam_user_access_to_billing only exist at creation: AWS cannot read them back, so an
        // adopted account would show them changed forever. Name and email only the account's root user can
        // change, and the provider would replace the account for either: the description's values are used
        // at creation only.
        ignoreChanges: ['name', 'email', 'role_name', 'iam_user_access_to_billing'],
      },
    });
    if (props.adoptId) adoptExisting(this.account, props.adoptId);
    this.accountId = props.adoptId ?? this.account.id;
  }
}
