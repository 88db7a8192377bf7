// The price data the cost estimate reads (data/aws-prices.json): on-demand list prices, each with its
// region, date and source, and the usage volumes the estimate states instead of measuring.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const PRICES_FILE = join(__dirname, '..', '..', '..', 'data', 'aws-prices.json');

/** "*": the same price in every commercial region. */
export const EVERY_REGION = '*';

const priceSchema = z.strictObject({
  item: z.string().min(1),
  region: z.string().min(1),
  unit: z.string().min(1),
  usd: z.number().min(0),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  source: z.string().min(1),
  assumption: z.string().min(1).optional(),
});

const usageSchema = z.strictObject({ value: z.number().positive(), unit: z.string().min(1), why: z.string().min(1) });

const pricesFileSchema = z.strictObject({
  $comment: z.string(),
  currency: z.literal('USD'),
  hoursPerMonth: z.number().positive(),
  usage: z.strictObject({
    flowLogGbPerVpcMonth: usageSchema,
    natInstanceRootVolumeGib: usageSchema,
    trailLogGbPerAccountMonth: usageSchema,
    stateDataEventsPerMonth: usageSchema,
    guardDutyEventsPerAccountMonth: usageSchema,
    guardDutyLogGbPerAccountMonth: usageSchema,
    securityHubChecksPerAccountMonth: usageSchema,
  }),
  prices: z.array(priceSchema).min(1),
});

export type Price = z.output<typeof priceSchema>;
export type PricesFile = z.output<typeof pricesFileSchema>;

/** The price list, validated; a malformed file names its problems. */
export function loadPrices(file = PRICES_FILE): PriceList {
  const parsed = pricesFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file} is not a valid price list:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')}`);
  }
  return new PriceList(parsed.data);
}

export class PriceList {
  constructor(readonly file: PricesFile) {}

  get hoursPerMonth(): number {
    return this.file.hoursPerMonth;
  }

  /** The price of `item` in `region` (a region's own price first, then one for every region); undefined if the file has none. */
  find(item: string, region: string): Price | undefined {
    const candidates = this.file.prices.filter((price) => price.item === item);
    return candidates.find((price) => price.region === region) ?? candidates.find((price) => price.region === EVERY_REGION);
  }

  /** The latest date among the prices: when the file was last checked. */
  get checked(): string {
    return this.file.prices
      .map((price) => price.date)
      .sort()
      .at(-1)!;
  }
}
