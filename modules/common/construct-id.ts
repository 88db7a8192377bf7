// Construct ids (which become Terraform resource names) from names that may hold slashes, spaces or
// colons: OU paths, tag keys, policy targets.
export function constructId(prefix: string, name: string): string {
  return `${prefix}-${name.replace(/[^A-Za-z0-9]+/g, '-')}`;
}
