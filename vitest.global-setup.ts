import type { TestProject } from 'vitest/node';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTemplateDatabase, dropTemplateDatabase, startTestServer } from '@syncbridge/db/testing';
import { assertNoLogLeaks, LOG_TAP_ENV } from './packages/engine/src/log-tap.ts';

export default async function setup(project: TestProject) {
  // The run's log tap (packages/engine/src/log-tap.ts): set before any worker or app process starts,
  // so all of them inherit it.
  const logTapDir = await mkdtemp(path.join(os.tmpdir(), 'syncbridge-log-tap-'));
  process.env[LOG_TAP_ENV] = logTapDir;
  const server = await startTestServer({
    externalUrl: process.env.TEST_DATABASE_URL,
    dockerHost: process.env.DOCKER_HOST,
  });
  const template = await createTemplateDatabase(server.adminUrl, `sb_template_${process.pid}`);
  project.provide('databaseAdminUrl', server.adminUrl);
  project.provide('templateDatabase', template);
  return async () => {
    try {
      await dropTemplateDatabase(server.adminUrl, template);
      await server.stop();
    } finally {
      // Throws when a recorded secret is in a log line; vitest then exits 1 ("error during close").
      await assertNoLogLeaks(logTapDir);
    }
  };
}
