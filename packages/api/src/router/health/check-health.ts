import { pingDatabase } from '@syncbridge/db';
import { publicProcedure } from '../../trpc.ts';
import { ZCheckHealthOutput } from './check-health.types.ts';

export const checkHealthRoute = publicProcedure.output(ZCheckHealthOutput).query(async ({ ctx }) => {
  const database = await pingDatabase(ctx.pool);
  return { status: database ? 'ok' : 'unavailable', database, timestamp: new Date() } as const;
});
