import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import {
  assertNoLogLeaks,
  findLogLeaks,
  logTapDir,
  registerEncryptedSecret,
  registerTestSecret,
  testSecret,
  TEST_SECRET_PATTERN,
} from './log-tap.ts';

// Each case scans a directory of its own, never the run's tap (which must stay free of leaks).
const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-log-tap-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const logLine = (fields: object) => `${JSON.stringify({ level: 'info', ...fields })}\n`;

describe('findLogLeaks', () => {
  it('finds a registered secret in a log line, as is or JSON-escaped, and names file and line', async () => {
    const dir = scratch();
    registerTestSecret('plain-secret-value-123', dir);
    registerTestSecret('quoted "secret"\nwith newline', dir);
    writeFileSync(
      path.join(dir, 'log-1.ndjson'),
      logLine({ msg: 'fine' }) + logLine({ msg: 'oops plain-secret-value-123' }),
    );
    writeFileSync(path.join(dir, 'log-2.ndjson'), logLine({ detail: 'quoted "secret"\nwith newline' }));
    const report = await findLogLeaks(dir);
    expect(report).toMatchObject({ files: 2, lines: 3, secrets: 2 });
    expect(report.leaks).toEqual([
      { file: 'log-1.ndjson', line: 2, secret: 'plai… (22 chars)' },
      { file: 'log-2.ndjson', line: 1, secret: 'quot… (28 chars)' },
    ]);
  });

  it('treats any sbtest_ token as a leak even when no process recorded it', async () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'log-3.ndjson'), logLine({ token: `sbtest_${'ab'.repeat(16)}` }));
    expect((await findLogLeaks(dir)).leaks).toHaveLength(1);
  });

  it('passes clean logs, ignores values too short to be secrets, and removes the directory', async () => {
    const dir = scratch();
    registerTestSecret('short', dir);
    registerTestSecret('a-long-secret-nobody-logged', dir);
    writeFileSync(path.join(dir, 'log-4.ndjson'), logLine({ msg: 'short and sweet' }));
    const report = await assertNoLogLeaks(dir);
    expect(report).toMatchObject({ files: 1, lines: 1, secrets: 1, leaks: [] });
    expect(existsSync(dir)).toBe(false);
  });

  it('fails with the places (secret masked) and keeps the directory', async () => {
    const dir = scratch();
    registerTestSecret('a-long-secret-somebody-logged', dir);
    writeFileSync(path.join(dir, 'log-5.ndjson'), logLine({ msg: 'a-long-secret-somebody-logged' }));
    const failure = await assertNoLogLeaks(dir).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain('log-5.ndjson:1 holds a-lo… (29 chars)');
    expect((failure as Error).message).not.toContain('a-long-secret-somebody-logged');
    expect(existsSync(dir)).toBe(true);
  });
});

describe('registerEncryptedSecret', () => {
  it("records a credentials object's secret fields and a plain secret, not ids or emails", async () => {
    const dir = scratch();
    registerEncryptedSecret(
      JSON.stringify({
        token: 'tok-0123456789',
        client_email: 'robot@example.iam.test',
        nested: { refresh_token: 'refresh-0123456789' },
        private_key: '-----BEGIN KEY-----\nabc\n-----END KEY-----',
      }),
      dir,
    );
    registerEncryptedSecret('whsec-plain-webhook-secret', dir);
    const recorded = readFileSync(path.join(dir, `secrets-${process.pid}.txt`), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string);
    expect(recorded.sort()).toEqual(
      [
        'tok-0123456789',
        'refresh-0123456789',
        '-----BEGIN KEY-----\nabc\n-----END KEY-----',
        'whsec-plain-webhook-secret',
      ].sort(),
    );
  });
});

describe('under this test run', () => {
  it('taps every createLogger logger, a silent one too, down to debug, into this process file', () => {
    const dir = logTapDir();
    expect(dir, 'vitest.global-setup.ts sets SYNCBRIDGE_LOG_TAP_DIR').toBeTruthy();
    const marker = `tap-marker-${process.pid}-${Date.now()}`;
    createLogger({ name: 'tap-test', level: 'silent' }).debug({ marker }, 'tapped');
    const lines = readFileSync(path.join(dir!, `log-${process.pid}.ndjson`), 'utf8');
    expect(lines).toContain(marker);
  });

  it('keeps a logger destination at its own level while the tap gets debug', () => {
    const seen: string[] = [];
    const log = createLogger({ name: 'tap-test', level: 'info', destination: { write: (l: string) => seen.push(l) } });
    log.debug('not for the destination');
    log.info('for both');
    expect(seen.map((l) => JSON.parse(l).msg)).toEqual(['for both']);
  });

  it('makes test secrets in the recognisable format and records them', () => {
    const secret = testSecret();
    expect(secret).toMatch(new RegExp(`^${TEST_SECRET_PATTERN.source}$`));
    const recorded = readFileSync(path.join(logTapDir()!, `secrets-${process.pid}.txt`), 'utf8');
    expect(recorded).toContain(JSON.stringify(secret));
  });
});
