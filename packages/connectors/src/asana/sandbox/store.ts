// In-memory Asana workspace with Asana's write rules and no HTTP: one workspace, its users, projects
// with custom fields (enum, multi_enum, text, number), and tasks. Gids are numeric strings from one
// counter; `modified_at` advances strictly on every accepted write, so a change is never hidden
// behind an earlier timestamp. A task's `external.gid` is unique among live tasks (it is what
// `/tasks/external:<gid>` resolves). Tests also use it to edit like a person in the Asana UI.
import type { Clock } from '../../sandbox-kit/clock.ts';
import { ASANA_MAX_EXTERNAL_GID } from '../limits.ts';
import { asanaErrors } from './errors.ts';

export interface StoredUser {
  gid: string;
  name: string;
  email: string;
}

export type CustomFieldType = 'enum' | 'multi_enum' | 'text' | 'number';

export interface StoredEnumOption {
  gid: string;
  name: string;
  enabled: boolean;
  color: string;
}

export interface StoredCustomField {
  gid: string;
  name: string;
  type: CustomFieldType;
  enum_options: StoredEnumOption[];
  precision?: number;
}

export interface StoredProject {
  gid: string;
  name: string;
  archived: boolean;
  customFieldGids: string[];
}

/** A custom field value as stored: option gid(s), text or number. */
export type CustomValue = string | string[] | number | null;

export interface StoredTask {
  gid: string;
  name: string;
  notes: string;
  completed: boolean;
  completed_at: number | null;
  due_on: string | null;
  due_at: number | null;
  start_on: string | null;
  assignee: string | null;
  projects: string[];
  custom: Record<string, CustomValue>;
  external: { gid: string | null; data: string | null } | null;
  created_at: number;
  modified_at: number;
  deleted: boolean;
}

export interface TaskChange {
  type: 'created' | 'changed' | 'deleted';
  task: StoredTask;
  /** Fields whose value changed (changes only), with custom fields as `custom_fields`. */
  fields: string[];
  /** Who made it (the token's user for API writes). */
  actor: string;
  at: number;
}

/** The writable task properties, as the API's `data` carries them. */
export interface TaskInput {
  name?: unknown;
  notes?: unknown;
  completed?: unknown;
  due_on?: unknown;
  due_at?: unknown;
  start_on?: unknown;
  assignee?: unknown;
  projects?: unknown;
  workspace?: unknown;
  custom_fields?: unknown;
  external?: unknown;
}

