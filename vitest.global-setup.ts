import type { TestProject } from 'vitest/node';
import { createTemplateDatabase, dropTemplateDatabase, startTestServer } from '@syncbridge/db/testing';

export default async function setup(project: TestProject) {
  const server = await startTestServer({
    externalUrl: process.env.TEST_DATABASE_URL,
    dockerHost: process.env.DOCKER_HOST,
  });
  const template = await createTemplateDatabase(server.adminUrl, `sb_template_${process.pid}`);
  project.provide('databaseAdminUrl', server.adminUrl);
  project.provide('templateDatabase', template);
  return async () => {
    await dropTemplateDatabase(server.adminUrl, template);
    await server.stop();
  };
}
