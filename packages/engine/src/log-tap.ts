// The test suite's "no secret in any log line" check. Under vitest, vitest.global-setup.ts makes a
// run directory and names it in SYNCBRIDGE_LOG_TAP_DIR; every process of the run (vitest's workers
// and the worker/web processes tests spawn, which inherit the environment) then
//   - copies every line of every createLogger logger to `log-<pid>.ndjson` there (logger.ts), and
//   - records every secret it creates (testSecret(), registerTestSecret(), and every value a key
//     ring encrypts: credentials and webhook secrets) in `secrets-<pid>.txt`.
// At the end of the run the global setup scans the lot (findLogLeaks) and fails the run when any
// recorded secret, or any `sbtest_<hex>` token whether recorded or not, appears in a log line.
// Outside a test run the variable is unset and all of this does nothing.
import { randomBytes } from 'node:crypto';
import { appendFileSync, createReadStream, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';

export const LOG_TAP_ENV = 'SYNCBRIDGE_LOG_TAP_DIR';

/** The format of testSecret(): any such token in a log line is a leak, recorded or not. */
export const TEST_SECRET_PATTERN = /sbtest_[0-9a-f]{32}/;

/** Shorter values are too likely to occur by chance (ids, words) to be checked. */
const MIN_SECRET_LENGTH = 8;
/** Keys of a JSON credentials object whose string values are secrets (not client ids or emails). */
const SECRET_FIELD = /token|secret|password|passphrase|private_?key|api_?key|authorization|credential/i;

/** The run directory, or null outside a test run. */
export function logTapDir(): string | null {
  // The one engine module that reads the environment: a test-run switch set by vitest's global setup
  // and inherited by child processes, which no caller could pass down to every logger.
  // eslint-disable-next-line no-restricted-properties
  return process.env[LOG_TAP_ENV] || null;
}

let tap: { dir: string; pid: number; stream: pino.DestinationStream } | undefined;

/** This process's tap file as a pino destination (synchronous: a SIGKILLed process loses nothing). */
export function logTapStream(): pino.DestinationStream | null {
  const dir = logTapDir();
  if (!dir) return null;
  if (tap?.dir !== dir || tap.pid !== process.pid) {
    mkdirSync(dir, { recursive: true });
    tap = {
      dir,
      pid: process.pid,
      stream: pino.destination({ dest: path.join(dir, `log-${process.pid}.ndjson`), sync: true }),
    };
  }
  return tap.stream;
}

/** Records a value that must never appear in a log line of this test run (no-op outside one). */
export function registerTestSecret(value: string, dir: string | null = logTapDir()): void {
  if (!dir || value.length < MIN_SECRET_LENGTH) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(path.join(dir, `secrets-${process.pid}.txt`), `${JSON.stringify(value)}\n`);
}

/** A fresh random secret for a test (`sbtest_<32 hex>`), recorded for the end-of-run log check. */
export function testSecret(): string {
  const value = `sbtest_${randomBytes(16).toString('hex')}`;
  registerTestSecret(value);
  return value;
}

/**
 * Called by the key ring with every plaintext it encrypts: under a test run, a credentials object's
 * secret fields (or the whole value when it is not a JSON object, e.g. a webhook secret) are recorded.
 */
export function registerEncryptedSecret(plaintext: string, dir: string | null = logTapDir()): void {
  if (!dir) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(plaintext);
  } catch {
    parsed = plaintext;
  }
  if (typeof parsed !== 'object' || parsed === null) {
    registerTestSecret(plaintext, dir);
    return;
  }
  const walk = (value: unknown, secretKey: boolean) => {
    if (typeof value === 'string') {
      if (secretKey) registerTestSecret(value, dir);
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item, secretKey);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) walk(item, secretKey || SECRET_FIELD.test(key));
    }
  };
  walk(parsed, false);
}

export interface LogLeak {
  /** Tap file, relative to the run directory. */
  file: string;
  line: number;
  /** The leaked value, masked (first 4 characters and its length): the report must not leak it again. */
  secret: string;
}

export interface LogTapReport {
  files: number;
  lines: number;
  secrets: number;
  leaks: LogLeak[];
}

function mask(value: string): string {
  return `${value.slice(0, 4)}… (${value.length} chars)`;
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Reads every recorded secret and scans every tap file of a run directory for them. */
export async function findLogLeaks(dir: string): Promise<LogTapReport> {
  const entries = readdirSync(dir);
  const secrets = new Set<string>();
  for (const name of entries.filter((n) => n.startsWith('secrets-'))) {
    for (const line of readFileSync(path.join(dir, name), 'utf8').split('\n')) {
      if (line) secrets.add(JSON.parse(line) as string);
    }
  }
  // A log line is JSON: a secret with quotes, backslashes or newlines appears escaped.
  const needles = new Map<string, string>();
  for (const secret of secrets) {
    needles.set(secret, secret);
    needles.set(JSON.stringify(secret).slice(1, -1), secret);
  }
  const alternatives = [...needles.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const matcher = new RegExp([TEST_SECRET_PATTERN.source, ...alternatives].join('|'));

  const report: LogTapReport = { files: 0, lines: 0, secrets: secrets.size, leaks: [] };
  for (const name of entries.filter((n) => n.startsWith('log-')).sort()) {
    report.files++;
    const lines = createInterface({ input: createReadStream(path.join(dir, name)), crlfDelay: Infinity });
    let number = 0;
    for await (const line of lines) {
      number++;
      const found = matcher.exec(line);
      if (found) report.leaks.push({ file: name, line: number, secret: mask(needles.get(found[0]) ?? found[0]) });
    }
    report.lines += number;
  }
  return report;
}

/**
 * The end-of-run check (vitest.global-setup.ts teardown): throws when a log line holds a secret,
 * naming the files and lines (the run directory is then kept for a look); removes it when clean.
 */
export async function assertNoLogLeaks(dir: string): Promise<LogTapReport> {
  const report = await findLogLeaks(dir);
  if (report.leaks.length === 0) {
    rmSync(dir, { recursive: true, force: true });
    return report;
  }
  const shown = report.leaks.slice(0, 20).map((leak) => `  ${leak.file}:${leak.line} holds ${leak.secret}`);
  const more = report.leaks.length > shown.length ? [`  … and ${report.leaks.length - shown.length} more`] : [];
  throw new Error(
    [
      `A secret appeared in ${report.leaks.length} log line(s) of this test run (${report.secrets} secrets checked in ${report.lines} lines):`,
      ...shown,
      ...more,
      `The lines are kept in ${dir}.`,
    ].join('\n'),
  );
}
