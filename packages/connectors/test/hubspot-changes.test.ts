// listChanges against the sandbox: full reads through list paging, incremental reads through search,
// nothing lost across pages while records change during a read, resumable cursors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangePage, ExternalRecord } from '../src/contract.ts';
import { collect } from './helpers.ts';
import { CONTACTS, startHubSpot, type HubSpotHarness } from '../src/hubspot/testing.ts';

let h: HubSpotHarness;

beforeEach(async () => {
  h = await startHubSpot({}, { cursorSafetyMarginMs: 0 });
});
afterEach(() => h.close());

const seed = (count: number, prefix = 'c') =>
  Array.from({ length: count }, (_, i) =>
    h.sandbox.objects.contacts.create({ email: `${prefix}${i}@example.com`, firstname: `${prefix}${i}` }),
  );
const ids = (pages: ChangePage[]) => pages.flatMap((page) => page.records.map((record) => record.id));

describe('HubSpot listChanges', () => {
  it('reads everything through list paging, 100 a page, fullReadComplete on the last page only', async () => {
    const made = seed(250);
    const pages = await collect(h.connector.listChanges(CONTACTS, null));
    expect(pages.map((page) => page.records.length)).toEqual([100, 100, 50]);
    expect(pages.map((page) => page.fullReadComplete ?? false)).toEqual([false, false, true]);
    expect(ids(pages)).toEqual(made.map((contact) => contact.id));
    const record = pages[0]!.records[0] as ExternalRecord;
    expect(record).toMatchObject({
      id: made[0]!.id,
      fields: { email: 'c0@example.com', firstname: 'c0', syncbridge_id: null },
    });
    expect(record.updatedAt).toBe(new Date(made[0]!.updatedAt).toISOString());
    expect(h.sandbox.counters.count('GET /crm/v3/objects/:objectType')).toBe(3);
  });

  it('reads only what changed after a full read, through search on lastmodifieddate', async () => {
    const made = seed(5);
    const full = await collect(h.connector.listChanges(CONTACTS, null));
    const cursor = full.at(-1)!.nextCursor;
    h.sandbox.objects.contacts.update(made[3]!.id, { firstname: 'changed' });
    const fresh = h.sandbox.objects.contacts.create({ email: 'new@example.com' });
    const pages = await collect(h.connector.listChanges(CONTACTS, cursor));
    // The next read starts where the full read started, so records stamped during that read come
    // again (the sandbox stamps strictly increasing times, which can run ahead of the clock).
    expect(ids(pages).slice(-2)).toEqual([made[3]!.id, fresh.id]);
    expect(pages.flatMap((page) => page.records).find((record) => record.id === made[3]!.id)?.fields.firstname).toBe(
      'changed',
    );
    expect(pages.every((page) => !page.fullReadComplete)).toBe(true);
    expect(h.sandbox.counters.count('POST /crm/v3/objects/:objectType/search')).toBe(1);
    // Nothing changed since: an empty page with the same high-water mark.
    const again = await collect(h.connector.listChanges(CONTACTS, pages.at(-1)!.nextCursor));
    // GTE the last change seen: the newest record comes again, nothing else.
    expect(ids(again)).toEqual([fresh.id]);
    expect(again.at(-1)!.nextCursor).toBe(pages.at(-1)!.nextCursor);
  });

  it('loses nothing when records change between the pages of an incremental read', async () => {
    const made = seed(10);
    const since = JSON.stringify({ v: 1, mode: 'changes', since: made[0]!.updatedAt - 1 });
    for (const contact of made) h.sandbox.objects.contacts.update(contact.id, { lastname: 'v1' });
    const seen = new Map<string, string | null>();
    let pageCount = 0;
    const quickPages = h.connect({ cursorSafetyMarginMs: 0 });
    const more = seed(240, 'm');
    for (const contact of more) h.sandbox.objects.contacts.update(contact.id, { lastname: 'v1' });
    for await (const page of quickPages.listChanges(CONTACTS, since)) {
      pageCount += 1;
      for (const record of page.records) seen.set(record.id, record.fields.lastname as string | null);
      if (pageCount === 1) {
        // A record on the page just read and one further on change while the read runs.
        h.sandbox.objects.contacts.update(made[1]!.id, { lastname: 'v2' });
        h.sandbox.objects.contacts.update(more[200]!.id, { lastname: 'v2' });
      }
    }
    expect(pageCount).toBeGreaterThanOrEqual(3);
    expect(seen.size).toBe(250);
    expect(seen.get(made[1]!.id)).toBe('v2');
    expect(seen.get(more[200]!.id)).toBe('v2');
  });

  it('resumes a full read from any page’s cursor without repeating or skipping', async () => {
    const made = seed(230);
    const iterator = h.connector.listChanges(CONTACTS, null)[Symbol.asyncIterator]();
    const first = (await iterator.next()).value as ChangePage;
    await iterator.return?.();
    const rest = await collect(h.connector.listChanges(CONTACTS, first.nextCursor));
    expect([...first.records.map((record) => record.id), ...ids(rest)]).toEqual(made.map((contact) => contact.id));
    // A resumed read did not see every record itself.
    expect(rest.some((page) => page.fullReadComplete)).toBe(false);
  });

  it('re-reads the safety margin before the cursor and does a full read when asked', async () => {
    const made = seed(3);
    const margin = h.connect({ cursorSafetyMarginMs: 60_000 });
    const cursor = JSON.stringify({ v: 1, mode: 'changes', since: made[2]!.updatedAt });
    expect(ids(await collect(margin.listChanges(CONTACTS, cursor)))).toEqual(made.map((contact) => contact.id));
    const full = await collect(margin.listChanges(CONTACTS, cursor, { full: true }));
    expect(full.at(-1)!.fullReadComplete).toBe(true);
    await expect(collect(margin.listChanges(CONTACTS, 'garbage'))).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('stops when the caller aborts', async () => {
    seed(150);
    const controller = new AbortController();
    const pages: ChangePage[] = [];
    const reading = (async () => {
      for await (const page of h.connector.listChanges(CONTACTS, null, { signal: controller.signal })) {
        pages.push(page);
        controller.abort();
      }
    })();
    await expect(reading).rejects.toThrow();
    expect(pages).toHaveLength(1);
  });
});
