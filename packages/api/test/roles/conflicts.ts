import { randomUUID } from 'node:crypto';
import type { RoleCases } from './cases.ts';

const cases: RoleCases = ({ db, integrationId, resourceId }) => {
  const conflict = () =>
    db.prisma.conflictResolution.create({
      data: {
        integrationId,
        resourceId,
        resourceType: 'TASK',
        internalId: randomUUID(),
        externalId: 'x-1',
        localData: { title: 'a' },
        externalData: { title: 'b' },
        conflictedFields: ['title'],
      },
    });
  return [
    { path: 'conflicts.list', minimum: 'VIEWER', call: (c) => c.conflicts.list({ integrationId }) },
    {
      path: 'conflicts.get',
      minimum: 'VIEWER',
      call: async (c) => c.conflicts.get({ id: (await conflict()).id }),
    },
    {
      path: 'conflicts.get',
      label: 'unknown id',
      minimum: 'VIEWER',
      call: (c) => c.conflicts.get({ id: randomUUID() }),
      allowedOutcome: 'NOT_FOUND',
    },
    {
      // Unknown ids are reported per id, not thrown: the call itself succeeds.
      path: 'conflicts.bulkResolve',
      minimum: 'STAFF',
      call: (c) => c.conflicts.bulkResolve({ ids: [randomUUID()], choice: 'external' }),
    },
  ];
};

export default cases;
