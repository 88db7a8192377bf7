// node scripts/run-bundled.cjs <entry.ts> [args]: runs a TypeScript entry point (main.ts, scripts/*.ts)
// from an esbuild bundle in .cache/bundles/, rebuilt first when it is missing or any file it was built
// from changed since. Loading one bundle costs a fraction of transpiling every file at each start
// (docs/performance.md), and an edited source is picked up with no build step to remember.
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
// Loaded from the bundle, where they cost less than from their packages' many files; every other
// package stays a require at run time (cdktf's classes must be the ones its providers extend).
const BUNDLED_PACKAGES = ['zod', 'yaml'];
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-bundled.cjs <entry.ts> [args]');
  process.exit(2);
}
const entryFile = resolve(entry);
const bundle = join(ROOT, '.cache', 'bundles', relative(ROOT, entryFile).replace(/\.ts$/, '.js'));
const inputsFile = `${bundle}.inputs.json`;

/** True when every source the bundle was built from is unchanged since its build started. */
function isCurrent() {
  try {
    const { started, inputs } = JSON.parse(readFileSync(inputsFile, 'utf8'));
    return [...inputs, 'package.json'].every((input) => statSync(join(ROOT, input)).mtimeMs < started);
  } catch {
    return false;
  }
}

async function build() {
  const started = Date.now();
  const esbuild = require('esbuild');
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  // A bundle lives elsewhere than its sources: each file's __dirname is written in as the file's own.
  const ownDirname = {
    name: 'own-dirname',
    setup(plugin) {
      plugin.onLoad({ filter: /\.ts$/ }, (file) => ({
        contents: readFileSync(file.path, 'utf8').replace(/\b__dirname\b/g, JSON.stringify(dirname(file.path))),
        loader: 'ts',
      }));
    },
  };
  // Written aside and renamed, so that commands started at once never run a half-written bundle.
  const staging = `${bundle}.${process.pid}`;
  const result = await esbuild.build({
    entryPoints: [entryFile],
    outfile: staging,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
      .filter((name) => !BUNDLED_PACKAGES.includes(name))
      .flatMap((name) => [name, `${name}/*`]),
    metafile: true,
    logLevel: 'error',
    plugins: [ownDirname],
  });
  mkdirSync(dirname(bundle), { recursive: true });
  writeFileSync(`${inputsFile}.${process.pid}`, JSON.stringify({ started, inputs: Object.keys(result.metafile.inputs) }));
  renameSync(staging, bundle);
  renameSync(`${inputsFile}.${process.pid}`, inputsFile);
}

(isCurrent() ? Promise.resolve() : build()).then(
  () => {
    process.argv = [process.argv[0], entryFile, ...args];
    require(bundle);
  },
  (error) => {
    // esbuild has printed what it could not build; anything else is said here.
    if (!error.errors) console.error(`run-bundled: ${error.message}`);
    process.exit(2);
  },
);
