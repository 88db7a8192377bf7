// Adopting what already exists in AWS: a Terraform import block (Terraform >= 1.5) makes the next apply
// take the object into state instead of creating a second one; once imported, the block is a no-op.
import { TerraformElement, type TerraformResource } from 'cdktf';

/**
 * Imports the object with `id` into `resource` (nothing without an id: the resource is created), and
 * returns the resource. Writes the same block as cdktf's `resource.importFrom(id)`, which also adds a
 * validation that runs `terraform version` at every synth, for every import (~0.3 s each, and a failed
 * synth where terraform is not installed).
 */
export function adoptExisting<R extends TerraformResource>(resource: R, id: string | undefined): R {
  if (id) new ImportBlock(resource, id);
  return resource;
}

class ImportBlock extends TerraformElement {
  constructor(
    private readonly target: TerraformResource,
    private readonly importId: string,
  ) {
    super(target, 'import');
  }

  private get address(): string {
    return `${this.target.terraformResourceType}.${this.target.friendlyUniqueId}`;
  }

  override toTerraform(): object {
    return { import: [{ to: this.address, id: this.importId }] };
  }

  override toHclTerraform(): object {
    return {
      import: [
        {
          to: { value: this.address, type: 'simple', storageClassType: 'reference' },
          id: { value: this.importId, type: 'simple', storageClassType: 'string' },
        },
      ],
    };
  }
}
