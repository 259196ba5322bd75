import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AsanaCustomFieldDefinition, AsanaTask } from './client.ts';
import { decodeAsanaCursor, encodeAsanaCursor } from './cursor.ts';
import { AsanaFieldError, toAsanaTaskData, toExternalRecord, toFieldDescriptors } from './mappers.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const task = fixture('task.json') as AsanaTask;
const fields = fixture('custom-fields.json') as AsanaCustomFieldDefinition[];

describe('Asana mappers', () => {
  it('flattens a task: assignee gid and email, custom fields by name as a person sees them, empty notes as null', () => {
    expect(toExternalRecord(task)).toEqual({
      id: '1204567890123456',
      updatedAt: '2025-12-18T14:30:00.000Z',
      fields: {
        name: 'Prepare the garden workday',
        notes: null,
        completed: true,
        completed_at: '2025-12-18T14:30:00.000Z',
        due_on: '2025-12-25',
        due_at: null,
        start_on: null,
        assignee: '1201111111111111',
        assignee_email: 'ada@example.com',
        custom_fields: {
          Status: 'Done',
          Priority: null,
          Labels: ['Outdoor', 'Volunteers'],
          'Syncbridge ID': 'task-42',
          Hours: 3.5,
        },
        external: { gid: 'syncbridge:1209999999999999:task-42', data: null },
        created_at: '2025-12-01T09:00:00.000Z',
        modified_at: '2025-12-18T14:30:00.000Z',
        permalink_url: 'https://app.asana.com/0/1209999999999999/1204567890123456',
      },
    });
  });

  it('writes custom fields by field and option name (or gid), skipping read-only fields', () => {
    expect(
      toAsanaTaskData(
        {
          name: 'n',
          notes: null,
          assignee_email: 'ada@example.com',
          completed_at: '2025-01-01T00:00:00Z',
          modified_at: 'x',
          custom_fields: {
            status: 'done',
            Labels: 'Outdoor; Volunteers',
            'Syncbridge ID': 42,
            '1202000000000005': '2.5',
          },
        },
        fields,
      ),
    ).toEqual({
      name: 'n',
      notes: '',
      assignee: 'ada@example.com',
      custom_fields: {
        '1202000000000001': '1202000000000011',
        '1202000000000003': ['1202000000000031', '1202000000000032'],
        '1202000000000004': '42',
        '1202000000000005': 2.5,
      },
    });
    // An explicit assignee wins over assignee_email; empty values clear.
    expect(toAsanaTaskData({ assignee: null, assignee_email: 'x@y', custom_fields: { Hours: '' } }, fields)).toEqual({
      assignee: null,
      custom_fields: { '1202000000000005': null },
    });
  });

  it('refuses what Asana would refuse, naming it', () => {
    expect(() => toAsanaTaskData({ custom_fields: { Status: 'Old' } }, fields)).toThrow(AsanaFieldError);
    expect(() => toAsanaTaskData({ custom_fields: { Status: 'Old' } }, fields)).toThrow(
      'custom field "Status" has no option "Old" (options: To do, Done)',
    );
    expect(() => toAsanaTaskData({ custom_fields: { Hours: 'many' } }, fields)).toThrow('needs a number');
    expect(() => toAsanaTaskData({ custom_fields: { Nope: 1 } }, fields)).toThrow('is not on this project');
    expect(() => toAsanaTaskData({ custom_fields: { Nope: 1 } }, null)).toThrow('is not on this project');
  });

  it('describes the fields for mapping suggestions', () => {
    const described = toFieldDescriptors(fields);
    expect(described).toContainEqual({ name: 'custom_fields.Status', type: 'enum', options: ['To do', 'Done'] });
    expect(described).toContainEqual({
      name: 'custom_fields.Labels',
      type: 'array',
      options: ['Outdoor', 'Volunteers'],
    });
    expect(described).toContainEqual({ name: 'custom_fields.Hours', type: 'number' });
    expect(described[0]).toEqual({ name: 'name', type: 'string', required: true });
  });
});

describe('Asana cursor', () => {
  it('round-trips the three shapes and refuses anything else', () => {
    for (const cursor of [
      { v: 1, mode: 'full', offset: 'abc', started: 1 },
      { v: 1, mode: 'changes', since: 2 },
      { v: 1, mode: 'changes', since: 2, offset: 'def', started: 3 },
    ] as const) {
      expect(decodeAsanaCursor(encodeAsanaCursor(cursor))).toEqual(cursor);
    }
    for (const text of ['', 'null', '{"v":1,"mode":"full","offset":"a"}', '{"v":2,"mode":"changes","since":1}']) {
      expect(() => decodeAsanaCursor(text)).toThrow('not an Asana cursor');
    }
  });
});
