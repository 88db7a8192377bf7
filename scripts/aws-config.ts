// npm run aws-config -- <user>: prints ready ~/.aws/config profiles for the roles that user can switch
// into, from the organization in ORG_DIR (default environments/).
import { loadOrganizationOrExit } from '../description/load';
import { awsConfigProfiles } from './lib/aws-config';

const [user, ...rest] = process.argv.slice(2);
const org = loadOrganizationOrExit();
const users = Object.keys(org.users);
if (!user || rest.length > 0 || !users.includes(user)) {
  process.stderr.write(
    `${user && rest.length === 0 ? `aws-config: no user "${user}" in ${org.dir}/organization.yaml` : 'usage: npm run aws-config -- <user>'}` +
      ` (users: ${users.join(', ') || 'none'})\n`,
  );
  process.exit(2);
}
process.stdout.write(awsConfigProfiles(org, user));
