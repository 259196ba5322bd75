import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../src/testing/index.ts';

// isolation-a and isolation-b write the same primary key. Sharing a database they would collide
// (unique violation) or see each other's row; each owning a clone, both pass in any order.
const sharedId = '00000000-0000-4000-8000-0000000000ab';
const db = useTestDatabase();

describe('test database isolation (a)', () => {
  it('writes a row with an id the other file also uses, and sees only its own', async () => {
    await db.prisma.contacts.create({ data: { id: sharedId, email: 'file-a@example.test', first_name: 'a' } });
    const rows = await db.prisma.contacts.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.first_name).toBe('a');
    expect(db.name).toMatch(/^sb_test_[0-9a-f]{12}$/);
  });
});
