// cdktf writes the meta-arguments that name other objects (provider, depends_on, lifecycle's
// ignore_changes and replace_triggered_by) as quoted strings, which terraform accepts with a warning
// ("Quoted references are deprecated") for each. Written as bare references, the HCL validates cleanly.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LIST_ARGUMENTS = 'depends_on|ignore_changes|replace_triggered_by';
/** `provider = "aws.dev"` in a resource, data or module block (unindented: this runs before terraform fmt). */
const PROVIDER = /^(\s*provider\s*= )"([a-z][\w-]*(?:\.[\w-]+)?)"$/;
const LIST_START = new RegExp(`^\\s*(?:${LIST_ARGUMENTS})\\s*= \\[$`);
/** cdktf writes these lists one item a line. An item is an attribute name or a resource address, never an interpolation. */
const QUOTED_REFERENCE = /"([A-Za-z_][\w-]*(?:\.[\w-]+)*)"/g;

function unquoteReferences(hcl: string): string {
  let inList = false;
  return hcl
    .split('\n')
    .map((line) => {
      if (inList) {
        inList = !/^\s*\]$/.test(line);
        return line.replace(QUOTED_REFERENCE, '$1');
      }
      if (LIST_START.test(line)) {
        inList = true;
        return line;
      }
      return line.replace(PROVIDER, '$1$2');
    })
    .join('\n');
}

/** Rewrites every .tf file under `dir`. */
export function unquoteReferencesIn(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) unquoteReferencesIn(path);
    else if (entry.endsWith('.tf')) writeFileSync(path, unquoteReferences(readFileSync(path, 'utf8')));
  }
}
