// pnpm --filter @syncbridge/api keys:rotate
// Re-encrypts every stored credential and webhook secret under the primary key. Rotation:
//   1. generate a key (node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"),
//   2. ENCRYPTION_KEYS="new:…,old:…" (or ENCRYPTION_PRIMARY_KEY_ID=new) everywhere, restart,
//   3. run this command, 4. drop "old" from ENCRYPTION_KEYS.
// Needs DATABASE_URL and ENCRYPTION_KEYS; prints counts only.
import { createDatabase } from '@syncbridge/db';
import { AppError, parseKeyRing } from '@syncbridge/engine';
import { reencryptSecrets } from '../services/key-rotation.ts';

async function main() {
  const url = process.env.DATABASE_URL;
  const keys = process.env.ENCRYPTION_KEYS;
  if (!url || !keys) {
    console.error(
      'Set DATABASE_URL and ENCRYPTION_KEYS (and ENCRYPTION_PRIMARY_KEY_ID unless the new key is listed first).',
    );
    process.exit(2);
  }
  const db = createDatabase({ connectionString: url, applicationName: 'syncbridge-keys-rotate' });
  try {
    const keyRing = parseKeyRing(keys, process.env.ENCRYPTION_PRIMARY_KEY_ID || undefined);
    const result = await reencryptSecrets(db, keyRing);
    console.log(
      `Primary key "${result.primaryKeyId}": re-encrypted ${result.credentials} credential set(s) and ${result.webhookSecrets} webhook secret(s).`,
    );
  } catch (error) {
    if (error instanceof AppError) {
      console.error(error.message);
      process.exitCode = 1;
    } else throw error;
  } finally {
    await db.close();
  }
}

await main();
