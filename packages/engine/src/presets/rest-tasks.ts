// Flow S5 with the generic REST API: the `tasks` table both ways with a REST collection.
import type { Prisma } from '@syncbridge/db';
import type { ResourceInput } from '../resources.ts';

export const restTaskMappings = [
  { local: 'title', external: 'title', required: true },
  { local: 'description', external: 'notes' },
  { local: 'status', external: 'status' },
  { local: 'completed', external: 'done', transform: { type: 'boolean' }, reverseTransform: { type: 'boolean' } },
  { local: 'due_date', external: 'due', transform: { type: 'date', format: 'datetime' }, reverseTransform: { type: 'date', format: 'datetime' } },
];

export function restTasksResource(integrationId: string, collection = 'tasks'): ResourceInput {
  return {
    integrationId,
    name: 'tasks',
    resourceType: 'TASK',
    localTable: 'tasks',
    localKeyColumn: 'id',
    externalObject: collection,
    externalKeyField: 'internal_id',
    direction: 'BIDIRECTIONAL',
    deletePolicy: 'DELETE',
    fieldMappings: restTaskMappings as Prisma.InputJsonValue,
    options: { updatedAtColumn: 'updated_at' },
  };
}
