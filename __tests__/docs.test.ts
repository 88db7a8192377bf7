// The front door works from a fresh clone: every relative link of README.md and docs/ leads to a file of
// the checkout, every #anchor to a heading of its page, and every `npm run` the README shows is a script.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ROOT } from './helpers';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? markdownFiles(path) : entry.endsWith('.md') ? [path] : [];
  });
}

const PAGES = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchor(match[1])));
}

/** Every [text](target) outside code blocks whose target is not a URL. */
function relativeLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]).filter((target) => !/^[a-z]+:/.test(target));
}

it('has a README under 250 lines and a page per capability', () => {
  expect(readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThan(250);
  for (const page of [
    'organization-and-guardrails',
    'identity',
    'sharing',
    'network',
    'costs',
    'review',
    'offline-checks',
    'maintaining',
    'decisions/README',
  ]) {
    expect(existsSync(join(ROOT, 'docs', `${page}.md`))).toBe(true);
  }
});

it.each(PAGES.map((file) => [relative(ROOT, file), file]))('%s: every relative link and anchor resolves', (_name, file) => {
  const broken = relativeLinks(file).filter((target) => {
    const [path, fragment] = target.split('#');
    const linked = path ? join(dirname(file), path) : file;
    if (!linked.startsWith(ROOT) || !existsSync(linked)) return true;
    return fragment !== undefined && !(linked.endsWith('.md') && anchorsOf(linked).has(fragment));
  });
  expect(broken).toEqual([]);
});

it('shows only npm scripts that exist', () => {
  const scripts = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts);
  const shown = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1]);
  expect(shown.length).toBeGreaterThan(5);
  expect(shown.filter((script) => !scripts.includes(script))).toEqual([]);
});
