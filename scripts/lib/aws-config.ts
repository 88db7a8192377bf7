// ~/.aws/config profiles for one user: a profile for their own access key in the identity account, and one
// per role they can switch into, which the CLI assumes asking for their MFA code.
import { grantsOfUser, hoursToSeconds } from '../../description/access';
import type { Organization } from '../../description/model';
import { mfaDeviceArn } from '../../naming/arn';

export function awsConfigProfiles(org: Organization, user: string): string {
  const identity = org.identity;
  const source = `${org.name}-${user}`;
  const mfaSerial = mfaDeviceArn(org.partition, identity.id, user);
  const profile = (name: string, settings: Record<string, string | number>) =>
    [`[profile ${name}]`, ...Object.entries(settings).map(([key, value]) => `${key} = ${value}`), ''].join('\n');
  return [
    `# ~/.aws/config profiles for ${user} (groups: ${org.users[user].groups.join(', ')}) in the ${org.name} organization.`,
    `# Your access key, as IAM user ${user} of ${identity.name} (${identity.id}), goes in ~/.aws/credentials as [${source}].`,
    `# Role profiles ask for the code of your virtual MFA device ${mfaSerial} (name the device ${user}).`,
    `# In ${identity.name} itself everything but managing your credentials needs MFA: get a session with`,
    `#   aws sts get-session-token --profile ${source} --serial-number ${mfaSerial} --token-code <code>`,
    '',
    profile(source, { region: org.homeRegion }),
    ...grantsOfUser(org, user).map((grant) =>
      profile(`${org.name}-${grant.account.name}-${grant.group}`, {
        role_arn: grant.roleArn,
        source_profile: source,
        mfa_serial: mfaSerial,
        role_session_name: user,
        duration_seconds: hoursToSeconds(grant.account.maxSessionHours),
        region: org.homeRegion,
      }),
    ),
  ].join('\n');
}
