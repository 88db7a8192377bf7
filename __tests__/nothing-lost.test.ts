// Nothing lost by accident: what is most expensive to lose cannot be destroyed by a plan, and retiring an
// account (retired: true) is not deleting it: Terraform forgets what it held for the account, in its own stack,
// the management stack and the peering mesh, without destroying any of it. Asserted on the synthesized
// output against the default organization's (synthesized once by the global setup). Checked by hand with
// `npm run plan:offline` (docs/retiring-an-account.md): no new terraform run here.
import { readFileSync } from 'node:fs';
import { loadOrganization } from '../description/load';
import type { TerraformJson } from '../scripts/lib/synthesized';
import { editedOrg, synthesizeOrg, type Synthesized } from './helpers';
import { PLANNED_ORGS, synthesizedOrg } from './setup/planned';

type Forgetting = Omit<TerraformJson, 'removed'> & {
  moved?: { from: string; to: string }[];
  removed?: { from: string; lifecycle: unknown }[];
};

/** Every resource address a stack holds: a for_each block's instances each by key. */
function addresses(json: Forgetting): Set<string> {
  const found = new Set<string>();
  for (const [type, blocks] of Object.entries(json.resource ?? {})) {
    for (const [name, block] of Object.entries(blocks)) {
      const forEach = block.for_each;
      if (forEach && typeof forEach === 'object') for (const key of Object.keys(forEach)) found.add(`${type}.${name}[${JSON.stringify(key)}]`);
      else found.add(`${type}.${name}`);
    }
  }
  return found;
}

/** Whether Terraform forgets `address`: a removed block names it, its whole block, or where a moved block takes it. */
function forgets(json: Forgetting, address: string): boolean {
  const removed = new Set((json.removed ?? []).map((block) => block.from));
  const movedTo = (json.moved ?? []).find((block) => block.from === address)?.to;
  return removed.has(address) || removed.has(address.replace(/\[.*\]$/, '')) || (movedTo !== undefined && removed.has(movedTo));
}

describe('prevent_destroy', () => {
  it.each(Object.entries(PLANNED_ORGS))('guards the organization, its accounts, the state bucket and every KMS key of %s', (name, dir) => {
    const stacks = synthesizedOrg(name);
    const org = loadOrganization(dir);
    const blocks = (type: string) => stacks.flatMap((stack) => Object.values(stack.json!.resource?.[type] ?? {}));
    const [organization] = blocks('aws_organizations_organization');
    expect(organization.lifecycle).toEqual({ prevent_destroy: true });
    expect(blocks('aws_organizations_account').length).toBe(org.accounts.length - 1 + org.pendingAccounts.length);
    for (const account of blocks('aws_organizations_account')) {
      expect(account.close_on_deletion).toBe(false);
      expect((account.lifecycle as { prevent_destroy: boolean }).prevent_destroy).toBe(true);
    }
    // With the state in Terraform Cloud there is no bucket to guard.
    const stateBuckets = Object.values(stacks.find((stack) => stack.name === 'bootstrap')!.json!.resource?.aws_s3_bucket ?? {});
    // The state bucket and the bucket recording who read or wrote state.
    expect(stateBuckets.map((bucket) => bucket.lifecycle)).toEqual(org.state.backend === 's3' ? [{ prevent_destroy: true }, { prevent_destroy: true }] : []);
    expect(blocks('aws_kms_key').length).toBe(org.sharing.amiKey ? 1 : 0);
    for (const key of blocks('aws_kms_key')) expect(key.lifecycle).toEqual({ prevent_destroy: true });
  });
});

const QA_ID = '333333333333';
const inService = new Map(synthesizedOrg('default').map((stack) => [stack.name, stack.json as Forgetting]));
let retired: Synthesized;
const warnings: string[] = [];
beforeAll(async () => {
  retired = await synthesizeOrg(editedOrg({ 'qa.yaml': (qa) => (qa.retired = true) }), { warn: (message) => warnings.push(message) });
});
const stack = (name: string) => retired.stack(name) as Forgetting;

