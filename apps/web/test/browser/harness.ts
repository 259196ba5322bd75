// End-to-end tests in a real browser: the production web build served by the real Express app
// (createWebServer) on a random port, against this file's own database, driven through Debian's
// headless Chromium with playwright-core.
//
// Every test gets a fresh browser context (no cookies carried over) and fails when the page logs a
// console error or throws, unless the test declared that exact error as expected
// (`allowConsoleError`: a 403 page, a form the server rejects with 400). After each test a
// screenshot of its final page goes to apps/web/test-results/<file>--<test>.png.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, type TestContext } from 'vitest';
import { hashPassword } from '@syncbridge/api';
import type { UserRole } from '@syncbridge/db';
import type { KeyRing } from '@syncbridge/engine';
import { useTestDatabase, type TestDatabase } from '@syncbridge/db/testing';
import { createWebServer, webRoot, type WebApiOptions } from '../../server/app.ts';
import { createJobSender, type JobSenderHandle } from '../../server/webhooks.ts';
import { createUser, PASSWORD } from '../auth-helpers.ts';
import { listen, silentLogger } from '../helpers.ts';

/** Debian's Chromium, or the one `npm test` found (scripts/run.mjs sets CHROMIUM_PATH). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RESULTS_DIR = path.join(webRoot, 'test-results');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface HarnessOptions {
  /** Give the server a real pg-boss sender (on this file's database), so "Sync now" can queue jobs. */
  jobs?: boolean;
  /** Browser window size; defaults to 1280×800. */
  viewport?: { width: number; height: number };
  /** Encrypts credentials and webhook secrets, so integrations can be created (none: 412 on create). */
  keyRing?: KeyRing;
}

export interface BrowserHarness {
  db: TestDatabase;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The current test's page (a fresh context per test). */
  readonly page: Page;
  /** A console error matching this is expected in the current test (it does not fail it). */
  allowConsoleError(pattern: RegExp): void;
  /** Creates a user of `role` and signs in through the sign-in form; resolves on the dashboard. */
  signInAs(role: UserRole, page?: Page): Promise<{ id: string; email: string }>;
  /** Navigates within the app, waiting until the page is loaded and hydrated. */
  goto(pathname: string, page?: Page): Promise<void>;
}

/** Builds the web app when there is no build yet (`npm test` builds first; this covers running one file). */
function ensureBuild() {
  if (existsSync(path.join(webRoot, 'build', 'server', 'index.js'))) return;
  const result = spawnSync('pnpm', ['--filter', '@syncbridge/web', 'build'], {
    cwd: path.resolve(webRoot, '../..'),
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`web build failed (exit ${result.status ?? result.signal})`);
}

function fileSlug(testContext: TestContext): string {
  const file = path.basename(testContext.task.file?.name ?? 'browser').replace(/\.browser\.test\.ts$|\.test\.ts$/, '');
  const name = testContext.task.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 100);
  return `${file}--${name}`;
}

/** Registers the hooks for one browser test file. */
export function useBrowserHarness(options: HarnessOptions = {}): BrowserHarness {
  const db = useTestDatabase();
  let http: Awaited<ReturnType<typeof listen>> | undefined;
  let jobs: JobSenderHandle | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let current: Page | undefined;
  let passwordHash: string;
  let problems: string[] = [];
  let allowed: RegExp[] = [];

  beforeAll(() => ensureBuild(), 180_000);

  beforeAll(async () => {
    passwordHash = await hashPassword(PASSWORD);
    const api: WebApiOptions = { auth: { secureCookies: false }, keyRing: options.keyRing ?? null };
    if (options.jobs) {
      jobs = createJobSender({ connectionString: db.url, logger: silentLogger });
      await jobs.ready;
      api.sendJob = jobs.sender;
    }
    const web = await createWebServer({ db, logger: silentLogger, mode: 'production', api });
    http = await listen(web.app);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await http?.close();
    await jobs?.stop();
  });

  beforeEach(async () => {
    problems = [];
    allowed = [];
    context = await browser!.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
    current = await context.newPage();
    watch(current);
  });

  afterEach(async (testContext) => {
    try {
      if (current && !current.isClosed()) {
        mkdirSync(RESULTS_DIR, { recursive: true });
        await current.screenshot({ path: path.join(RESULTS_DIR, `${fileSlug(testContext)}.png`), fullPage: true });
      }
    } finally {
      await context?.close();
      context = undefined;
      current = undefined;
    }
    // Fails the test that produced them.
    expect(problems, 'console errors or page errors in the browser').toEqual([]);
  });

  function watch(page: Page) {
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() !== 'error') return;
      const text = `${message.text()} (${message.location().url || 'no url'})`;
      if (!allowed.some((pattern) => pattern.test(text))) problems.push(`console error: ${text}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  }

  const harness: BrowserHarness = {
    db,
    get url() {
      if (!http) throw new Error('the server is not started yet');
      return http.url;
    },
    get page() {
      if (!current) throw new Error('no page: use it inside a test');
      return current;
    },
    allowConsoleError(pattern) {
      allowed.push(pattern);
    },
    async goto(pathname, page = harness.page) {
      await page.goto(`${harness.url}${pathname}`);
      await waitForHydration(page);
    },
    async signInAs(role, page = harness.page) {
      const user = await createUser(db, role, passwordHash);
      await harness.goto('/sign-in', page);
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${harness.url}/`);
      await waitForHydration(page);
      return { id: user.id, email: user.email };
    },
  };
  return harness;
}

/** Resolves once React has hydrated the server-rendered page (root.tsx marks <html> in an effect). */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
}

/** Polls `read` until it returns something `accept` likes (or the deadline passes). */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await read();
  }
  return last;
}
