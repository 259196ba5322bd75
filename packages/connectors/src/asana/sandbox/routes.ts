// HTTP routes of the Asana API subset, under /api/1.0: `{ data }` envelopes in and out, offset-token
// pagination (`next_page: { offset, path, uri }`), opt_fields, `external:<gid>` task references.
// Handlers stay thin: parse, call the store, wrap the reply. Every route carries the request counter.
// https://developers.asana.com/reference/rest-api-reference
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ASANA_MAX_PAGE } from '../limits.ts';
import { asanaErrors } from './errors.ts';
import {
  customFieldSettingJson,
  optFieldsOf,
  projectJson,
  represent,
  taskJson,
  userJson,
  type Json,
} from './representation.ts';
import { compareGids, type AsanaStore, type StoredTask, type TaskInput } from './store.ts';
import type { AsanaWebhookDispatcher, StoredWebhook } from './webhooks.ts';

export interface AsanaRouterOptions {
  store: AsanaStore;
  webhooks: AsanaWebhookDispatcher;
  count: RequestHandler;
  /** The user a request's token belongs to. */
  userOf: (req: Request) => string;
}

type Handler = (req: Request, res: Response) => void | Promise<void>;

/** Errors thrown by handlers (sync or async) go to the error middleware. */
const route =
  (handler: Handler): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    try {
      Promise.resolve(handler(req, res)).catch(next);
    } catch (error) {
      next(error);
    }
  };

const query = (req: Request, name: string): string | undefined => {
  const value = req.query[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
};

/** Unpaginated lists larger than this are refused, as Asana does. */
const MAX_UNPAGINATED = 1_000;

/**
 * One page of `items` (already filtered and sorted by gid). The offset token names the last gid
 * returned and the query it belongs to, so pages stay stable while items are added or deleted.
 */
function paginate<T extends { gid: string }>(req: Request, items: T[]): { page: T[]; next_page?: Json } {
  const limitText = query(req, 'limit');
  const offset = query(req, 'offset');
  if (limitText === undefined) {
    if (offset !== undefined) throw asanaErrors.invalid('offset: Cannot be given without limit');
    if (items.length > MAX_UNPAGINATED) {
      throw asanaErrors.invalid(
        'The result is too large. You should use pagination (may require specifying a workspace)!',
      );
    }
    return { page: items };
  }
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > ASANA_MAX_PAGE) {
    throw asanaErrors.invalid(`limit: Must be between 1 and ${ASANA_MAX_PAGE}`);
  }
  const fingerprint = fingerprintOf(req);
  let after: string | null = null;
  if (offset !== undefined) {
    try {
      const decoded = JSON.parse(Buffer.from(offset, 'base64url').toString('utf8')) as { a?: unknown; q?: unknown };
      if (typeof decoded.a !== 'string' || decoded.q !== fingerprint) throw new Error('mismatch');
      after = decoded.a;
    } catch {
      throw asanaErrors.invalid('offset: Your pagination token is invalid or has expired');
    }
  }
  const rest = after === null ? items : items.filter((item) => compareGids(item.gid, after) > 0);
  const page = rest.slice(0, limit);
  if (rest.length <= limit || page.length === 0) return { page, next_page: null };
  const token = Buffer.from(JSON.stringify({ a: page.at(-1)!.gid, q: fingerprint })).toString('base64url');
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(req.query)) {
    if (name !== 'offset') params.set(name, String(value));
  }
  params.set('offset', token);
  const path = `${req.path}?${params.toString()}`;
  return {
    page,
    next_page: { offset: token, path, uri: `${req.protocol}://${req.get('host') ?? ''}${req.baseUrl}${path}` },
  };
}

/** The query a token is valid for: path and every parameter but offset and limit. */
function fingerprintOf(req: Request): string {
  const entries = Object.entries(req.query)
    .filter(([name]) => name !== 'offset' && name !== 'limit')
    .map(([name, value]) => `${name}=${String(value)}`)
    .sort();
  return `${req.path}?${entries.join('&')}`;
}

function dataOf(req: Request): Record<string, unknown> {
  const data = (req.body as { data?: unknown } | undefined)?.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw asanaErrors.missingData();
  return data as Record<string, unknown>;
}

