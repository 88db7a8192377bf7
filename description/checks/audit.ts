// The audit baseline against the rest of the description: data events on Terraform state need a state
// bucket; GuardDuty and Security Hub need a delegated administrator the deploy order can serve.
import type { Problems } from '../problems';
import type { DraftOrganization } from './draft';

export function checkAudit(draft: DraftOrganization, problems: Problems): void {
  const { audit, state, securityAccount, managementAccount } = draft.org;
  const file = draft.orgFilePath;
  if (!audit) return;
  if (audit.trail.stateDataEvents && state?.backend === 'cloud') {
    problems.add(
      file,
      ['audit', 'trail', 'stateDataEvents'],
      'is true, but state.backend is cloud: there is no state bucket whose reads and writes the trail could record',
    );
  }
  const on = [audit.guardDuty && 'guardDuty', audit.securityHub && 'securityHub'].filter((name): name is string => Boolean(name));
  if (on.length === 0 || draft.org.unknownFields.has('securityAccount')) return;
  const toggles = on.map((name) => `audit.${name}`).join(' and ');
  if (securityAccount === undefined) {
    problems.add(
      file,
      ['securityAccount'],
      `is not set, but ${toggles} ${on.length > 1 ? 'are' : 'is'} on: name the member account that administers them for the organization (the delegated administrator)`,
    );
  } else if (securityAccount === managementAccount) {
    problems.add(
      file,
      ['securityAccount'],
      `names the management account "${securityAccount}": the delegated administrator of ${toggles} must be a member account`,
    );
  } else if (securityAccount === draft.org.logArchiveAccount) {
    problems.add(
      file,
      ['securityAccount'],
      `names the log archive account "${securityAccount}", whose stack deploys before the management stack (the trail needs its bucket), while the delegated administrator's deploys after it (the delegation must exist): name another member account`,
    );
  }
}
