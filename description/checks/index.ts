// Every check that looks across files, in the order their problems are listed.
import { checkAccounts } from './accounts';
import { checkAdoption } from './adoption';
import { checkAudit } from './audit';
import type { CrossFileCheck } from './draft';
import { checkIdentity } from './identity';
import { checkManagement } from './management';
import { checkNetwork } from './network';
import { checkRetirement } from './retirement';
import { checkSharing } from './sharing';

export const crossFileChecks: readonly CrossFileCheck[] = [
  checkAccounts,
  checkIdentity,
  checkSharing,
  checkNetwork,
  checkManagement,
  checkAudit,
  checkRetirement,
  checkAdoption,
];
