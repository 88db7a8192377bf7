// The audit baseline against the rest of the description: data events on Terraform state need a state bucket.
import type { Problems } from '../problems';
import type { DraftOrganization } from './draft';

export function checkAudit(draft: DraftOrganization, problems: Problems): void {
  const { audit, state } = draft.org;
  if (audit?.trail.stateDataEvents && state?.backend === 'cloud') {
    problems.add(draft.orgFilePath, ['audit', 'trail', 'stateDataEvents'], 'is true, but state.backend is cloud: there is no state bucket whose reads and writes the trail could record');
  }
}
