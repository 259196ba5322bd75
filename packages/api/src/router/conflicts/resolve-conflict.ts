import type { AdminChoice } from '@syncbridge/engine';
import { staffProcedure } from '../../trpc.ts';
import { resolveConflict } from '../../services/syncs.ts';
import { ZResolveConflictInput, ZResolveConflictOutput } from './resolve-conflict.types.ts';

export const resolveConflictRoute = staffProcedure
  .input(ZResolveConflictInput)
  .output(ZResolveConflictOutput)
  .mutation(({ ctx, input }) =>
    resolveConflict(ctx, { userId: ctx.user.id, ip: ctx.ip }, { ...input, choice: input.choice as AdminChoice }),
  );
