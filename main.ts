// The cdktf app: the organization described in ORG_DIR (default environments/) as one stack per account.
import { App } from 'cdktf';
import { loadOrganizationOrExit } from './description/load';
import { accountsNotice, synthesizeOrganization } from './stacks/organization-app';

const org = loadOrganizationOrExit();
const notice = accountsNotice(org);
if (notice) process.stderr.write(`${notice}\n`);
synthesizeOrganization(new App(), org);
