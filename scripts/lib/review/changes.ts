// What changed since a base review: every item of every section (reviewRecords) added, removed or
// summarized differently. Plans are compared type by type only for stacks planned in both reviews; a plan
// cannot be compared with its absence.
import { blocks, code, listing, plural, table } from './markdown';
import { renderResourceChanges, type StackResourceChanges } from './resources';
import { type ReviewData, reviewRecords } from './review-data';

export interface SectionChanges {
  readonly section: string;
  readonly added: readonly (readonly [item: string, now: string])[];
  readonly removed: readonly (readonly [item: string, before: string])[];
  readonly changed: readonly (readonly [item: string, before: string, now: string])[];
  readonly notes: readonly string[];
}

export function compareReviews(base: ReviewData, current: ReviewData): SectionChanges[] {
  const before = reviewRecords(base);
  const now = reviewRecords(current);
  const plannedIn = (data: ReviewData) => new Set(data.plans.filter((plan) => plan.total).map((plan) => plan.stack));
  const plannedInBase = plannedIn(base);
  const plannedNow = plannedIn(current);
  const stacksOfBoth = new Set([...base.plans, ...current.plans].map((plan) => plan.stack));
  const onlyOnce = [...stacksOfBoth].filter(
    (stack) =>
      base.plans.some((plan) => plan.stack === stack) &&
      current.plans.some((plan) => plan.stack === stack) &&
      plannedInBase.has(stack) !== plannedNow.has(stack),
  );
  // Plan items of a stack planned in one review only say nothing comparable; a stack planned against the
  // base's state has its counts and actions under Resources instead.
  const againstBase = current.plans.filter((plan) => plan.againstBase).map((plan) => plan.stack);
  const comparable = (section: string, item: string) =>
    section !== 'Plans' || ![...onlyOnce, ...againstBase].some((stack) => item === stack || item.startsWith(`${stack} `));

  return Object.keys(now).flatMap((section): SectionChanges[] => {
    const was = before[section] ?? {};
    const is = now[section];
    const items = (record: Record<string, string>) => Object.keys(record).filter((item) => comparable(section, item));
    const changes: SectionChanges = {
      section,
      added: items(is)
        .filter((item) => !(item in was))
        .map((item) => [item, is[item]] as const),
      removed: items(was)
        .filter((item) => !(item in is))
        .map((item) => [item, was[item]] as const),
      changed: items(is)
        .filter((item) => item in was && was[item] !== is[item])
        .map((item) => [item, was[item], is[item]] as const),
      notes: section === 'Plans' && onlyOnce.length ? [`Not compared, planned in only one of the two reviews: ${listing(onlyOnce.map(code))}.`] : [],
    };
    return changes.added.length + changes.removed.length + changes.changed.length + changes.notes.length > 0 ? [changes] : [];
  });
}

export function countChanges(changes: readonly SectionChanges[]): number {
  return changes.reduce((count, section) => count + section.added.length + section.removed.length + section.changed.length, 0);
}

export function renderChanges(changes: readonly SectionChanges[], base: ReviewData, resources: readonly StackResourceChanges[] = []): string {
  const count = countChanges(changes);
  return blocks(
    '## Changes since the base review',
    `Compared with the base review's data (organization ${code(base.organization)}): ` +
      (count === 0
        ? 'nothing changed.'
        : `${count} change${count === 1 ? '' : 's'} in ${listing(changes.filter((section) => countChanges([section]) > 0).map((section) => section.section))}.`) +
      (resources.length ? ` Resources: ${listing(resources.map((stack) => `${plural(stack.resources.length, 'resource')} in ${code(stack.stack)}`))}.` : ''),
    renderResourceChanges(resources),
    ...changes.map((section) =>
      blocks(
        `### ${section.section}`,
        ...section.notes,
        table(
          ['', 'item', 'before', 'now'],
          [
            ...section.added.map(([item, now]) => ['added', item, '', now]),
            ...section.removed.map(([item, was]) => ['removed', item, was, '']),
            ...section.changed.map(([item, was, now]) => ['changed', item, was, now]),
          ],
        ),
      ),
    ),
  );
}
