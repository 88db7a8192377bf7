// One naming layer: every ARN names the partition of the organization's home region, so the same
// description deploys to GovCloud or China by changing homeRegion; and description/ validates without
// construct code.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { partitionOf } from '../naming/arn';
import { editedOrg, ROOT, synthesizeOrg } from './helpers';

describe.each([
  ['us-gov-west-1', 'us-gov-east-1', 'aws-us-gov'],
  ['cn-north-1', 'cn-northwest-1', 'aws-cn'],
])('an organization at home in %s', (homeRegion, otherRegion, partition) => {
  it(`names ${partition} in every ARN it synthesizes`, async () => {
    const dir = editedOrg({
      'organization.yaml': (org: any) => {
        org.homeRegion = homeRegion;
        org.allowedRegions = [homeRegion, otherRegion];
      },
    });
    const { stacks } = await synthesizeOrg(dir);
    const arns = stacks.flatMap(({ json }) => JSON.stringify(json).match(/arn:[a-z-]+:[a-z0-9-]*:/g) ?? []);
    expect(partitionOf(homeRegion)).toBe(partition);
    expect(arns.length).toBeGreaterThan(100);
    expect(arns.filter((arn) => arn.split(':')[1] !== partition)).toEqual([]);
  });
});

it('puts commercial regions in the aws partition', () => {
  expect(['us-east-1', 'eu-central-1', 'ap-southeast-2'].map(partitionOf)).toEqual(['aws', 'aws', 'aws']);
});

const CONSTRUCT_LIBRARY = /^(cdktf|constructs|@cdktf\/)/;

/** The value imports (not `import type`) of a TypeScript file, resolved to paths from the project root. */
function valueImports(path: string): string[] {
  const source = readFileSync(join(ROOT, path), 'utf8');
  return [...source.matchAll(/^import (?!type )[^;]*? from '([^']+)';/gms)].map((match) =>
    match[1].startsWith('.') ? `${relative(ROOT, resolve(dirname(join(ROOT, path)), match[1]))}.ts` : match[1],
  );
}

it('keeps description/, naming/ and catalog/ free of construct code: nothing they import builds a construct', () => {
  const files = ['description', 'naming', 'catalog'].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(dir, file)),
  );
  const offending = files.flatMap((file) =>
    valueImports(file)
      .filter(
        (target) => CONSTRUCT_LIBRARY.test(target) || (target.startsWith('modules/') && valueImports(target).some((inner) => CONSTRUCT_LIBRARY.test(inner))),
      )
      .map((target) => `${file} -> ${target}`),
  );
  expect(files.length).toBeGreaterThan(20);
  expect(offending).toEqual([]);
});
