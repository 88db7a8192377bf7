// Every VPC is peered with every other, so no two may overlap.
import { cidrsOverlap, parseCidr } from '../cidr';
import type { Problems } from '../problems';
import type { DraftOrganization } from './draft';

export function checkNetwork(draft: DraftOrganization, problems: Problems): void {
  const networked = draft.accounts.flatMap((account) => {
    const cidr = account.vpc && parseCidr(account.vpc.cidr);
    return cidr ? [{ account, cidr }] : [];
  });
  networked.forEach((a, index) => {
    for (const b of networked.slice(index + 1)) {
      if (cidrsOverlap(a.cidr, b.cidr)) {
        problems.add(
          b.account.file,
          ['vpc', 'cidr'],
          `"${b.account.vpc!.cidr}" overlaps ${a.account.name}'s VPC "${a.account.vpc!.cidr}" (${a.account.file}); peered VPCs need disjoint CIDRs`,
        );
      }
    }
  });
}