describe('retiring an account', () => {
  it('keeps a retired account out of service: no stack builds anything for it, it is still in the organization', () => {
    expect(retired.org.accounts.map((account) => account.name)).toEqual(['management', 'dev', 'prod']);
    expect(retired.org.retiredAccounts.map((account) => [account.name, account.id])).toEqual([['qa', QA_ID]]);
    expect(retired.org.network.vpcs.map((vpc) => vpc.name)).toEqual(['dev', 'prod']);
    expect(retired.stacks.map((synthesized) => synthesized.name).sort()).toEqual([...inService.keys()].sort());
    expect(stack('qa').resource).toBeUndefined();
  });

  it('says at synth that it is retired, and which groups and shares no longer reach it', () => {
    expect(warnings.flatMap((warning) => warning.split('\n'))).toEqual([
      '1 retired account(s): Terraform forgets what their stacks held, without destroying it (docs/retiring-an-account.md).',
      expect.stringMatching(
        /^ {2}qa \(\S+qa\.yaml\): groups dev, dev-leads, qa, ops no longer switch into it \(organization\.yaml: access\); it no longer consumes webapp, base$/,
      ),
    ]);
  });

  it('forgets every resource of its own stack, in the same state, through the provider that made it', () => {
    const qa = stack('qa');
    expect(qa.terraform!.backend).toEqual(inService.get('qa')!.terraform!.backend);
    expect(qa.provider).toEqual(inService.get('qa')!.provider);
    expect((qa.removed ?? []).map((block) => block.from).sort()).toEqual([...addresses(inService.get('qa')!)].sort());
    expect(qa.removed!.length).toBeGreaterThan(40);
    for (const block of qa.removed!) expect(block.lifecycle).toEqual({ destroy: false });
  });

  it("forgets its budget, anomaly monitor and alternate contacts in the management stack, and keeps its member account, moved to the retired accounts' OU", () => {
    const management = stack('management');
    expect(Object.keys(management.resource!.aws_organizations_account)).toHaveLength(3);
    expect((management.removed ?? []).map((block) => block.from.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual([
      'aws_account_alternate_contact.contacts-qa_billing',
      'aws_account_alternate_contact.contacts-qa_operations',
      'aws_account_alternate_contact.contacts-qa_security',
      'aws_budgets_budget.budget-qa_budget',
      'aws_ce_anomaly_monitor.anomaly-detection_monitor-qa',
    ]);
  });

  it('forgets the peering connections and routes of its VPC, one for_each instance at a time where the block stays', () => {
    const mesh = stack('vpc-peering');
    expect(mesh.moved!.map((block) => block.from)).toContain('aws_route.mesh_dev-routes_0B13D89A["qa:public"]');
    expect(mesh.removed!.map((block) => block.from)).toContain('aws_route.mesh_dev-routes_0B13D89A_forgotten_qa_public');
    // The mesh of the two VPCs in service: one connection, no route to the retired VPC's CIDR.
    const connections = Object.values(mesh.resource!.aws_vpc_peering_connection);
    expect(connections.map((block) => Object.keys(block.for_each as object))).toEqual([['prod']]);
    for (const block of Object.values(mesh.resource!.aws_route)) {
      expect(Object.values(block.for_each as Record<string, { destination: string }>).map((route) => route.destination)).not.toContain('10.20.0.0/16');
    }
  });

  it('destroys nothing by retiring: whatever a stack held in service and holds no more, Terraform forgets', () => {
    const revoked: string[] = [];
    for (const [name, json] of inService) {
      const now = stack(name);
      const gone = [...addresses(json)].filter((address) => !addresses(now).has(address));
      // A share granted to the retired account is withdrawn (docs/retiring-an-account.md): it grants, it holds nothing.
      revoked.push(...gone.filter((address) => address.startsWith('aws_ami_launch_permission.') && address.includes(QA_ID)));
      expect(gone.filter((address) => !revoked.includes(address) && !forgets(now, address))).toEqual([]);
    }
    expect(revoked).toHaveLength(1);
  });

  it('writes the removed blocks into HCL too', async () => {
    const hcl = await synthesizeOrg(editedOrg({ 'qa.yaml': (qa) => (qa.retired = true) }), { hcl: true, warn: () => undefined });
    const text = (name: string) => readFileSync(hcl.stacks.find((synthesized) => synthesized.name === name)!.file, 'utf8');
    expect(text('management')).toMatch(
      /removed \{\n\s+from = aws_budgets_budget\.budget-qa_budget_[0-9A-F]{8}\n\s+lifecycle \{\n\s+destroy = false\n\s+\}\n\}/,
    );
    expect(text('vpc-peering')).toMatch(
      /moved \{\n\s+from = aws_route\.mesh_dev-routes_0B13D89A\["qa:public"\]\n\s+to\s+= aws_route\.mesh_dev-routes_0B13D89A_forgotten_qa_public\n\s*\}/,
    );
    expect(text('qa').match(/^removed \{/gm)).toHaveLength(stack('qa').removed!.length);
    expect(text('qa')).not.toMatch(/^resource /m);
  });

  it('keeps an account with retired: false in service', () => {
    const back = loadOrganization(editedOrg({ 'qa.yaml': (qa) => (qa.retired = false) }));
    expect(back.accounts.map((account) => account.name)).toEqual(['management', 'dev', 'prod', 'qa']);
    expect(back.retiredAccounts).toEqual([]);
  });
});
