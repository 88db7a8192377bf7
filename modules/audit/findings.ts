// GuardDuty (threat detection) and Security Hub (posture checks) for the whole organization, each a
// toggle: the management account enables each service for itself and delegates its administration to a
// member account (FindingsDelegation); that account turns it on for every current and new member
// account (FindingsAdministration), Security Hub with AWS Foundational Security Best Practices.
import { GuarddutyDetector } from '@cdktf/provider-aws/lib/guardduty-detector';
import { GuarddutyOrganizationAdminAccount } from '@cdktf/provider-aws/lib/guardduty-organization-admin-account';
import { GuarddutyOrganizationConfiguration } from '@cdktf/provider-aws/lib/guardduty-organization-configuration';
import { SecurityhubAccount } from '@cdktf/provider-aws/lib/securityhub-account';
import { SecurityhubOrganizationAdminAccount } from '@cdktf/provider-aws/lib/securityhub-organization-admin-account';
import { SecurityhubOrganizationConfiguration } from '@cdktf/provider-aws/lib/securityhub-organization-configuration';
import { SecurityhubStandardsSubscription } from '@cdktf/provider-aws/lib/securityhub-standards-subscription';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

export interface FindingsServices {
  readonly guardDuty: boolean;
  readonly securityHub: boolean;
}

export interface FindingsDelegationProps extends FindingsServices {
  /** The member account that administers the services for the organization. */
  readonly adminAccountId: string;
  /** Trusted access for the services, which delegation needs first. */
  readonly trustedAccess: ITerraformDependable;
}

/** In the management account: each service on for itself, and administered by the delegated account. */
export class FindingsDelegation extends Construct {
  constructor(scope: Construct, id: string, props: FindingsDelegationProps) {
    super(scope, id);
    if (props.guardDuty) {
      new GuarddutyDetector(this, 'guardduty-detector', { enable: true });
      new GuarddutyOrganizationAdminAccount(this, 'guardduty-admin', { adminAccountId: props.adminAccountId, dependsOn: [props.trustedAccess] });
    }
    if (props.securityHub) {
      const hub = new SecurityhubAccount(this, 'securityhub', { enableDefaultStandards: false });
      new SecurityhubOrganizationAdminAccount(this, 'securityhub-admin', { adminAccountId: props.adminAccountId, dependsOn: [props.trustedAccess, hub] });
    }
  }
}

export interface FindingsAdministrationProps extends FindingsServices {
  /** arn:aws:securityhub:<region>::standards/aws-foundational-security-best-practices/v/1.0.0 */
  readonly standardsArn: string;
}

/** In the delegated administrator account: every current and new member account enrolled. */
export class FindingsAdministration extends Construct {
  constructor(scope: Construct, id: string, props: FindingsAdministrationProps) {
    super(scope, id);
    if (props.guardDuty) {
      const detector = new GuarddutyDetector(this, 'guardduty-detector', { enable: true });
      new GuarddutyOrganizationConfiguration(this, 'guardduty-organization', { detectorId: detector.id, autoEnableOrganizationMembers: 'ALL' });
    }
    if (props.securityHub) {
      const hub = new SecurityhubAccount(this, 'securityhub', { enableDefaultStandards: false });
      new SecurityhubOrganizationConfiguration(this, 'securityhub-organization', { autoEnable: true, autoEnableStandards: 'DEFAULT', dependsOn: [hub] });
      new SecurityhubStandardsSubscription(this, 'foundational-best-practices', { standardsArn: props.standardsArn, dependsOn: [hub] });
    }
  }
}
