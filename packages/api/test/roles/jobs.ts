import { randomUUID } from 'node:crypto';
import type { RoleCases } from './cases.ts';

const cases: RoleCases = ({ db, integrationId }) => {
  // A resource of its own: retries and confirmations here must not touch the shared fixture resource.
  let resourceId: Promise<string> | undefined;
  const ownResource = () =>
    (resourceId ??= db.prisma.syncResource
      .create({
        data: {
          integrationId,
          name: `jobs-roles-${randomUUID()}`,
          resourceType: 'TASK',
          localTable: 'tasks',
          localKeyColumn: 'id',
          externalObject: 'sheet-jobs',
        },
      })
      .then((r) => r.id));
  const run = async (data: { status: 'RUNNING' | 'COMPLETED' | 'PENDING_CONFIRMATION'; errorDetails?: object }) =>
    db.prisma.jobExecution.create({
      data: {
        integrationId,
        resourceId: await ownResource(),
        jobType: 'MANUAL_SYNC',
        direction: 'PUSH',
        startedAt: new Date(),
        ...data,
      },
    });
  return [
    { path: 'jobs.list', minimum: 'VIEWER', call: async (c) => c.jobs.list({ resourceId: await ownResource() }) },
    {
      path: 'jobs.get',
      minimum: 'VIEWER',
      call: async (c) => c.jobs.get({ id: (await run({ status: 'COMPLETED' })).id }),
    },
    { path: 'jobs.pendingMassDeletes', minimum: 'VIEWER', call: (c) => c.jobs.pendingMassDeletes() },
    {
      path: 'jobs.cancel',
      minimum: 'STAFF',
      call: async (c) => c.jobs.cancel({ id: (await run({ status: 'RUNNING' })).id }),
    },
    {
      path: 'jobs.cancel',
      label: 'finished run',
      minimum: 'STAFF',
      call: async (c) => c.jobs.cancel({ id: (await run({ status: 'COMPLETED' })).id }),
      allowedOutcome: 'CONFLICT',
    },
    {
      path: 'jobs.retryItem',
      minimum: 'STAFF',
      call: async (c) => {
        const mapping = await db.prisma.integrationMapping.create({
          data: {
            integrationId,
            resourceId: await ownResource(),
            internalId: randomUUID(),
            externalId: null,
            status: 'FAILED',
            attempts: 5,
          },
        });
        return c.jobs.retryItem({ mappingId: mapping.id });
      },
    },
    {
      path: 'jobs.retryRun',
      minimum: 'STAFF',
      call: async (c) => c.jobs.retryRun({ jobId: (await run({ status: 'COMPLETED' })).id }),
    },
    {
      // ADMIN: confirming deletes many local records at once (see confirm-mass-delete.ts).
      path: 'jobs.confirmMassDelete',
      minimum: 'ADMIN',
      call: async (c) => {
        const resource = await ownResource();
        await run({ status: 'PENDING_CONFIRMATION', errorDetails: { resourceId: resource, pendingDeletes: ['x'] } });
        return c.jobs.confirmMassDelete({ resourceId: resource, confirm: false });
      },
    },
  ];
};

export default cases;