const WRITABLE = new Set([
  'name',
  'notes',
  'completed',
  'due_on',
  'due_at',
  'start_on',
  'assignee',
  'custom_fields',
  'external',
]);
const CREATE_ONLY = new Set(['projects', 'workspace']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isValidDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

export class AsanaStore {
  readonly workspace: { gid: string; name: string };
  private nextGid: number;
  private readonly clock: Clock;
  private lastStamp = 0;
  private readonly users = new Map<string, StoredUser>();
  private readonly projects = new Map<string, StoredProject>();
  private readonly fields = new Map<string, StoredCustomField>();
  private readonly tasks = new Map<string, StoredTask>();
  private readonly listeners: ((change: TaskChange) => void)[] = [];
  /** The user edits made directly on the store (not through the API) are attributed to. */
  readonly person: StoredUser;

  constructor(options: { clock: Clock; workspaceName?: string; firstGid?: number }) {
    this.clock = options.clock;
    this.nextGid = options.firstGid ?? 1_200_000_000_000_001;
    this.workspace = { gid: this.gid(), name: options.workspaceName ?? 'BritePool' };
    this.person = this.addUser({ name: 'Sandbox Person', email: 'person@asana.example' });
  }

  gid(): string {
    return String(this.nextGid++);
  }

  /** A strictly increasing write time (ms), never behind the clock. */
  private stamp(): number {
    this.lastStamp = Math.max(this.clock(), this.lastStamp + 1);
    return this.lastStamp;
  }

  onChange(listener: (change: TaskChange) => void): void {
    this.listeners.push(listener);
  }

  private emit(change: TaskChange): void {
    for (const listener of this.listeners) listener(change);
  }

  // ---- users -----------------------------------------------------------------------------

  addUser(input: { name: string; email: string; gid?: string }): StoredUser {
    const user = { gid: input.gid ?? this.gid(), name: input.name, email: input.email.toLowerCase() };
    this.users.set(user.gid, user);
    return user;
  }

  user(gid: string): StoredUser | undefined {
    return this.users.get(gid);
  }

  allUsers(): StoredUser[] {
    return [...this.users.values()].sort((a, b) => compareGids(a.gid, b.gid));
  }

  /** A user named by gid or email (Asana accepts either wherever a user is expected). */
  resolveUser(ref: string): StoredUser | undefined {
    const wanted = ref.trim().toLowerCase();
    return this.users.get(ref) ?? [...this.users.values()].find((user) => user.email === wanted);
  }

  // ---- projects and custom fields --------------------------------------------------------

  addCustomField(input: {
    name: string;
    type: CustomFieldType;
    options?: string[];
    precision?: number;
  }): StoredCustomField {
    const field: StoredCustomField = {
      gid: this.gid(),
      name: input.name,
      type: input.type,
      enum_options: (input.options ?? []).map((name) => ({ gid: this.gid(), name, enabled: true, color: 'none' })),
      ...(input.type === 'number' ? { precision: input.precision ?? 0 } : {}),
    };
    this.fields.set(field.gid, field);
    return field;
  }

  customField(gid: string): StoredCustomField | undefined {
    return this.fields.get(gid);
  }

  addProject(input: { name: string; customFields?: StoredCustomField[] }): StoredProject {
    const project: StoredProject = {
      gid: this.gid(),
      name: input.name,
      archived: false,
      customFieldGids: (input.customFields ?? []).map((field) => field.gid),
    };
    this.projects.set(project.gid, project);
    return project;
  }

  project(gid: string): StoredProject | undefined {
    return this.projects.get(gid);
  }

  allProjects(): StoredProject[] {
    return [...this.projects.values()].sort((a, b) => compareGids(a.gid, b.gid));
  }

  /** Custom fields a task can hold: those of its projects. */
  fieldsOf(projects: string[]): StoredCustomField[] {
    const gids = new Set(projects.flatMap((gid) => this.projects.get(gid)?.customFieldGids ?? []));
    return [...gids].map((gid) => this.fields.get(gid)).filter((field): field is StoredCustomField => Boolean(field));
  }

  // ---- tasks -----------------------------------------------------------------------------

  /** A live task by gid or by `external:<gid>`. */
  task(ref: string): StoredTask | undefined {
    if (ref.startsWith('external:')) {
      const external = ref.slice('external:'.length);
      return [...this.tasks.values()].find((task) => !task.deleted && task.external?.gid === external);
    }
    const task = this.tasks.get(ref);
    return task && !task.deleted ? task : undefined;
  }

  /** Live tasks in gid (creation) order. */
  live(): StoredTask[] {
    return [...this.tasks.values()].filter((task) => !task.deleted).sort((a, b) => compareGids(a.gid, b.gid));
  }

  create(input: TaskInput, actor = this.person.gid): StoredTask {
    for (const key of Object.keys(input)) {
      if (!WRITABLE.has(key) && !CREATE_ONLY.has(key)) throw asanaErrors.invalid(`${key}: Unknown property`);
    }
    const projects = this.projectsOf(input);
    const task: StoredTask = {
      gid: '',
      name: '',
      notes: '',
      completed: false,
      completed_at: null,
      due_on: null,
      due_at: null,
      start_on: null,
      assignee: null,
      projects,
      custom: {},
      external: null,
      created_at: 0,
      modified_at: 0,
      deleted: false,
    };
    const values = this.validate(task, input);
    const at = this.stamp();
    Object.assign(task, values, { gid: this.gid(), created_at: at, modified_at: at });
    if (task.completed) task.completed_at = at;
    this.tasks.set(task.gid, task);
    this.emit({ type: 'created', task, fields: [], actor, at });
    return task;
  }

  update(ref: string, input: TaskInput, actor = this.person.gid): StoredTask {
    const task = this.task(ref);
    if (!task) throw asanaErrors.unknownObject(ref);
    for (const key of Object.keys(input)) {
      if (CREATE_ONLY.has(key)) {
        throw asanaErrors.invalid(
          `${key}: Cannot write this property on an existing task; use addProject and removeProject`,
        );
      }
      if (!WRITABLE.has(key)) throw asanaErrors.invalid(`${key}: Unknown property`);
    }
    const values = this.validate(task, input);
    const changed: string[] = [];
    for (const [key, value] of Object.entries(values)) {
      const before = (task as unknown as Record<string, unknown>)[key];
      if (JSON.stringify(before) !== JSON.stringify(value)) changed.push(key === 'custom' ? 'custom_fields' : key);
    }
    const at = this.stamp();
    const wasCompleted = task.completed;
    Object.assign(task, values, { custom: { ...task.custom, ...(values.custom ?? {}) } });
    if (task.completed && !wasCompleted) task.completed_at = at;
    if (!task.completed) task.completed_at = null;
    // Asana moves modified_at on every accepted write, even one that changes nothing.
    task.modified_at = at;
    this.emit({ type: 'changed', task, fields: changed, actor, at });
    return task;
  }

  delete(ref: string, actor = this.person.gid): StoredTask {
    const task = this.task(ref);
    if (!task) throw asanaErrors.unknownObject(ref);
    const at = this.stamp();
    task.deleted = true;
    task.modified_at = at;
    this.emit({ type: 'deleted', task, fields: [], actor, at });
    return task;
  }

  private projectsOf(input: TaskInput): string[] {
    const projects = input.projects;
    if (projects !== undefined && !Array.isArray(projects)) throw asanaErrors.invalid('projects: Not an array');
    const gids = ((projects ?? []) as unknown[]).map(String);
    for (const gid of gids) if (!this.projects.has(gid)) throw asanaErrors.invalid(`projects: Unknown object: ${gid}`);
    if (gids.length === 0) {
      if (input.workspace === undefined) {
        throw asanaErrors.invalid('You should specify one of workspace, parent, projects');
      }
      if (String(input.workspace) !== this.workspace.gid) {
        throw asanaErrors.invalid(`workspace: Unknown object: ${String(input.workspace)}`);
      }
    }
    return [...new Set(gids)];
  }

  /** Checks writable values against Asana's rules; returns them in the stored shape. */
  private validate(task: StoredTask, input: TaskInput): Partial<StoredTask> {
    const out: Partial<StoredTask> = {};
    const problems: string[] = [];
    const text = (key: 'name' | 'notes') => {
      const value = input[key];
      if (value === undefined) return;
      if (value !== null && typeof value !== 'string') problems.push(`${key}: Not a string: ${JSON.stringify(value)}`);
      else out[key] = value ?? '';
    };
    text('name');
    text('notes');
    if (input.completed !== undefined) {
      if (typeof input.completed !== 'boolean')
        problems.push(`completed: Not a boolean: ${JSON.stringify(input.completed)}`);
      else out.completed = input.completed;
    }
    for (const key of ['due_on', 'start_on'] as const) {
      const value = input[key];
      if (value === undefined) continue;
      if (value === null) out[key] = null;
      else if (typeof value !== 'string' || !isValidDate(value))
        problems.push(`${key}: Invalid date value: ${String(value)}`);
      else out[key] = value;
    }
    const dueAtGiven = input.due_at !== undefined;
    if (input.due_on != null && input.due_at != null) problems.push('You may only provide one of due_on or due_at!');
    if (dueAtGiven) {
      const at = input.due_at === null ? null : Date.parse(String(input.due_at));
      if (at !== null && Number.isNaN(at)) problems.push(`due_at: Invalid date-time value: ${String(input.due_at)}`);
      else {
        out.due_at = at;
        // A time-of-day due date also sets the day; clearing it clears the due date.
        if (at !== null) out.due_on = new Date(at).toISOString().slice(0, 10);
        else if (input.due_on === undefined) out.due_on = null;
      }
    } else if (input.due_on !== undefined) {
      // A date-only due date replaces a time-of-day one.
      out.due_at = null;
    }
    if (input.assignee !== undefined) {
      if (input.assignee === null) out.assignee = null;
      else {
        const user = typeof input.assignee === 'string' ? this.resolveUser(input.assignee) : undefined;
        if (!user) problems.push(`assignee: Not a recognized ID: ${String(input.assignee)}`);
        else out.assignee = user.gid;
      }
    }
    if (input.external !== undefined) {
      const external = this.externalOf(task, input.external, problems);
      if (external !== undefined) out.external = external;
    }
    if (input.custom_fields !== undefined) {
      const custom = this.customValuesOf(task.projects, input.custom_fields, problems);
      if (custom) out.custom = custom;
    }
    if (problems.length > 0) throw asanaErrors.invalid(problems);
    return out;
  }

  private externalOf(task: StoredTask, raw: unknown, problems: string[]): StoredTask['external'] | undefined {
    if (raw === null) return null;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push('external: Not an object');
      return undefined;
    }
    const { gid, data, ...rest } = raw as { gid?: unknown; data?: unknown };
    if (Object.keys(rest).length > 0) problems.push(`external.${Object.keys(rest)[0]}: Unknown property`);
    if (gid !== undefined && gid !== null && (typeof gid !== 'string' || gid.length > ASANA_MAX_EXTERNAL_GID)) {
      problems.push(`external.gid: Must be a string of at most ${ASANA_MAX_EXTERNAL_GID} characters`);
      return undefined;
    }
    if (data !== undefined && data !== null && typeof data !== 'string') {
      problems.push('external.data: Not a string');
      return undefined;
    }
    if (typeof gid === 'string') {
      const holder = this.task(`external:${gid}`);
      if (holder && holder.gid !== task.gid) {
        problems.push(`external.gid: ${gid} is already used by another object`);
        return undefined;
      }
    }
    return {
      gid: gid === undefined ? (task.external?.gid ?? null) : (gid as string | null),
      data: data === undefined ? (task.external?.data ?? null) : (data as string | null),
    };
  }

  /** `{ <field gid>: <option gid | [option gids] | text | number | null> }` → stored values. */
  private customValuesOf(
    projects: string[],
    raw: unknown,
    problems: string[],
  ): Record<string, CustomValue> | undefined {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push('custom_fields: Not an object');
      return undefined;
    }
    const allowed = new Map(this.fieldsOf(projects).map((field) => [field.gid, field]));
    const values: Record<string, CustomValue> = {};
    for (const [gid, value] of Object.entries(raw as Record<string, unknown>)) {
      const field = allowed.get(gid);
      if (!field) {
        problems.push(`custom_fields: Custom field with ID ${gid} is not on given object`);
        continue;
      }
      if (value === null) {
        values[gid] = null;
        continue;
      }
      const option = (ref: unknown) => field.enum_options.find((o) => o.gid === String(ref) && o.enabled);
      switch (field.type) {
        case 'enum':
          if (!option(value))
            problems.push(`custom_fields: enum option ${String(value)} is not valid for ${field.name}`);
          else values[gid] = String(value);
          break;
        case 'multi_enum':
          if (!Array.isArray(value) || !value.every((ref) => option(ref))) {
            problems.push(`custom_fields: ${JSON.stringify(value)} are not valid enum options for ${field.name}`);
          } else values[gid] = value.map(String);
          break;
        case 'text':
          if (typeof value !== 'string') problems.push(`custom_fields: ${field.name} expects a string`);
          else values[gid] = value;
          break;
        case 'number':
          if (typeof value !== 'number' || !Number.isFinite(value))
            problems.push(`custom_fields: ${field.name} expects a number`);
          else values[gid] = value;
          break;
      }
    }
    return values;
  }
}

/** Numeric gids compare by length first, then text (they never have leading zeros). */
export function compareGids(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
