// The people AWS writes to about an account besides its root user: its billing, operations and security
// contacts. Set from the management account: for a member account by its id (which needs the
// organization's trusted access for account.amazonaws.com), for the management account itself without.
import { AccountAlternateContact } from '@cdktf/provider-aws/lib/account-alternate-contact';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

export type ContactSubject = 'billing' | 'operations' | 'security';

export interface AlternateContact {
  readonly name: string;
  readonly title: string;
  readonly email: string;
  readonly phone: string;
}

export interface AlternateContactsProps {
  /** The member account; undefined: the management account, whose provider this is. */
  readonly accountId?: string;
  readonly contacts: Partial<Record<ContactSubject, AlternateContact>>;
  /** What must exist first: the organization's trusted access, for a member account. */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class AlternateContacts extends Construct {
  constructor(scope: Construct, id: string, props: AlternateContactsProps) {
    super(scope, id);
    for (const [subject, contact] of Object.entries(props.contacts) as [ContactSubject, AlternateContact | undefined][]) {
      if (!contact) continue;
      new AccountAlternateContact(this, subject, {
        accountId: props.accountId,
        alternateContactType: subject.toUpperCase(),
        name: contact.name,
        title: contact.title,
        emailAddress: contact.email,
        phoneNumber: contact.phone,
        dependsOn: props.dependsOn && [...props.dependsOn],
      });
    }
  }
}
