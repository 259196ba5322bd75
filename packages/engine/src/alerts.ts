import type { AlertSeverity, Prisma } from '@syncbridge/db';
import type { EngineContext } from './context.ts';
import { nowOf } from './context.ts';

export interface AlertInput {
  integrationId?: string | null;
  rule: string;
  severity: AlertSeverity;
  title: string;
  message: string;
  details?: Prisma.InputJsonValue;
  /** No second open alert of the same rule for the same integration within this time (default 15 min). */
  cooldownMs?: number;
}

/** Writes an alert unless an open one of the same rule was raised within the cooldown. */
export async function raiseAlert(ctx: EngineContext, input: AlertInput): Promise<boolean> {
  const cooldown = input.cooldownMs ?? 15 * 60_000;
  if (cooldown > 0) {
    const recent = await ctx.prisma.alert.findFirst({
      where: {
        integrationId: input.integrationId ?? null,
        rule: input.rule,
        status: 'OPEN',
        createdAt: { gte: new Date(nowOf(ctx).getTime() - cooldown) },
      },
      select: { id: true },
    });
    if (recent) return false;
  }
  await ctx.prisma.alert.create({
    data: {
      integrationId: input.integrationId ?? null,
      rule: input.rule,
      severity: input.severity,
      title: input.title.slice(0, 300),
      message: input.message.slice(0, 2000),
      details: input.details,
    },
  });
  ctx.logger.warn({ integrationId: input.integrationId, rule: input.rule }, input.title);
  return true;
}
