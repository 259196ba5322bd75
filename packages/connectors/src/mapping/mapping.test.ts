import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Fields } from '../contract.ts';
import { getPath, setPath } from './paths.ts';
import { mapToExternal, mapToLocal, parseFieldMappings, type MappingContext } from './mapping.ts';

const asanaTask = JSON.parse(readFileSync(new URL('./fixtures/asana-task.json', import.meta.url), 'utf8')) as Fields;

describe('paths', () => {
  it('reads and writes dot paths with array indexes', () => {
    expect(getPath(asanaTask, 'assignee.gid')).toBe('9001');
    expect(getPath(asanaTask, 'custom_fields[0].number_value')).toBe(2.5);
    expect(getPath(asanaTask, 'custom_fields[1].enum_value.name')).toBe('High');
    expect(getPath(asanaTask, 'custom_fields[5].number_value')).toBeUndefined();
    const out: Record<string, unknown> = {};
    setPath(out, 'data.custom_fields[1].value', 7);
    expect(out).toEqual({ data: { custom_fields: [undefined, { value: 7 }] } });
  });
});

describe('transforms, both ways', () => {
  const row = {
    title: 'Plan',
    hours: '2.50',
    done: 'yes',
    due: '2026-12-03T09:30:00.000Z',
    meta: '{"a":1}',
    status: 'in_progress',
    full_name: 'Ada King Lovelace',
    owner_id: 'local-7',
  };

  it('string, number, boolean, date, json, enum, constant and named functions', async () => {
    const mappings = parseFieldMappings([
      { local: 'title', external: 'name', transform: { type: 'string' } },
      { local: 'hours', external: 'estimate', transform: { type: 'number' } },
      { local: 'done', external: 'completed', transform: { type: 'boolean' } },
      { local: 'due', external: 'due_on', transform: { type: 'date', format: 'date' } },
      { local: 'due', external: 'due_at', transform: { type: 'date' } },
      { local: 'meta', external: 'meta', transform: { type: 'json' } },
      { local: 'status', external: 'state', transform: { type: 'enum', map: { in_progress: 'doing', done: 'done' }, fallback: 'todo' } },
      { external: 'source', transform: { type: 'constant', value: 'syncbridge' } },
      { local: 'full_name', external: 'person', transform: { type: 'function', name: 'splitName' } },
      { local: 'status', external: 'is_done', transform: { type: 'function', name: 'taskStatusToBool' } },
      { local: 'due', external: 'due_ms', transform: { type: 'function', name: 'dateToTimestamp' } },
    ]);
    expect(await mapToExternal(row, mappings)).toEqual({
      name: 'Plan',
      estimate: 2.5,
      completed: true,
      due_on: '2026-12-03',
      due_at: '2026-12-03T09:30:00.000Z',
      meta: { a: 1 },
      state: 'doing',
      source: 'syncbridge',
      person: { first: 'Ada', last: 'King Lovelace' },
      is_done: false,
      due_ms: Date.parse('2026-12-03T09:30:00.000Z'),
    });
    expect((await mapToExternal({ ...row, status: 'weird' }, mappings)).state).toBe('todo');
  });

  it('nested external paths, required fields and defaults', async () => {
    const mappings = parseFieldMappings([
      { local: 'title', external: 'data.name', required: true },
      { local: 'hours', external: 'data.custom_fields[0].value', transform: { type: 'number' } },
      { local: 'missing', external: 'data.notes', default: 'n/a' },
    ]);
    expect(await mapToExternal(row, mappings)).toEqual({ data: { name: 'Plan', custom_fields: [{ value: 2.5 }], notes: 'n/a' } });
    await expect(mapToExternal({ ...row, title: '' }, mappings)).rejects.toThrow(/required field "data.name"/);
  });

  it('pulls nested external values back into local columns', async () => {
    const mappings = parseFieldMappings([
      { local: 'title', external: 'name' },
      { local: 'assignee', external: 'assignee.gid' },
      { local: 'hours', external: 'custom_fields[0].number_value', reverseTransform: { type: 'number' } },
      { local: 'done', external: 'completed', reverseTransform: { type: 'boolean' } },
      { local: 'due', external: 'due_on', reverseTransform: { type: 'date', format: 'date' } },
      { local: 'absent', external: 'not_in_record' },
    ]);
    expect(await mapToLocal(asanaTask, mappings)).toEqual({
      title: 'Prepare volunteer briefing',
      assignee: '9001',
      hours: 2.5,
      done: false,
      due: '2026-12-03',
    });
  });

  it('evaluates JSONata over the whole record with $value bound, never JavaScript', async () => {
    const mappings = parseFieldMappings([
      { local: 'title', external: 'label', transform: { type: 'jsonata', expression: '$uppercase($value) & " (" & status & ")"' } },
      { external: 'tags', direction: 'push', transform: { type: 'jsonata', expression: '[title, status]' } },
    ]);
    expect(await mapToExternal(row, mappings)).toEqual({ label: 'PLAN (in_progress)', tags: ['Plan', 'in_progress'] });
    const pull = parseFieldMappings([{ local: 'tag_list', external: 'tags', reverseTransform: { type: 'jsonata', expression: '$join(tags.name, ", ")' } }]);
    expect(await mapToLocal(asanaTask, pull)).toEqual({ tag_list: 'briefing, volunteers' });
  });

  it('stops a runaway JSONata expression', async () => {
    const mappings = parseFieldMappings([
      { external: 'x', transform: { type: 'jsonata', expression: '($f := function($n){ $n = 0 ? 0 : $f($n - 1) }; $f(100000))' } },
    ]);
    await expect(mapToExternal(row, mappings)).rejects.toThrow(/deeper than|longer than|stack/i);
  });

  it('translates ids through another resource with a lookup, both ways', async () => {
    const context: MappingContext = {
      lookup: async (resource, id, direction) => {
        expect(resource).toBe('members');
        return direction === 'toExternal' ? (id === 'local-7' ? '9001' : null) : id === '9001' ? 'local-7' : null;
      },
    };
    const mappings = parseFieldMappings([{ local: 'owner_id', external: 'assignee.gid', transform: { type: 'lookup', resource: 'members' } }]);
    expect(await mapToExternal(row, mappings, context)).toEqual({ assignee: { gid: '9001' } });
    expect(await mapToLocal(asanaTask, mappings, context)).toEqual({ owner_id: 'local-7' });
    await expect(mapToExternal(row, mappings)).rejects.toThrow(/needs a mapping context/);
  });
});

describe('validation', () => {
  it('rejects bad mappings with a message naming the field', () => {
    expect(() => parseFieldMappings([{ local: 'a', external: 'ok' }, { local: 'b', external: 'bad', transform: { type: 'jsonata', expression: '$$$(' } }])).toThrow(
      /mapping "bad" \(transform.expression\): is not valid JSONata/,
    );
    expect(() => parseFieldMappings([{ local: 'a', external: 'x', transform: { type: 'function', name: 'process.exit' } }])).toThrow(
      /mapping "x" \(transform.name\): is not a registered function/,
    );
    expect(() => parseFieldMappings([{ local: 'a', external: 'items[x]' }])).toThrow(/mapping "items\[x\]" \(external\): must be a dot path/);
    expect(() => parseFieldMappings([{ external: 'orphan' }])).toThrow(/mapping "orphan" \(local\): needs a local field, a constant or an expression/);
    expect(() => parseFieldMappings([{ local: 'a', external: 'y', transform: { type: 'eval', code: 'x' } }])).toThrow(/mapping "y"/);
    expect(() => parseFieldMappings('nope')).toThrow(/mappings/);
  });
});
