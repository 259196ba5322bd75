// Lookup transforms translate ids through a sibling resource's mappings: a task's assignee (a
// local member id) goes out as the member's external id, and comes back as the local id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@syncbridge/db/testing';
import { drainOutbox } from '../src/push.ts';
import { pullResource } from '../src/pull.ts';
import { saveResource } from '../src/resources.ts';
import { externalByKey, restWorld, type RestWorld } from './rest-harness.ts';

const db = useTestDatabase();
let world: RestWorld;
let membersId: string;

beforeAll(async () => {
  world = await restWorld(db);
  membersId = (
    await saveResource(world.ctx, {
      integrationId: world.integrationId,
      name: 'members',
      resourceType: 'MEMBER',
      localTable: 'members',
      localKeyColumn: 'id',
      externalObject: 'people',
      externalKeyField: 'internal_id',
      direction: 'BIDIRECTIONAL',
      fieldMappings: [{ local: 'first_name', external: 'name' }, { local: 'email', external: 'email' }],
    })
  ).id;
  await db.prisma.syncResource.update({
    where: { id: world.resourceId },
    data: {
      fieldMappings: [
        { local: 'title', external: 'title' },
        { local: 'assignee_id', external: 'assignee', transform: { type: 'lookup', resource: 'members' } },
      ],
    },
  });
});
afterAll(async () => {
  await world?.close();
});

describe('lookup transform', () => {
  it('sends the assignee as the member external id and reads it back as the local id', async () => {
    const ada = await db.prisma.members.create({ data: { first_name: 'Ada', email: 'ada@lookup.test' } });
    await drainOutbox(world.ctx, membersId);
    const adaExternal = externalByKey(world.sandbox, 'people').get(ada.id)!.id;

    const task = await db.prisma.tasks.create({ data: { title: 'Briefing', assignee_id: ada.id } });
    await drainOutbox(world.ctx, world.resourceId);
    const external = externalByKey(world.sandbox).get(task.id)!;
    expect(external.fields.assignee).toBe(adaExternal);

    const grace = await db.prisma.members.create({ data: { first_name: 'Grace', email: 'grace@lookup.test' } });
    await drainOutbox(world.ctx, membersId);
    const graceExternal = externalByKey(world.sandbox, 'people').get(grace.id)!.id;
    world.sandbox.store.update('tasks', external.id, { fields: { assignee: graceExternal } });
    await pullResource(world.ctx, world.resourceId);
    expect((await db.prisma.tasks.findUniqueOrThrow({ where: { id: task.id } })).assignee_id).toBe(grace.id);
  });
});
