import { defineProject } from 'vitest/config';

// Its own config so vitest does not load vite.config.ts (and the Remix plugin) for the tests.
export default defineProject({
  test: {
    name: '@syncbridge/web',
    include: ['test/**/*.test.ts', 'app/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
