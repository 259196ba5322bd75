#!/usr/bin/env node
// The project's own bootstrap: `npm start` / `npm test` work on a fresh clone with only Node (>= 20)
// and npm. It puts Node 24 (the npm package node-<platform>-<arch>) and pnpm into .tools/ when the
// machine lacks them, installs dependencies when the lockfile changed, then runs the command.
//
//   node scripts/run.mjs start        embedded Postgres + migrations + seed + web + worker
//   node scripts/run.mjs test [args]  build what tests need, then every test (vitest projects)
//   node scripts/run.mjs bench [name] benchmarks under bench/
//   node scripts/run.mjs exec CMD     any command with the project's toolchain on PATH
//
// Plain JavaScript on purpose: it must run on the machine's own Node before Node 24 exists.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_VERSION = '24.21.0';
const PNPM_VERSION = '12.21.0';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = path.join(root, '.tools');
const [command = 'help', ...args] = process.argv.slice(2);

function log(message) {
  process.stderr.write(`[syncbridge] ${message}\n`);
}

function fail(message) {
  log(message);
  process.exit(1);
}

function run(cmd, cmdArgs, options = {}) {
  const result = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) fail(`${cmd} could not run: ${result.error.message}`);
  return result.status ?? 1;
}

function nodeMajor(version) {
  return Number(version.replace(/^v/, '').split('.')[0]);
}

/** Makes sure Node 24 and pnpm are available; returns the PATH to run everything else with. */
function ensureToolchain() {
  const packages = [];
  const nodePkg = `node-${process.platform}-${process.arch}`;
  const localNodeBin = path.join(toolsDir, 'node_modules', nodePkg, 'bin');
  const needNode = nodeMajor(process.version) < 24;
  if (needNode && !existsSync(path.join(localNodeBin, 'node'))) packages.push(`${nodePkg}@${NODE_VERSION}`);
  const pnpmBin = path.join(toolsDir, 'node_modules', '.bin', 'pnpm');
  if (!existsSync(pnpmBin)) packages.push(`pnpm@${PNPM_VERSION}`);
  if (packages.length > 0) {
    log(`installing ${packages.join(' and ')} into .tools/ (first run only)`);
    mkdirSync(toolsDir, { recursive: true });
    writeFileSync(path.join(toolsDir, 'package.json'), '{ "private": true }\n');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const status = run(npm, ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', ...packages], {
      cwd: toolsDir,
    });
    if (status !== 0) fail('could not install the toolchain from the npm registry (see above)');
  }
  const entries = [path.join(toolsDir, 'node_modules', '.bin'), path.join(root, 'node_modules', '.bin')];
  if (needNode) entries.unshift(localNodeBin);
  return [...entries, process.env.PATH ?? ''].join(path.delimiter);
}

function installStamp() {
  const hash = createHash('sha256');
  for (const file of ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json']) {
    hash.update(readFileSync(path.join(root, file)));
  }
  hash.update(readFileSync(path.join(root, 'packages', 'db', 'prisma', 'schema.prisma')));
  return hash.digest('hex');
}

/** Installs dependencies (and generates the Prisma client) when the lockfile or schema changed. */
function ensureDependencies(env) {
  const stampFile = path.join(root, 'node_modules', '.syncbridge-install');
  const stamp = installStamp();
  const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
  const generated = existsSync(path.join(root, 'packages', 'db', 'src', 'generated', 'prisma', 'client.ts'));
  if (current === stamp && generated) return;
  log('installing dependencies (pnpm install --frozen-lockfile)');
  let status = run('pnpm', ['install', '--frozen-lockfile', '--reporter=append-only'], { env });
  if (status !== 0) fail('pnpm install failed (see above)');
  // pnpm skips postinstall when nothing changed; the client must exist either way.
  status = run('pnpm', ['--filter', '@syncbridge/db', 'generate'], { env });
  if (status !== 0) fail('prisma generate failed (see above)');
  writeFileSync(stampFile, stamp);
}

/** Runs a long-lived child, forwarding Ctrl-C / SIGTERM to it and exiting with its status. */
function runForwardingSignals(cmd, cmdArgs, env) {
  const child = spawn(cmd, cmdArgs, { stdio: 'inherit', cwd: root, env });
  // Ctrl-C reaches the whole process group anyway; a signal sent to this process alone
  // (kill, a supervisor) is passed on so the child can shut down cleanly.
  const forward = (signal) => {
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/**
 * The browser tests drive Debian's Chromium through playwright-core (no browser download). Finds it
 * (CHROMIUM_PATH or /usr/bin/chromium) or installs the Debian package when running as root.
 */
function ensureChromium(env) {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  let found = candidates.find((candidate) => existsSync(candidate));
  const canApt = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!found && canApt) {
    log('installing Debian chromium for the browser tests (apt-get, first run only)');
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = ['install', '-y', '-q', '--no-install-recommends', 'chromium'];
    if (run('apt-get', install, { env: aptEnv }) !== 0) {
      run('apt-get', ['update', '-q'], { env: aptEnv });
      run('apt-get', install, { env: aptEnv });
    }
    found = candidates.find((candidate) => existsSync(candidate));
  }
  if (!found) fail('the browser tests need Chromium: install the Debian package `chromium` or set CHROMIUM_PATH');
  env.CHROMIUM_PATH = found;
}

function turbo(env, task, extra = []) {
  return run('pnpm', ['exec', 'turbo', 'run', task, '--output-logs=errors-only', ...extra], { env });
}

const PATH = ensureToolchain();
const env = {
  ...process.env,
  PATH,
  NODE_OPTIONS: [process.env.NODE_OPTIONS, '--disable-warning=ExperimentalWarning'].filter(Boolean).join(' '),
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
ensureDependencies(env);

switch (command) {
  case 'start': {
    if (turbo(env, 'build', ['--filter=@syncbridge/web']) !== 0) fail('building the web app failed (see above)');
    // node --import tsx directly: no pnpm or tsx CLI in between to swallow Ctrl-C.
    runForwardingSignals('node', ['--import', 'tsx', 'scripts/start.ts', ...args], env);
    break;
  }
  case 'test': {
    ensureChromium(env);
    if (turbo(env, 'build', ['--filter=@syncbridge/web']) !== 0) fail('building the web app failed (see above)');
    runForwardingSignals('pnpm', ['exec', 'vitest', 'run', ...args], env);
    break;
  }
  case 'bench': {
    runForwardingSignals('node', ['--import', 'tsx', 'bench/run.ts', ...args], env);
    break;
  }
  case 'exec': {
    // Run any command with the project's toolchain on PATH: node scripts/run.mjs exec pnpm lint
    const [cmd, ...rest] = args;
    if (!cmd) fail('usage: node scripts/run.mjs exec <command> [args]');
    runForwardingSignals(cmd, rest, env);
    break;
  }
  default:
    log('usage: node scripts/run.mjs start | test [vitest args] | bench [name] | exec <command>');
    process.exit(command === 'help' ? 0 : 2);
}
