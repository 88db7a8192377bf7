// What the management stack builds refers to accounts, OUs and regions by name: guardrail targets must
// exist, the region guardrail must leave the home region open, and the tag policy must allow the
// environments the accounts are tagged with.
import type { Problems } from '../problems';
import { guardrailApplies, organizationalUnitPaths, ROOT_TARGET } from '../management';
import { type DraftOrganization, knownForEveryAccount } from './draft';

export function checkManagement(draft: DraftOrganization, problems: Problems): void {
  const { org, orgFilePath } = draft;
  const { guardrails, awsOrganization, homeRegion } = org;
  if (!guardrails) return;
  // Whether a target names an OU is known only when every OU the description names is.
  const ous = awsOrganization && knownForEveryAccount(draft, 'ou') ? organizationalUnitPaths(awsOrganization, draft.accounts) : undefined;
  const accounts = [...draft.accountFiles.keys()];

  for (const [name, guardrail] of Object.entries(guardrails)) {
    const isServiceControlPolicy = name !== 'environmentTagPolicy';
    guardrail.targets.forEach((target, index) => {
      const path = ['guardrails', name, 'targets', index];
      if (guardrail.targets.indexOf(target) !== index) {
        problems.add(orgFilePath, path, `names "${target}" again`);
        return;
      }
      if (!ous) return;
      const isOu = ous.includes(target);
      const isAccount = accounts.includes(target);
      if (target === ROOT_TARGET) {
        if (isOu || isAccount)
          problems.add(
            orgFilePath,
            path,
            `names "${target}", which is the organization root and also an ${isOu ? 'OU' : 'account'}; rename the ${isOu ? 'OU' : 'account'}`,
          );
      } else if (isOu && isAccount) {
        problems.add(orgFilePath, path, `names "${target}", which is both an OU and an account; rename one of them`);
      } else if (!isOu && !isAccount) {
        problems.add(
          orgFilePath,
          path,
          `names "${target}", which is neither "${ROOT_TARGET}", an OU nor an account (OUs: ${ous.join(', ') || 'none'}; accounts: ${accounts.join(', ')})`,
        );
      } else if (isServiceControlPolicy && target === org.managementAccount) {
        problems.add(orgFilePath, path, `names the management account "${target}", which service control policies never restrict`);
      }
    });
  }

  checkSuspension(draft, problems);

  const { regions } = guardrails.denyOutsideAllowedRegions;
  if (regions && homeRegion && !regions.includes(homeRegion)) {
    problems.add(
      orgFilePath,
      ['guardrails', 'denyOutsideAllowedRegions', 'regions'],
      `(${regions.join(', ')}) leaves out homeRegion "${homeRegion}", where every stack deploys`,
    );
  }

  const { values } = guardrails.environmentTagPolicy;
  const taggedBy = new Map(draft.accounts.flatMap((account) => (account.environment ? [[account.environment, account.file] as const] : [])).reverse());
  for (const [environment, file] of values ? taggedBy : []) {
    if (!values!.includes(environment)) {
      problems.add(
        orgFilePath,
        ['guardrails', 'environmentTagPolicy', 'values'],
        `leaves out "${environment}", the environment of ${file}, whose resources are tagged with it`,
      );
    }
  }

  if (awsOrganization && !awsOrganization.id) {
    for (const [ou, { id }] of Object.entries(awsOrganization.organizationalUnits)) {
      if (id)
        problems.add(
          orgFilePath,
          ['awsOrganization', 'organizationalUnits', ou, 'id'],
          'adopts an OU, which only an existing organization has: set awsOrganization.id too',
        );
    }
  }
}

/**
 * suspendRetiredAccounts stops everything but the deploy role where it is attached: never where an account
 * in service is, and always over the OU retired accounts move to when there are any.
 */
function checkSuspension(draft: DraftOrganization, problems: Problems): void {
  const { org, orgFilePath } = draft;
  const { targets } = org.guardrails!.suspendRetiredAccounts;
  const retiredAccountsOu = org.awsOrganization?.retiredAccountsOu;
  targets.forEach((target, index) => {
    const stopped = draft.accounts.filter((account) => !account.retired && account.name !== org.managementAccount && guardrailApplies(target, account));
    if (stopped.length > 0) {
      problems.add(
        orgFilePath,
        ['guardrails', 'suspendRetiredAccounts', 'targets', index],
        `names "${target}", which holds accounts in service (${stopped.map((account) => account.name).join(', ')}): nothing but the deploy role could act in them`,
      );
    }
  });
  const retired = draft.accounts.filter((account) => account.retired);
  const suspended = (account: (typeof retired)[number]) => targets.some((target) => guardrailApplies(target, { ...account, ou: retiredAccountsOu }));
  if (retired.length > 0 && retiredAccountsOu && !retired.every(suspended)) {
    problems.add(
      orgFilePath,
      ['guardrails', 'suspendRetiredAccounts', 'targets'],
      `leaves out "${retiredAccountsOu}" (awsOrganization.retiredAccountsOu), where retired accounts (${retired.map((account) => account.name).join(', ')}) move: their roles would stay usable`,
    );
  }
}
