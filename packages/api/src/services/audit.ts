// Audit trail: one AuditEvent per mutation (who, what, when, before/after). Secret-looking fields
// are removed before anything is stored, whatever the caller passed.
import type { Prisma, TransactionClient } from '@syncbridge/db';

/** Who did it: the signed-in user (null for CLIs and failed sign-ins) and their address. */
export interface Actor {
  userId: string | null;
  ip: string | null;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

type AuditWriter = Pick<TransactionClient, 'auditEvent'>;

const SECRET_KEY =
  /pass(word)?|secret|token|credential|api[-_]?key|private_?key|authorization|cookie|signature|hash|Enc$|KeyId$/i;

/**
 * A JSON copy of `value` without secret-looking keys, at any depth. With `mask`, such keys stay and
 * carry the mask instead of their value (sync log payloads shown to the admin: the key was sent).
 */
export function withoutSecrets(value: unknown, options: { mask?: string } = {}): unknown {
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, options));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (!SECRET_KEY.test(key)) out[key] = withoutSecrets(field, options);
      else if (options.mask !== undefined) out[key] = options.mask;
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function json(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return withoutSecrets(value) as Prisma.InputJsonValue;
}

export async function recordAudit(db: AuditWriter, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: actor.userId,
      ip: actor.ip,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      before: json(entry.before),
      after: json(entry.after),
    },
  });
}
