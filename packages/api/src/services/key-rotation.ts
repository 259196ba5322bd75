// Re-encrypts every stored secret (integration credentials and webhook secrets) that is not under
// the key ring's primary key yet. Run after adding a new primary to ENCRYPTION_KEYS; once it
// reports nothing left, the old key can be removed. Idempotent and safe to re-run.
import type { Database } from '@syncbridge/db';
import type { KeyRing } from '@syncbridge/engine';
import { recordAudit } from './audit.ts';

type Db = Pick<Database, 'prisma'>;

export interface RotationResult {
  primaryKeyId: string;
  credentials: number;
  webhookSecrets: number;
}

export async function reencryptSecrets(db: Db, keyRing: KeyRing): Promise<RotationResult> {
  const primary = keyRing.primaryId;
  const result: RotationResult = { primaryKeyId: primary, credentials: 0, webhookSecrets: 0 };
  const stale = await db.prisma.integration.findMany({
    where: {
      OR: [
        { credentialsEnc: { not: null }, OR: [{ credentialsKeyId: null }, { credentialsKeyId: { not: primary } }] },
        {
          webhookSecretEnc: { not: null },
          OR: [{ webhookSecretKeyId: null }, { webhookSecretKeyId: { not: primary } }],
        },
      ],
    },
    select: {
      id: true,
      credentialsEnc: true,
      credentialsKeyId: true,
      webhookSecretEnc: true,
      webhookSecretKeyId: true,
    },
  });
  for (const row of stale) {
    if (row.credentialsEnc && row.credentialsKeyId !== primary) {
      const sealed = keyRing.encrypt(keyRing.decrypt(row.credentialsKeyId ?? '', row.credentialsEnc));
      // Conditional on the old ciphertext: credentials replaced meanwhile are left as they are.
      const { count } = await db.prisma.integration.updateMany({
        where: { id: row.id, credentialsEnc: row.credentialsEnc },
        data: { credentialsEnc: sealed.ciphertext, credentialsKeyId: sealed.keyId },
      });
      result.credentials += count;
    }
    if (row.webhookSecretEnc && row.webhookSecretKeyId !== primary) {
      const sealed = keyRing.encrypt(keyRing.decrypt(row.webhookSecretKeyId ?? '', row.webhookSecretEnc));
      const { count } = await db.prisma.integration.updateMany({
        where: { id: row.id, webhookSecretEnc: row.webhookSecretEnc },
        data: { webhookSecretEnc: sealed.ciphertext, webhookSecretKeyId: sealed.keyId },
      });
      result.webhookSecrets += count;
    }
  }
  await recordAudit(
    db.prisma,
    { userId: null, ip: null },
    {
      action: 'keys.reencrypt',
      entityType: 'integration',
      // Counts only, under names the audit filter keeps.
      after: { primary, reencrypted: result.credentials + result.webhookSecrets },
    },
  );
  return result;
}
