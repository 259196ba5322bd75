import { randomUUID } from 'node:crypto';
import type { RoleCases } from './cases.ts';

const cases: RoleCases = ({ db, integrationId, resourceId }) => [
  { path: 'integrations.list', minimum: 'VIEWER', call: (c) => c.integrations.list() },
  { path: 'integrations.get', minimum: 'VIEWER', call: (c) => c.integrations.get({ id: integrationId }) },
  { path: 'syncs.trigger', minimum: 'STAFF', call: (c) => c.syncs.trigger({ integrationId }) },
  {
    path: 'syncs.trigger',
    label: 'resource',
    minimum: 'STAFF',
    call: (c) => c.syncs.trigger({ resourceId, direction: 'pull' }),
  },
  { path: 'syncs.retryFailed', minimum: 'STAFF', call: (c) => c.syncs.retryFailed({ resourceId }) },
  {
    path: 'conflicts.resolve',
    minimum: 'STAFF',
    call: (c) => c.conflicts.resolve({ conflictId: randomUUID(), choice: { choice: 'local' } }),
    allowedOutcome: 'NOT_FOUND',
  },
  {
    path: 'integrations.create',
    minimum: 'ADMIN',
    call: (c) =>
      c.integrations.create({ name: `New ${randomUUID()}`, type: 'GENERIC_REST', credentials: { token: 't' } }),
  },
  {
    path: 'integrations.update',
    minimum: 'ADMIN',
    call: (c) => c.integrations.update({ id: integrationId, frequency: 'HOURLY', status: 'PAUSED' }),
  },
  {
    path: 'integrations.delete',
    minimum: 'ADMIN',
    call: async (c) => {
      const doomed = await db.prisma.integration.create({ data: { name: 'Doomed', type: 'ASANA' } });
      return c.integrations.delete({ id: doomed.id });
    },
  },
  {
    path: 'users.create',
    minimum: 'ADMIN',
    call: (c) =>
      c.users.create({ email: `${randomUUID()}@example.com`, role: 'VIEWER', password: 'a long enough password' }),
  },
  { path: 'users.list', minimum: 'ADMIN', call: (c) => c.users.list() },
];

export default cases;