function sinceOf(req: Request, name: string): number | null {
  const text = query(req, name);
  if (text === undefined) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw asanaErrors.invalid(`${name}: Not a valid date-time: ${text}`);
  return at;
}

function webhookJson(hook: StoredWebhook): Json {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    gid: hook.gid,
    resource_type: 'webhook',
    active: hook.active,
    resource: hook.resource,
    target: hook.target,
    filters: hook.filters as unknown as Json,
    created_at: iso(hook.created_at),
    last_success_at: iso(hook.last_success_at),
    last_failure_at: iso(hook.last_failure_at),
    last_failure_content: hook.last_failure_content,
  };
}

export function createAsanaRouter(options: AsanaRouterOptions): Router {
  const { store, webhooks, count, userOf } = options;
  const router = Router();
  const fields = (req: Request) => optFieldsOf(req.query.opt_fields);

  /** GET /tasks and GET /projects/{gid}/tasks share filtering, sorting and paging. */
  const listTasks = (req: Request, res: Response, projectGid: string | undefined) => {
    const assignee = query(req, 'assignee');
    const workspace = query(req, 'workspace');
    if (!projectGid && !(assignee && workspace)) {
      throw asanaErrors.invalid('You should specify one of workspace, project, tag, section, user_task_list');
    }
    if (projectGid && !store.project(projectGid)) throw asanaErrors.unknownObject(projectGid);
    if (workspace && workspace !== store.workspace.gid) throw asanaErrors.unknownObject(workspace);
    const assigneeGid = assignee === 'me' ? userOf(req) : assignee ? store.resolveUser(assignee)?.gid : undefined;
    if (assignee && !assigneeGid) throw asanaErrors.invalid(`assignee: Not a recognized ID: ${assignee}`);
    const modifiedSince = sinceOf(req, 'modified_since');
    const completedText = query(req, 'completed_since');
    const completedSince = completedText === 'now' ? Number.POSITIVE_INFINITY : sinceOf(req, 'completed_since');
    const tasks = store
      .live()
      .filter(
        (task: StoredTask) =>
          (!projectGid || task.projects.includes(projectGid)) &&
          (!assigneeGid || task.assignee === assigneeGid) &&
          (modifiedSince === null || task.modified_at >= modifiedSince) &&
          (completedSince === null || !task.completed || (task.completed_at ?? 0) >= completedSince),
      );
    const { page, next_page } = paginate(req, tasks);
    const paths = fields(req);
    res.json({
      data: page.map((task) => represent(taskJson(store, task), paths, true)),
      ...(next_page === undefined ? {} : { next_page }),
    });
  };

  router.get(
    '/users/me',
    count,
    route((req, res) => {
      const user = store.user(userOf(req));
      if (!user) throw asanaErrors.notAuthorized();
      res.json({ data: represent(userJson(store, user), fields(req), false) });
    }),
  );

  router.get(
    '/users',
    count,
    route((req, res) => {
      const workspace = query(req, 'workspace');
      if (workspace && workspace !== store.workspace.gid) throw asanaErrors.unknownObject(workspace);
      const { page, next_page } = paginate(req, store.allUsers());
      const paths = fields(req);
      res.json({
        data: page.map((user) => represent(userJson(store, user), paths, true)),
        ...(next_page === undefined ? {} : { next_page }),
      });
    }),
  );

  router.get(
    '/users/:gid',
    count,
    route((req, res) => {
      const ref = String(req.params.gid);
      const user = ref === 'me' ? store.user(userOf(req)) : store.resolveUser(ref);
      if (!user) throw asanaErrors.unknownObject(ref);
      res.json({ data: represent(userJson(store, user), fields(req), false) });
    }),
  );

  router.get(
    '/workspaces',
    count,
    route((req, res) => {
      res.json({
        data: [{ gid: store.workspace.gid, resource_type: 'workspace', name: store.workspace.name }],
        next_page: null,
      });
    }),
  );

  router.get(
    '/projects',
    count,
    route((req, res) => {
      const workspace = query(req, 'workspace');
      if (workspace && workspace !== store.workspace.gid) throw asanaErrors.unknownObject(workspace);
      const archived = query(req, 'archived');
      const projects = store
        .allProjects()
        .filter((project) => archived === undefined || String(project.archived) === archived);
      const { page, next_page } = paginate(req, projects);
      const paths = fields(req);
      res.json({
        data: page.map((project) => represent(projectJson(store, project), paths, true)),
        ...(next_page === undefined ? {} : { next_page }),
      });
    }),
  );

  router.get(
    '/projects/:gid',
    count,
    route((req, res) => {
      const project = store.project(String(req.params.gid));
      if (!project) throw asanaErrors.unknownObject(String(req.params.gid));
      res.json({ data: represent(projectJson(store, project), fields(req), false) });
    }),
  );

  router.get(
    '/projects/:gid/tasks',
    count,
    route((req, res) => listTasks(req, res, String(req.params.gid))),
  );

  router.get(
    '/projects/:gid/custom_field_settings',
    count,
    route((req, res) => {
      const project = store.project(String(req.params.gid));
      if (!project) throw asanaErrors.unknownObject(String(req.params.gid));
      const settings = project.customFieldGids.map((gid) => customFieldSettingJson(store, project, gid));
      const { page, next_page } = paginate(req, settings as ((typeof settings)[number] & { gid: string })[]);
      const paths = fields(req);
      res.json({
        data: page.map((setting) => represent(setting, paths, false)),
        ...(next_page === undefined ? {} : { next_page }),
      });
    }),
  );

  router.get(
    '/tasks',
    count,
    route((req, res) => listTasks(req, res, query(req, 'project'))),
  );

  router.post(
    '/tasks',
    count,
    route((req, res) => {
      const task = store.create(dataOf(req) as TaskInput, userOf(req));
      res
        .status(201)
        .set('Location', `/tasks/${task.gid}`)
        .json({ data: represent(taskJson(store, task), fields(req), false) });
    }),
  );

  router.get(
    '/tasks/:gid',
    count,
    route((req, res) => {
      const ref = String(req.params.gid);
      const task = store.task(ref);
      if (!task) throw asanaErrors.unknownObject(ref);
      res.json({ data: represent(taskJson(store, task), fields(req), false) });
    }),
  );

  router.put(
    '/tasks/:gid',
    count,
    route((req, res) => {
      const task = store.update(String(req.params.gid), dataOf(req) as TaskInput, userOf(req));
      res.json({ data: represent(taskJson(store, task), fields(req), false) });
    }),
  );

  router.delete(
    '/tasks/:gid',
    count,
    route((req, res) => {
      store.delete(String(req.params.gid), userOf(req));
      res.json({ data: {} });
    }),
  );

  router.post(
    '/webhooks',
    count,
    route(async (req, res) => {
      const data = dataOf(req);
      const hook = await webhooks.create({ resource: data.resource, target: data.target, filters: data.filters });
      res.status(201).json({ data: webhookJson(hook) });
    }),
  );

  router.get(
    '/webhooks',
    count,
    route((req, res) => {
      const workspace = query(req, 'workspace');
      if (!workspace) throw asanaErrors.invalid('workspace: Missing input');
      if (workspace !== store.workspace.gid) throw asanaErrors.unknownObject(workspace);
      const resource = query(req, 'resource');
      const hooks = webhooks.webhooks
        .filter((hook) => !resource || hook.resource.gid === resource)
        .sort((a, b) => compareGids(a.gid, b.gid));
      const { page, next_page } = paginate(req, hooks);
      res.json({ data: page.map(webhookJson), ...(next_page === undefined ? {} : { next_page }) });
    }),
  );

  router.get(
    '/webhooks/:gid',
    count,
    route((req, res) => {
      const hook = webhooks.get(String(req.params.gid));
      if (!hook) throw asanaErrors.unknownObject(String(req.params.gid));
      res.json({ data: webhookJson(hook) });
    }),
  );

  router.delete(
    '/webhooks/:gid',
    count,
    route((req, res) => {
      if (!webhooks.remove(String(req.params.gid))) throw asanaErrors.unknownObject(String(req.params.gid));
      res.json({ data: {} });
    }),
  );

  return router;
}
