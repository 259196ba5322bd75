import type { RoleCases } from './cases.ts';

const cases: RoleCases = ({ db, integrationId }) => [
  { path: 'alerts.list', minimum: 'VIEWER', call: (c) => c.alerts.list({ integrationId }) },
  {
    path: 'alerts.acknowledge',
    minimum: 'STAFF',
    call: async (c) => {
      const alert = await db.prisma.alert.create({
        data: { integrationId, rule: 'SYNC_LAG', severity: 'WARNING', title: 'Late', message: 'No sync for 3 h' },
      });
      return c.alerts.acknowledge({ id: alert.id });
    },
  },
  { path: 'alerts.health', minimum: 'VIEWER', call: (c) => c.alerts.health({ integrationId }) },
  { path: 'alerts.healthHistory', minimum: 'VIEWER', call: (c) => c.alerts.healthHistory({ integrationId, hours: 6 }) },
];

export default cases;
