// The AWS Organization and its tree of organizational units. The organization cannot be destroyed by a
// plan: deleting it would first require removing every account.
import { OrganizationsOrganization } from '@cdktf/provider-aws/lib/organizations-organization';
import { OrganizationsOrganizationalUnit } from '@cdktf/provider-aws/lib/organizations-organizational-unit';
import { Construct } from 'constructs';
import { adoptExisting } from '../common/adoption';
import { constructId } from '../common/construct-id';

export interface OrganizationalUnitProps {
  /** Path under the root, e.g. Workloads/NonProd; its parent must come before it. */
  readonly path: string;
  /** Id of the existing OU to adopt; omitted, the OU is created. */
  readonly adoptId?: string;
}

export interface OrganizationProps {
  /** Id of the existing organization to adopt; omitted, the organization is created. */
  readonly adoptId?: string;
  readonly serviceAccessPrincipals: readonly string[];
  readonly enabledPolicyTypes: readonly string[];
  readonly organizationalUnits: readonly OrganizationalUnitProps[];
}

export class Organization extends Construct {
  readonly organization: OrganizationsOrganization;
  readonly rootId: string;
  /** OU path -> OU id. */
  readonly organizationalUnitIds: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: OrganizationProps) {
    super(scope, id);
    this.organization = new OrganizationsOrganization(this, 'organization', {
      // Service control and tag policies need all features, not consolidated billing alone.
      featureSet: 'ALL',
      awsServiceAccessPrincipals: [...props.serviceAccessPrincipals],
      enabledPolicyTypes: [...props.enabledPolicyTypes],
      lifecycle: { preventDestroy: true },
    });
    if (props.adoptId) adoptExisting(this.organization, props.adoptId);
    this.rootId = this.organization.roots.get(0).id;

    const ids = new Map<string, string>();
    for (const ou of props.organizationalUnits) {
      const separator = ou.path.lastIndexOf('/');
      const parentId = separator < 0 ? this.rootId : ids.get(ou.path.slice(0, separator));
      if (!parentId) throw new Error(`OU ${ou.path} comes before its parent`);
      const unit = new OrganizationsOrganizationalUnit(this, constructId('ou', ou.path), {
        name: ou.path.slice(separator + 1),
        parentId,
      });
      if (ou.adoptId) adoptExisting(unit, ou.adoptId);
      ids.set(ou.path, unit.id);
    }
    this.organizationalUnitIds = ids;
  }
}
