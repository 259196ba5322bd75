import { adminProcedure } from '../../trpc.ts';
import { rotateWebhookSecret } from '../../services/integrations.ts';
import { ZRotateWebhookSecretInput, ZRotateWebhookSecretOutput } from './rotate-webhook-secret.types.ts';

export const rotateWebhookSecretRoute = adminProcedure
  .input(ZRotateWebhookSecretInput)
  .output(ZRotateWebhookSecretOutput)
  .mutation(({ ctx, input }) => rotateWebhookSecret(ctx, ctx.keyRing, { userId: ctx.user.id, ip: ctx.ip }, input.id));
