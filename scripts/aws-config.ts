// npm run aws-config -- <user>: prints ready ~/.aws/config profiles for the roles that user can switch
// into, from the organization in ORG_DIR (default environments/).
import { loadOrganizationOrExit } from '../description/load';
import { DESCRIPTION_ENVIRONMENT, runCommand } from './lib/command';
import { awsConfigProfiles } from './lib/aws-config';
import { ToolError } from './lib/tool-error';

runCommand(
  {
    name: 'aws-config',
    summary: "Prints ~/.aws/config profiles for the roles <user> can switch into: the user's own key, then one\nprofile per role, asking for their MFA code.",
    arguments: [{ name: '<user>', description: 'A user of organization.yaml.' }],
    options: {},
    environment: { ORG_DIR: DESCRIPTION_ENVIRONMENT.ORG_DIR },
    exitStatuses: { 0: 'done', 1: 'the description has problems', 2: 'no user, or no such user (the users are listed)' },
    example: 'npm run aws-config -- alice >> ~/.aws/config',
  },
  ({ positionals: [user] }) => {
    const org = loadOrganizationOrExit();
    const users = Object.keys(org.users);
    if (!users.includes(user)) throw new ToolError(`no user "${user}" in ${org.dir}/organization.yaml (users: ${users.join(', ') || 'none'})`);
    process.stdout.write(awsConfigProfiles(org, user));
    return 0;
  },
);
