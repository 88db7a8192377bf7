// How every command ends: with the exit status its main returns; for what the user can fix (a bad option,
// a missing tool, no synth yet, a synth a guardrail refused) with one clear line and status 2; with a
// stack trace only for what is a bug.
import { SynthRefused } from './synthesize';
import { ToolError } from './tool-error';

export function runCommand(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof SynthRefused) console.error(error.message);
      else if (error instanceof ToolError || isBadOption(error)) console.error(`${name}: ${error.message}`);
      else {
        console.error(error);
        process.exit(1);
      }
      process.exit(2);
    },
  );
}

/** node:util parseArgs's errors: an unknown option, a missing value... */
function isBadOption(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');
}
