// Every command's front: one declarative spec (what it does, its arguments, options, environment, exit
// statuses and an example) gives its --help and its parsing. How every command ends: with the exit status
// its main returns; for what the user can fix (a bad option, a missing tool, no synth yet, a synth a
// guardrail refused) with one clear line and status 2; with a stack trace only for what is a bug.
import { parseArgs } from 'node:util';
import { SynthRefused } from './synthesize';
import { ToolError } from './tool-error';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly description: string;
  /** A string option's value as the help names it, e.g. <dir>. */
  readonly value?: string;
  readonly default?: string;
}

export interface CommandSpec<Options extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** The npm script: `npm run <name>`. */
  readonly name: string;
  /** What it does, a few lines. */
  readonly summary: string;
  /** Positional arguments, each required, in order; a variadic last one takes any number (none included). */
  readonly arguments?: readonly { readonly name: string; readonly description: string; readonly variadic?: true }[];
  readonly options: Options;
  readonly environment?: Readonly<Record<string, string>>;
  /** Exit statuses and what they mean for this command (default: the common ones). */
  readonly exitStatuses?: Readonly<Record<number, string>>;
  readonly example: string;
}

export type OptionValues<Options extends Record<string, OptionSpec>> = {
  readonly [K in keyof Options]: Options[K]['type'] extends 'boolean' ? boolean : Options[K]['default'] extends string ? string : string | undefined;
};

export interface CommandLine<Options extends Record<string, OptionSpec>> {
  readonly values: OptionValues<Options>;
  readonly positionals: readonly string[];
}

/** Shared by the commands that synthesize. */
export const OUT_OPTION = {
  type: 'string',
  value: '<dir>',
  default: process.env.CDKTF_OUTDIR || 'cdktf.out',
  description: 'Where the synthesized stacks are (CDKTF_OUTDIR, else cdktf.out).',
} as const satisfies OptionSpec;
export const NO_SYNTH_OPTION = { type: 'boolean', description: 'Use the stacks already synthesized in --out.' } as const satisfies OptionSpec;
export const DESCRIPTION_ENVIRONMENT = {
  ORG_DIR: 'Directory of the description (default: environments).',
  CDKTF_OUTDIR: 'Default of --out.',
} as const;
export const TERRAFORM_ENVIRONMENT = {
  TERRAFORM: 'The terraform binary (default: terraform on PATH; >= 1.10).',
  TF_PROVIDER_MIRROR: 'A filesystem mirror holding hashicorp/aws, or "registry" (default: discovered).',
} as const;

export const COMMON_EXIT_STATUSES: Readonly<Record<number, string>> = {
  0: 'done',
  1: 'the description has problems, each named with its file and field; nothing was written',
  2: 'a bad option or argument, a missing tool or synth, or a synth a guardrail refused',
};

const HELP = new Set(['--help', '-h']);

/** Parses the command line by `spec`: --help prints the help and exits 0 before `main` does anything. */
export function runCommand<Options extends Record<string, OptionSpec>>(
  spec: CommandSpec<Options>,
  main: (commandLine: CommandLine<Options>) => number | Promise<number>,
): void {
  const args = process.argv.slice(2);
  const beforeSeparator = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (beforeSeparator.some((arg) => HELP.has(arg))) {
    process.stdout.write(helpText(spec));
    process.exit(0);
  }
  Promise.resolve()
    .then(() => main(parseCommandLine(spec, args)))
    .then(
      (code) => process.exit(code),
      (error: unknown) => {
        if (error instanceof SynthRefused) console.error(error.message);
        else if (error instanceof ToolError) console.error(`${spec.name}: ${error.message}`);
        else if (isBadOption(error)) console.error(`${spec.name}: ${firstSentence(error.message)} (see npm run ${spec.name} -- --help)`);
        else {
          console.error(error);
          process.exit(1);
        }
        process.exit(2);
      },
    );
}

function parseCommandLine<Options extends Record<string, OptionSpec>>(spec: CommandSpec<Options>, args: string[]): CommandLine<Options> {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, option]) => [
      name,
      { type: option.type, default: option.default ?? (option.type === 'boolean' ? false : undefined) },
    ]),
  );
  const expected = spec.arguments ?? [];
  const { values, positionals } = parseArgs({ args, options, allowPositionals: expected.length > 0, strict: true });
  const variadic = expected.at(-1)?.variadic === true;
  if (variadic ? positionals.length < expected.length - 1 : positionals.length !== expected.length) {
    throw new ToolError(
      `expected ${expected.map((argument) => argument.name).join(' ')}, got ${positionals.length} argument(s) (see npm run ${spec.name} -- --help)`,
    );
  }
  return { values: values as OptionValues<Options>, positionals };
}

/** node:util parseArgs's errors: an unknown option, a missing value... */
function isBadOption(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');
}

/** parseArgs goes on about positionals after '--'; the option and what is wrong with it is what matters. */
function firstSentence(message: string): string {
  return message.split(/\. /)[0].replace(/\.$/, '');
}

function helpText(spec: CommandSpec): string {
  const argumentNames = (spec.arguments ?? []).map((argument) => ` ${argument.variadic ? `[${argument.name}...]` : argument.name}`).join('');
  const table = (rows: [string, string][]) => {
    const width = Math.max(...rows.map(([left]) => left.length)) + 2;
    return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
  };
  const optionRows: [string, string][] = [
    ...Object.entries(spec.options).map(([name, option]): [string, string] => [`--${name}${option.value ? ` ${option.value}` : ''}`, option.description]),
    ['-h, --help', 'Print this help and exit.'],
  ];
  const sections = [
    `Usage: npm run ${spec.name} -- [options]${argumentNames}`,
    spec.summary,
    ...(spec.arguments?.length ? [`Arguments:\n${table(spec.arguments.map((argument) => [argument.name, argument.description]))}`] : []),
    `Options:\n${table(optionRows)}`,
    ...(spec.environment ? [`Environment:\n${table(Object.entries(spec.environment))}`] : []),
    `Exit status:\n${table(Object.entries(spec.exitStatuses ?? COMMON_EXIT_STATUSES))}`,
    `Example:\n  ${spec.example}`,
  ];
  return `${sections.join('\n\n')}\n`;
}
