// The identity account's password policy, at the strength the CIS AWS Foundations Benchmark asks for.
import { IamAccountPasswordPolicy } from '@cdktf/provider-aws/lib/iam-account-password-policy';
import { Construct } from 'constructs';

export class CisPasswordPolicy extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new IamAccountPasswordPolicy(this, 'policy', {
      minimumPasswordLength: 14,
      requireLowercaseCharacters: true,
      requireUppercaseCharacters: true,
      requireNumbers: true,
      requireSymbols: true,
      allowUsersToChangePassword: true,
      passwordReusePrevention: 24,
      maxPasswordAge: 90,
      // An expired password is changed at the next sign-in, not locked out until an administrator acts.
      hardExpiry: false,
    });
  }
}
