import { describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/seed.ts';
import { useTestDatabase } from '../src/testing/index.ts';

const db = useTestDatabase();

describe('seedDemoData', () => {
  it('seeds every demo flow once, and never again', async () => {
    const first = await seedDemoData(db.prisma);
    expect(first).toEqual({ seeded: true, integrations: 6 });
    const counts = {
      profiles: await db.prisma.profiles.count(),
      privateProfiles: await db.prisma.profiles.count({ where: { profile_visibility: 'private' } }),
      interactions: await db.prisma.interaction.count(),
      tasks: await db.prisma.tasks.count(),
    };
    expect(counts.profiles).toBe(40);
    expect(counts.privateProfiles).toBe(10);
    expect(counts.interactions).toBe(20);
    expect(counts.tasks).toBe(20);

    const again = await Promise.all([seedDemoData(db.prisma), seedDemoData(db.prisma)]);
    expect(again.map((r) => r.seeded)).toEqual([false, false]);
    expect(await db.prisma.integration.count()).toBe(6);
    expect(await db.prisma.profiles.count()).toBe(40);
  });
});
