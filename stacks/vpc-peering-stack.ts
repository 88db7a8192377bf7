// Every VPC peering connection of the organization, in one stack of its own: the full mesh between the
// VPCs that the account stacks build, deployed after all of them.
//
// Why one stack rather than each connection in one of its two accounts' stacks: a connection acts in
// both accounts, so whichever stack holds it needs a provider for the other account, and Terraform runs
// one provider process per provider configuration (~5 s of CPU and a few hundred MB each). Spread over the
// account stacks, a mesh of n VPCs needs n(n-1)/2 such providers (1,225 at 50 accounts, up to 49 in one
// plan) and chains every account stack after all earlier ones; here it needs n, account stacks stay
// independent of each other, and adding an account changes its own stack and this one only.
import type { Construct } from 'constructs';
import type { Organization } from '../description/model';
import { ForgettingStack } from '../modules/common/forget';
import { type PeerableVpc, VpcPeeringMesh } from '../modules/network/peering';
import { AccountProviders, useOrganizationState } from './conventions';

export const VPC_PEERING_STACK = 'vpc-peering';

export class VpcPeeringStack extends ForgettingStack {
  constructor(scope: Construct, org: Organization, vpcs: ReadonlyMap<string, PeerableVpc>) {
    super(scope, VPC_PEERING_STACK);
    useOrganizationState(this, org, VPC_PEERING_STACK);
    // The default provider acts in the management account; every other account gets an aliased one.
    const providers = new AccountProviders(this, org, org.management, VPC_PEERING_STACK);
    // Everything the mesh has held, as it was with every account in service: a retired one's is forgotten through its provider.
    const held = org.retiredAccounts[0]?.inService.network ?? org.network;
    new VpcPeeringMesh(this, 'mesh', {
      members: held.vpcs.map((account) => {
        const inService = org.network.vpcs.find((candidate) => candidate.name === account.name);
        if (!inService) {
          providers.for(org.retiredAccounts.find((candidate) => candidate.name === account.name)!);
          return { name: account.name, retired: true as const };
        }
        return { name: account.name, accountId: account.id, provider: providers.for(inService), vpc: vpcs.get(account.name)! };
      }),
      connections: held.connections,
      routes: new Map(held.vpcs.map((account) => [account.name, account.vpc.routes.filter((route) => 'connection' in route)])),
    });
  }
}
