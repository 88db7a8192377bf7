// npm run aws-config -- <user>: prints ready ~/.aws/config profiles for the roles that user can switch
// into (IAM users) or the permission sets assigned to their groups (Identity Center), from the
// organization in ORG_DIR (default environments/).
import { loadOrganizationOrExit } from '../description/load';
import { DESCRIPTION_ENVIRONMENT, runCommand } from './lib/command';
import { awsConfigProfiles } from './lib/aws-config';
import { ToolError } from './lib/tool-error';
import { usesIdentityCenter } from '../description/identity-center';

runCommand(
  {
    name: 'aws-config',
    summary:
      "Prints ~/.aws/config profiles for the roles <user> can switch into: the user's own key, then one\nprofile per role, asking for their MFA code. " +
      'With Identity Center (identity.mode), an sso-session and a profile\nper account and permission set assigned to their groups.',
    arguments: [{ name: '<user>', description: "A user of organization.yaml; with Identity Center, a group also (an external IdP's users are not listed)." }],
    options: {},
    environment: { ORG_DIR: DESCRIPTION_ENVIRONMENT.ORG_DIR },
    exitStatuses: { 0: 'done', 1: 'the description has problems', 2: 'no user, or no such user or group (they are listed)' },
    example: 'npm run aws-config -- alice >> ~/.aws/config',
  },
  ({ positionals: [user] }) => {
    const org = loadOrganizationOrExit();
    const users = Object.keys(org.users);
    const groups = usesIdentityCenter(org) ? Object.keys(org.groups) : [];
    if (!users.includes(user) && !groups.includes(user)) {
      throw new ToolError(
        `no user ${groups.length ? 'or group ' : ''}"${user}" in ${org.dir}/organization.yaml (users: ${users.join(', ') || 'none'}${groups.length ? `; groups: ${groups.join(', ')}` : ''})`,
      );
    }
    process.stdout.write(awsConfigProfiles(org, user));
    return 0;
  },
);
