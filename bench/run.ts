// `pnpm bench [name]`: runs bench/<name>.ts, or every benchmark when no name is given
// (files with a dash in their name are helpers of another benchmark).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { benchDir } from './lib.ts';

const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'lib.ts'].includes(f) && !f.includes('-'))
  .map((f) => f.replace(/\.ts$/, ''));
const [name, ...rest] = process.argv.slice(2);
const selected = name ? [name] : available;
for (const bench of selected) {
  if (!available.includes(bench)) {
    console.error(`Unknown benchmark "${bench}". Available: ${available.join(', ')}`);
    process.exit(2);
  }
  const result = spawnSync('pnpm', ['exec', 'tsx', '--expose-gc', path.join(benchDir, `${bench}.ts`), ...rest], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
