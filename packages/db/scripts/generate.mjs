// Generates the Prisma client offline. The CLI only needs the schema engine *binary* for
// migrate commands (we use the WebAssembly engine for those), but it tries to download it at
// start unless PRISMA_SCHEMA_ENGINE_BINARY names a path — any existing file will do for `generate`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? path.join(pkgDir, 'scripts', 'schema-engine-unavailable.sh'),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const result = spawnSync(path.join(pkgDir, 'node_modules', '.bin', 'prisma'), ['generate', '--schema', 'prisma/schema.prisma', '--no-hints'], {
  cwd: pkgDir,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
