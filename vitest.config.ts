import { defineConfig } from 'vitest/config';

// One run for the whole monorepo: every package is a project, one Postgres server serves them all
// (see vitest.global-setup.ts), and each test file gets its own database cloned from a template.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    globalSetup: ['./vitest.global-setup.ts'],
  },
});
