// Terraform starts a provider anew for every command (validate, plan, show) and, within a plan, for
// every provider configuration; each start of the AWS provider costs ~2-3 s of CPU (it builds its whole
// schema). A provider started once in its reattach (debug) mode serves every command of many stacks
// instead, one stack after another. A reattached provider is configured once per plan, so it may serve a
// plan only when the stack has a single configuration of it (with aliases, terraform must start one
// provider per configuration), and only one plan at a time: the pool lends each server to one stack.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ProviderServer {
  /** The value of TF_REATTACH_PROVIDERS pointing terraform at this provider. */
  readonly reattach: string;
  /** False once the process has exited. */
  running(): boolean;
  /** Resolves once the process has exited. */
  stop(): Promise<void>;
}

/**
 * Provider servers lent to one stack at a time (`exclusive`), or one server for every stack at once when
 * nothing configures the provider (validation only).
 */
export class ProviderPool {
  private readonly started: Promise<ProviderServer | undefined>[] = [];
  private readonly idle: ProviderServer[] = [];

  constructor(
    private readonly binary: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly exclusive: boolean,
  ) {}

  acquire(): Promise<ProviderServer | undefined> {
    if (!this.exclusive && this.started.length > 0) return this.started[0];
    let server: ProviderServer | undefined;
    while ((server = this.idle.pop())) if (server.running()) return Promise.resolve(server);
    const starting = startProviderServer(this.binary, this.env);
    this.started.push(starting);
    return starting;
  }

  /** Back to the pool; a server that served a failed stack is stopped instead, whatever state it is in. */
  release(server: ProviderServer | undefined, healthy: boolean): void {
    if (!server || !this.exclusive) return;
    if (healthy) this.idle.push(server);
    else void server.stop();
  }

  /** Stops every server and waits for them to exit, so that no process outlives the check. */
  async stopAll(): Promise<void> {
    await Promise.all((await Promise.all(this.started)).map((server) => server?.stop()));
  }
}

/** The provider binary `terraform init` installed into the data directory (TF_DATA_DIR) for `source` (e.g. hashicorp/aws), if any. */
export function installedProvider(dataDir: string, source: string, version: string, platform: string): string | undefined {
  const dir = join(dataDir, 'providers', 'registry.terraform.io', source, version, platform);
  try {
    const binary = readdirSync(dir).find((file) => file.startsWith(`terraform-provider-${source.split('/')[1]}`));
    return binary && join(dir, binary);
  } catch {
    return undefined;
  }
}

/** Starts `binary` in reattach mode; undefined (and terraform starts providers itself) if it does not come up. */
export function startProviderServer(binary: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<ProviderServer | undefined> {
  return new Promise((resolve) => {
    // Logs go to stderr, discarded: an unread pipe would fill and stall the provider.
    const child = spawn(binary, ['-debug'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let exited = false;
    const exit = new Promise<void>((done) => child.once('exit', () => done()));
    const stop = () => {
      if (!exited) child.kill();
      return exit;
    };
    const timer = setTimeout(() => (void stop(), resolve(undefined)), timeoutMs);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /TF_REATTACH_PROVIDERS='(\{.*\})'/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ reattach: match[1], running: () => !exited, stop });
      }
    });
    child.on('error', () => (clearTimeout(timer), resolve(undefined)));
    child.on('exit', () => ((exited = true), clearTimeout(timer), resolve(undefined)));
  });
}
