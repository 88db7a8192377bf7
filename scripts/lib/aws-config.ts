// ~/.aws/config profiles for one person. With IAM users: a profile for their own access key in the identity
// account, and one per role they can switch into, which the CLI assumes asking for their MFA code. With IAM
// Identity Center: an sso-session for the access portal, and one profile per account and permission set
// assigned to their groups (`aws sso login` once, then any profile).
import { grantsOfUser, hoursToSeconds } from '../../description/access';
import { accessPortalUrl, accountAssignments, usesIamUsers, usesIdentityCenter } from '../../description/identity-center';
import type { Organization } from '../../description/model';
import { mfaDeviceArn } from '../../naming/arn';

const profile = (name: string, settings: Record<string, string | number>, kind = 'profile') =>
  [`[${kind} ${name}]`, ...Object.entries(settings).map(([key, value]) => `${key} = ${value}`), ''].join('\n');

/** `who`: a user of the description, or with Identity Center a group (an external IdP's users are not listed). */
export function awsConfigProfiles(org: Organization, who: string): string {
  const user = org.users[who];
  return [
    ...(user && usesIamUsers(org) ? [iamUserProfiles(org, who)] : []),
    ...(usesIdentityCenter(org) ? [identityCenterProfiles(org, who, user ? user.groups : [who])] : []),
  ].join('\n');
}

function iamUserProfiles(org: Organization, user: string): string {
  const identity = org.identity;
  const source = `${org.name}-${user}`;
  const mfaSerial = mfaDeviceArn(org.partition, identity.id, user);
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

/** The same profile names as the IAM users' role profiles, so that scripts outlive the migration; with -sso while both exist. */
function identityCenterProfiles(org: Organization, who: string, groups: readonly string[]): string {
  const suffix = usesIamUsers(org) ? '-sso' : '';
  return [
    `# ~/.aws/config profiles for ${who} (groups: ${groups.join(', ')}) through IAM Identity Center in the ${org.name} organization.`,
    `# Sign in once with: aws sso login --sso-session ${org.name}`,
    '',
    profile(
      org.name,
      { sso_start_url: accessPortalUrl(org), sso_region: org.identityCenter!.region, sso_registration_scopes: 'sso:account:access' },
      'sso-session',
    ),
    ...accountAssignments(org)
      .filter((assignment) => groups.includes(assignment.group))
      .map((assignment) =>
        profile(`${org.name}-${assignment.account.name}-${assignment.group}${suffix}`, {
          sso_session: org.name,
          sso_account_id: assignment.account.id,
          sso_role_name: assignment.permissionSet,
          region: org.homeRegion,
        }),
      ),
  ].join('\n');
}
