// The review as data (review.json, written next to REVIEW.md): everything the report shows, so that a later
// run given it (`--base`) can say what changed. The report is rendered from this data alone.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type AccessData, accessRecords, collectAccess, type SimulatorOrReason } from './access';
import { type AccountsData, accountRecords, collectAccounts } from './accounts';
import { collectCost, type CostData, costRecords } from './cost';
import type { ReviewInputs } from './inputs';
import { collectNetwork, type NetworkData, networkRecords } from './network';
import { collectPlans, planRecords, type PlansData } from './plans';
import type { PriceList } from './prices';
import { collectResources, type ResourcesData } from './resources';
import { collectSharing, type SharingData, sharingRecords } from './sharing';
import { ToolError } from '../tool-error';

/** Bumped when review.json changes shape: a base of another format is refused rather than misread. */
export const REVIEW_FORMAT = 3;

export const REVIEW_DATA_FILE = 'review.json';

export interface ReviewData {
  readonly format: typeof REVIEW_FORMAT;
  readonly organization: string;
  readonly accounts: AccountsData;
  readonly access: AccessData;
  readonly sharing: SharingData;
  readonly network: NetworkData;
  readonly cost: CostData;
  readonly plans: PlansData;
  /** Every resource each stack declares, as comparable lines: what --base diffs resource by resource. */
  readonly resources: ResourcesData;
}

export interface ReviewOptions {
  readonly simulation: SimulatorOrReason;
  readonly prices: PriceList;
  /** How the report names the price file (relative to the project). */
  readonly priceFile: string;
}

export async function collectReview(inputs: ReviewInputs, options: ReviewOptions): Promise<ReviewData> {
  return {
    format: REVIEW_FORMAT,
    organization: inputs.org.name,
    accounts: collectAccounts(inputs),
    access: await collectAccess(inputs, options.simulation),
    sharing: collectSharing(inputs),
    network: collectNetwork(inputs),
    cost: collectCost(inputs, options.prices, options.priceFile),
    plans: collectPlans(inputs),
    resources: collectResources(inputs),
  };
}

/** Section title -> item -> a one-line summary of it: what the comparison with a base review compares. */
export function reviewRecords(data: ReviewData): Record<string, Record<string, string>> {
  return {
    Accounts: accountRecords(data.accounts),
    Access: accessRecords(data.access),
    Sharing: sharingRecords(data.sharing),
    Network: networkRecords(data.network),
    Cost: costRecords(data.cost),
    Plans: planRecords(data.plans),
  };
}

/** A previous run's data: `path` is its review.json or the directory holding it. */
export function readReviewData(path: string): ReviewData {
  const data = readAnyReviewData(path);
  if (data.format !== REVIEW_FORMAT) {
    throw new ToolError(
      `${path} is review data of format ${String(data.format)}, this review writes format ${REVIEW_FORMAT}: regenerate the base with this version`,
    );
  }
  return data;
}

/**
 * The base of a comparison, or undefined, said on `warn`, when it was written by a version of another
 * format: a change that alters the review itself (its first pull request) is reviewed without a base.
 */
export function readBaseReviewData(path: string, warn: (message: string) => void): ReviewData | undefined {
  const data = readAnyReviewData(path);
  if (data.format === REVIEW_FORMAT) return data;
  warn(
    `review: the base ${path} is review data of format ${String(data.format)}, this review writes format ${REVIEW_FORMAT}: no changes since the base are shown`,
  );
  return undefined;
}

function readAnyReviewData(path: string): ReviewData {
  if (!existsSync(path)) throw new ToolError(`--base ${path} does not exist: give a previous review's directory or its ${REVIEW_DATA_FILE}`);
  const file = statSync(path).isDirectory() ? join(path, REVIEW_DATA_FILE) : path;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ReviewData;
  } catch (error) {
    throw new ToolError(`--base ${file} is not a review's data: ${(error as Error).message}`);
  }
}
