// Primitive field types shared by every file of the description. Each one names what was expected in its
// error, with the offending value, because these messages are the whole user interface of a typo.
import { z } from 'zod';
import { parseCidr } from '../cidr';

const show = (value: unknown): string => JSON.stringify(value);

/** A lowercase name usable as a stack, workspace, role-session and DNS label. */
export const slug = (what: string) =>
  z.string().regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, {
    error: (issue) => `${show(issue.input)} is not a valid ${what} (lowercase letters, digits and dashes, 2-32 characters, starting with a letter)`,
  });

const notAnAccountId = (issue: { input?: unknown }) => `${show(issue.input)} is not a valid AWS account id (12 digits, quoted in YAML)`;
export const accountId = z.string({ error: notAnAccountId }).regex(/^\d{12}$/, { error: notAnAccountId });

export const email = z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, {
  error: (issue) => `${show(issue.input)} is not a valid email address`,
});

export const region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, {
  error: (issue) => `${show(issue.input)} is not a valid AWS region (e.g. us-east-1)`,
});

const notACidr = (issue: { input?: unknown }) => `${show(issue.input)} is not a valid IPv4 CIDR`;
export const ipv4Cidr = z
  .string({ error: notACidr })
  // The pattern is for editors (JSON Schema); the parse below also rejects /33, 300.1.2.3 and host bits.
  .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, { error: notACidr, abort: true })
  .refine((value) => parseCidr(value) !== undefined, { error: notACidr });

/** An IAM role name (without path). */
export const iamName = (what: string) =>
  z.string().regex(/^[\w+=,.@-]{1,64}$/, {
    error: (issue) => `${show(issue.input)} is not a valid ${what} (1-64 of letters, digits and +=,.@_-)`,
  });

/** A tag key as AWS accepts it. */
export const tagKey = z.string().regex(/^[\w.:/=+@ -]{1,128}$/, {
  error: (issue) => `${show(issue.input)} is not a valid tag key`,
});
