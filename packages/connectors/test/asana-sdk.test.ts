// The official `asana` SDK (v3) against the sandbox over real HTTP: the sandbox speaks the API the
// SDK was generated from (envelopes, offset pagination, opt_fields, external ids, error bodies), and
// two SDK clients with their own tokens and base paths do not share state.
import * as asana from 'asana';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASANA_API_PATH, createAsanaSandbox } from '../src/asana/sandbox/index.ts';
import { ASANA_TOKEN, startAsana, type AsanaHarness } from '../src/asana/testing.ts';

let h: AsanaHarness;

beforeAll(async () => {
  h = await startAsana();
});
afterAll(() => h.close());

/** An SDK client of its own (never ApiClient.instance), as the connector builds it. */
function sdk(basePath: string, token: string, returnCollection = false) {
  const client = new asana.ApiClient();
  client.basePath = basePath;
  client.RETURN_COLLECTION = returnCollection;
  (client.authentications as Record<string, { accessToken?: string }>).token!.accessToken = token;
  return { client, tasks: new asana.TasksApi(client), users: new asana.UsersApi(client) };
}

const sdkError = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('expected an error'),
    (error: { status: number; response: { body: unknown; headers: Record<string, string> } }) => error,
  );

describe('asana SDK against the sandbox', () => {
  it('creates, reads (in full, by opt_fields, by external id), updates and deletes a task', async () => {
    const { tasks } = sdk(h.basePath, ASANA_TOKEN);
    const created = await tasks.createTaskWithHttpInfo(
      {
        data: {
          name: 'Write docs',
          notes: 'All of them',
          projects: [h.project.gid],
          external: { gid: 'ext-1', data: '{"v":1}' },
        },
      },
      {},
    );
    expect(created.response.status).toBe(201);
    const task = (created.data as { data: Record<string, unknown> }).data;
    expect(task).toMatchObject({
      resource_type: 'task',
      name: 'Write docs',
      notes: 'All of them',
      completed: false,
      projects: [{ gid: h.project.gid, name: 'Syncbridge tasks' }],
      external: { gid: 'ext-1', data: '{"v":1}' },
      assignee: null,
    });
    expect((task.custom_fields as { name: string }[]).map((field) => field.name)).toEqual([
      'Status',
      'Priority',
      'Syncbridge ID',
    ]);
    const gid = String(task.gid);

    const selected = await tasks.getTaskWithHttpInfo(gid, {
      opt_fields: 'name,assignee.email,custom_fields.enum_value.name',
    });
    expect((selected.data as { data: unknown }).data).toEqual({
      gid,
      name: 'Write docs',
      assignee: null,
      custom_fields: [
        { gid: expect.any(String), enum_value: null },
        { gid: expect.any(String), enum_value: null },
        { gid: expect.any(String) },
      ],
    });
    const byExternal = await tasks.getTaskWithHttpInfo('external:ext-1', { opt_fields: 'name' });
    expect((byExternal.data as { data: unknown }).data).toEqual({ gid, name: 'Write docs' });

    const me = h.sandbox.userOfToken(ASANA_TOKEN)!;
    const status = h.sandbox.store.fieldsOf([h.project.gid])[0]!;
    const updated = await tasks.updateTaskWithHttpInfo(
      {
        data: {
          completed: true,
          due_on: '2025-12-25',
          assignee: me.email,
          custom_fields: { [status.gid]: status.enum_options[2]!.gid },
        },
      },
      gid,
      { opt_fields: 'completed,completed_at,due_on,assignee,custom_fields.display_value' },
    );
    expect((updated.data as { data: unknown }).data).toMatchObject({
      completed: true,
      completed_at: expect.any(String),
      due_on: '2025-12-25',
      assignee: { gid: me.gid, resource_type: 'user', name: me.name },
      custom_fields: [{ display_value: 'Done' }, { display_value: null }, { display_value: null }],
    });

    const deleted = await tasks.deleteTaskWithHttpInfo(gid);
    expect(deleted.data).toEqual({ data: {} });
    const gone = await sdkError(tasks.getTaskWithHttpInfo(gid, {}));
    expect(gone.status).toBe(404);
    expect(gone.response.body).toEqual({
      errors: [
        { message: `Unknown object: ${gid}`, help: expect.stringContaining('developers.asana.com/docs/errors') },
      ],
    });
  });

  it('pages GET /tasks with offset tokens and next_page { offset, path, uri }, and the SDK Collection follows them', async () => {
    const sandbox = createAsanaSandbox({ accessToken: 't' });
    const project = sandbox.store.addProject({ name: 'Paging' });
    const server = await sandbox.start();
    try {
      for (let i = 0; i < 5; i++) sandbox.store.create({ name: `T${i}`, projects: [project.gid] });
      const { tasks } = sdk(`${server.url}${ASANA_API_PATH}`, 't');
      const first = (await tasks.getTasksWithHttpInfo({ project: project.gid, limit: 2 })) as {
        data: { data: { name: string }[]; next_page: { offset: string; path: string; uri: string } };
      };
      expect(first.data.data.map((task) => task.name)).toEqual(['T0', 'T1']);
      expect(first.data.next_page.path).toContain('/tasks?');
      expect(first.data.next_page.uri.startsWith(`${server.url}${ASANA_API_PATH}/tasks?`)).toBe(true);
      // A task deleted between pages does not shift the next one.
      sandbox.store.delete(sandbox.store.live()[2]!.gid);
      const second = (await tasks.getTasksWithHttpInfo({
        project: project.gid,
        limit: 2,
        offset: first.data.next_page.offset,
      })) as {
        data: { data: { name: string }[]; next_page: unknown };
      };
      expect(second.data.data.map((task) => task.name)).toEqual(['T3', 'T4']);
      expect(second.data.next_page).toBeNull();
      // A token only works for the query it came from.
      const wrong = await sdkError(
        tasks.getTasksWithHttpInfo({
          project: project.gid,
          limit: 2,
          offset: first.data.next_page.offset,
          completed_since: 'now',
        }),
      );
      expect(wrong.status).toBe(400);

      // The SDK's own Collection paging (RETURN_COLLECTION, its default) reads the same pages.
      const collected = sdk(`${server.url}${ASANA_API_PATH}`, 't', true);
      const names: string[] = [];
      let page = (await collected.tasks.getTasks({ project: project.gid, limit: 2, opt_fields: 'name' })) as {
        data: { name: string }[] | null;
        nextPage?: () => Promise<unknown>;
      };
      while (page.data) {
        names.push(...page.data.map((task) => task.name));
        page = (await page.nextPage!()) as typeof page;
      }
      expect(names).toEqual(['T0', 'T1', 'T3', 'T4']);
      // The same tasks under the project, and the workspace's projects and users.
      const { client } = collected;
      client.RETURN_COLLECTION = false;
      const projects = new asana.ProjectsApi(client);
      const underProject = (await tasks.getTasksForProjectWithHttpInfo(project.gid, {
        limit: 3,
        opt_fields: 'name',
      })) as {
        data: { data: { name: string }[]; next_page: { offset: string } | null };
      };
      expect(underProject.data.data.map((task) => task.name)).toEqual(['T0', 'T1', 'T3']);
      expect(underProject.data.next_page?.offset).toEqual(expect.any(String));
      const workspace = sandbox.store.workspace.gid;
      const listed = (await projects.getProjectsWithHttpInfo({ workspace, opt_fields: 'name,archived' })) as {
        data: { data: unknown[] };
      };
      expect(listed.data.data).toEqual([{ gid: project.gid, name: 'Paging', archived: false }]);
      const users = (await new asana.UsersApi(client).getUsersWithHttpInfo({ workspace, opt_fields: 'email' })) as {
        data: { data: { email: string }[] };
      };
      expect(users.data.data.map((user) => user.email).sort()).toEqual([
        'person@asana.example',
        'syncbridge@asana.example',
      ]);
      // GET /tasks needs a filter, as in Asana.
      expect((await sdkError(tasks.getTasksWithHttpInfo({ limit: 2 }))).response.body).toEqual({
        errors: [
          {
            message: 'You should specify one of workspace, project, tag, section, user_task_list',
            help: expect.any(String),
          },
        ],
      });
    } finally {
      await server.close();
    }
  });

  it('keeps two SDK clients apart: each sends its own token to its own base path', async () => {
    const other = createAsanaSandbox({ accessToken: 'other-token' });
    const otherServer = await other.start();
    try {
      const a = sdk(h.basePath, ASANA_TOKEN);
      const b = sdk(`${otherServer.url}${ASANA_API_PATH}`, 'other-token');
      const meA = (await a.users.getUserWithHttpInfo('me', {})) as { data: { data: { gid: string } } };
      const meB = (await b.users.getUserWithHttpInfo('me', {})) as { data: { data: { gid: string } } };
      expect(meA.data.data.gid).toBe(h.sandbox.userOfToken(ASANA_TOKEN)!.gid);
      expect(meB.data.data.gid).toBe(other.userOfToken('other-token')!.gid);
      // The process-wide default client was never touched.
      expect(asana.ApiClient.instance.basePath).toBe('https://app.asana.com/api/1.0');
      expect(h.sandbox.counters.count('GET /api/1.0/users/me')).toBeGreaterThan(0);
      expect(other.counters.count('GET /api/1.0/users/me')).toBe(1);
      // Each sandbox refuses the other's token.
      const crossed = sdk(h.basePath, 'other-token');
      expect((await sdkError(crossed.users.getUserWithHttpInfo('me', {}))).status).toBe(401);
    } finally {
      await otherServer.close();
    }
  });

  it('answers over the limit with 429, Asana’s body and Retry-After', async () => {
    const sandbox = createAsanaSandbox({ accessToken: 't', requestsPerWindow: 2, windowMs: 30_000 });
    const server = await sandbox.start();
    try {
      const { users } = sdk(`${server.url}${ASANA_API_PATH}`, 't');
      await users.getUserWithHttpInfo('me', {});
      await users.getUserWithHttpInfo('me', {});
      const limited = await sdkError(users.getUserWithHttpInfo('me', {}));
      expect(limited.status).toBe(429);
      expect(Number(limited.response.headers['retry-after'])).toBeGreaterThanOrEqual(29);
      expect(limited.response.body).toEqual({
        errors: [
          {
            message: "You've made too many requests and hit a rate limit. Please retry after the given amount of time.",
            help: expect.any(String),
          },
        ],
      });
      expect(sandbox.limiter.rejected).toBe(1);
    } finally {
      await server.close();
    }
  });
});
