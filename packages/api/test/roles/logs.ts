import { randomUUID } from 'node:crypto';
import type { RoleCases } from './cases.ts';

const cases: RoleCases = ({ db, integrationId }) => [
  { path: 'logs.list', minimum: 'VIEWER', call: (c) => c.logs.list({ integrationId, status: ['FAILED'] }) },
  {
    path: 'logs.get',
    minimum: 'VIEWER',
    call: async (c) => {
      const log = await db.prisma.syncLog.create({
        data: { integrationId, operation: 'UPDATE', direction: 'PUSH', resourceType: 'TASK', status: 'FAILED' },
      });
      return c.logs.get({ id: log.id });
    },
  },
  {
    path: 'logs.get',
    label: 'unknown id',
    minimum: 'VIEWER',
    call: (c) => c.logs.get({ id: randomUUID() }),
    allowedOutcome: 'NOT_FOUND',
  },
];

export default cases;
