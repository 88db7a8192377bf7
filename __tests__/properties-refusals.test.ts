// A property of validation (fast-check): a random single mutation of a random valid organization
// (__tests__/random-organizations.ts) into an invalid one is refused with a problem naming the mutated file
// and field.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { loadOrganization } from '../description/load';
import { problemsOf } from './helpers';
import { type OrgSpec, orgSpec, writeOrg } from './random-organizations';

/** One way to break a valid description, and the file and field its problem must name. */
interface Mutation {
  readonly file: string;
  readonly field: string;
  apply(dir: string): void;
}

const edit = (dir: string, file: string, change: (content: any) => void) => {
  const path = join(dir, file);
  const content = parse(readFileSync(path, 'utf8'));
  change(content);
  writeFileSync(path, stringify(content));
};

const mutation = (spec: OrgSpec): fc.Arbitrary<Mutation> => {
  const account = fc.constantFrom(...spec.accounts);
  const networked = spec.accounts.filter((_, index) => spec.vpcs[index]);
  const junk = fc.stringMatching(/^[a-z]{3,8}$/);
  const mutations: fc.Arbitrary<Mutation>[] = [
    fc.tuple(account, fc.stringMatching(/^[0-9]{1,11}$/)).map(([name, id]) => ({
      file: `${name}.yaml`,
      field: 'id',
      apply: (dir) => edit(dir, `${name}.yaml`, (file) => (file.id = id)),
    })),
    fc.tuple(account, junk).map(([name, email]) => ({
      file: `${name}.yaml`,
      field: 'email',
      apply: (dir) => edit(dir, `${name}.yaml`, (file) => (file.email = email)),
    })),
    fc.tuple(account, junk).map(([name, key]) => ({
      file: `${name}.yaml`,
      field: `x${key}`,
      apply: (dir) => edit(dir, `${name}.yaml`, (file) => (file[`x${key}`] = true)),
    })),
    junk.map((key) => ({
      file: 'organization.yaml',
      field: `x${key}`,
      apply: (dir) => edit(dir, 'organization.yaml', (org) => (org[`x${key}`] = 1)),
    })),
    junk.map((name) => ({
      file: 'organization.yaml',
      field: 'identityAccount',
      apply: (dir) => edit(dir, 'organization.yaml', (org) => (org.identityAccount = `no-${name}`)),
    })),
    fc.constantFrom('eu-west-9', 'useast1', 'US-EAST-1').map((region) => ({
      file: 'organization.yaml',
      field: 'homeRegion',
      apply: (dir) => edit(dir, 'organization.yaml', (org) => (org.homeRegion = region)),
    })),
    fc.tuple(fc.constantFrom(...spec.groups), account, junk).map(([group, name, policy]) => ({
      file: 'organization.yaml',
      field: `access.${group}.${name}[0]`,
      apply: (dir) => edit(dir, 'organization.yaml', (org) => ((org.access[group] ??= {})[name] = [`Zz${policy}`])),
    })),
    fc.tuple(fc.constantFrom(...spec.groups), junk).map(([group, name]) => ({
      file: 'organization.yaml',
      field: `access.${group}.no-${name}`,
      apply: (dir) => edit(dir, 'organization.yaml', (org) => ((org.access[group] ??= {})[`no-${name}`] = ['ReadOnlyAccess'])),
    })),
    junk.map((group) => ({
      file: 'organization.yaml',
      field: 'users.mallory.groups[0]',
      apply: (dir) => edit(dir, 'organization.yaml', (org) => (org.users.mallory = { groups: [`no-${group}`] })),
    })),
    fc.stringMatching(/^ami-[0-9a-f]{1,7}$/).map((id) => ({
      file: 'organization.yaml',
      field: 'sharing.amis[0].id',
      apply: (dir) => edit(dir, 'organization.yaml', (org) => (org.sharing.amis[0].id = id)),
    })),
  ];
  if (networked.length >= 2) {
    // The second VPC takes a block inside the first's.
    mutations.push(
      fc.constant({
        file: `${networked[1]}.yaml`,
        field: 'vpc.cidr',
        apply: (dir: string) => {
          const first = spec.vpcs[spec.accounts.indexOf(networked[0])]!;
          edit(dir, `${networked[1]}.yaml`, (file) => (file.vpc.cidr = `10.${first.octet}.0.0/24`));
        },
      }),
    );
  }
  if (networked.length >= 1) {
    mutations.push(
      fc.integer({ min: 29, max: 32 }).map((prefix) => ({
        file: `${networked[0]}.yaml`,
        field: 'vpc.cidr',
        apply: (dir: string) => edit(dir, `${networked[0]}.yaml`, (file) => (file.vpc.cidr = `10.0.0.0/${prefix}`)),
      })),
    );
  }
  return fc.oneof(...mutations);
};

it('refuses a random single mutation of a valid organization, naming the mutated file and field', () => {
  fc.assert(
    fc.property(
      orgSpec(6).chain((spec) => fc.tuple(fc.constant(spec), mutation(spec))),
      ([spec, change]) => {
        const dir = writeOrg(spec);
        expect(() => loadOrganization(dir)).not.toThrow();
        change.apply(dir);
        const problems = problemsOf(dir);
        expect(problems.filter((problem) => problem.startsWith(`${change.file}: ${change.field} `))).not.toEqual([]);
      },
    ),
    { numRuns: 40 },
  );
});
