// Every VPC peering connection of the organization, in one stack of its own: the connections and routes
// of the model (org.network) between the VPCs that the account stacks build, deployed after all of them.
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
  readonly providers: AccountProviders;

  constructor(scope: Construct, org: Organization, vpcs: ReadonlyMap<string, PeerableVpc>) {
    super(scope, VPC_PEERING_STACK);
    useOrganizationState(this, org, VPC_PEERING_STACK);
    // The default provider acts in the management account; every other account gets an aliased one.
    this.providers = new AccountProviders(this, org, org.management, VPC_PEERING_STACK);
    new VpcPeeringMesh(this, 'mesh', {
      members: org.network.vpcs.map((account) => ({
        name: account.name,
        accountId: account.id,
        provider: this.providers.for(account),
        vpc: vpcs.get(account.name)!,
      })),
      connections: org.network.connections,
      routes: new Map(org.network.vpcs.map((account) => [account.name, account.vpc.routes.filter((route) => 'connection' in route)])),
    });
  }
}
