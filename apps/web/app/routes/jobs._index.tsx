import type { FormEvent } from 'react';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigate } from '@remix-run/react';
import { Button } from '../components/Button.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { MassDeletes } from '../components/jobs/MassDeletes.tsx';
import { ACTIVE_STATUSES } from '../components/jobs/RunActions.tsx';
import { RunsTable } from '../components/jobs/RunsTable.tsx';
import { requireUser } from '../auth.server.ts';
import { enumLabel } from '../format.ts';
import { settle } from '../integration-loaders.server.ts';
import { trpc, type RouterInputs } from '../trpc.ts';

export const meta: MetaFunction = () => [{ title: 'Jobs · Syncbridge' }];

const PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type ListInput = Exclude<RouterInputs['jobs']['list'], void | undefined>;
type JobStatus = Extract<NonNullable<ListInput['status']>, string>;
type JobType = NonNullable<ListInput['jobType']>;

const JOB_STATUSES = [
  'RUNNING',
  'PENDING',
  'PENDING_CONFIRMATION',
  'COMPLETED',
  'PARTIAL',
  'FAILED',
  'CANCELLED',
] as const satisfies readonly JobStatus[];
const JOB_TYPES = [
  'CHANGE_PUSH',
  'SCHEDULED_SYNC',
  'MANUAL_SYNC',
  'INITIAL_IMPORT',
  'WEBHOOK_BATCH',
  'RETRY',
  'CLEANUP',
  'HEALTH_CHECK',
] as const satisfies readonly JobType[];

interface JobSearch {
  status: JobStatus | null;
  jobType: JobType | null;
  integrationId: string | null;
}

function searchOf(params: URLSearchParams): JobSearch {
  const status = params.get('status');
  const jobType = params.get('jobType');
  const integrationId = params.get('integrationId');
  return {
    status: JOB_STATUSES.includes(status as JobStatus) ? (status as JobStatus) : null,
    jobType: JOB_TYPES.includes(jobType as JobType) ? (jobType as JobType) : null,
    integrationId: integrationId && UUID.test(integrationId) ? integrationId.toLowerCase() : null,
  };
}

function listInput(search: JobSearch) {
  return {
    limit: PAGE_SIZE,
    ...(search.status ? { status: search.status } : {}),
    ...(search.jobType ? { jobType: search.jobType } : {}),
    ...(search.integrationId ? { integrationId: search.integrationId } : {}),
  };
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  await requireUser(context);
  const search = searchOf(new URL(request.url).searchParams);
  const [jobs, massDeletes, integrations] = await Promise.all([
    settle(context.trpc.jobs.list(listInput(search)), context.log, 'jobs'),
    settle(context.trpc.jobs.pendingMassDeletes(), context.log, 'pending mass deletes'),
    settle(context.trpc.integrations.list(), context.log, 'integrations'),
  ]);
  return {
    search,
    jobs,
    massDeletes,
    integrations: (integrations?.items ?? []).map(({ id, name }) => ({ id, name })),
    loadedAt: Date.now(),
  };
}

export default function JobsPage() {
  const data = useLoaderData<typeof loader>();
  const { search } = data;
  const navigate = useNavigate();
  const initial = { initialDataUpdatedAt: data.loadedAt };
  const runs = trpc.jobs.list.useInfiniteQuery(listInput(search), {
    ...initial,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    initialData: data.jobs ? { pages: [data.jobs], pageParams: [undefined] } : undefined,
    // Live progress: every second while a run is under way, every 10 s otherwise (to see new ones).
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((job) => ACTIVE_STATUSES.has(job.status)))
        ? 1_000
        : 10_000,
  });
  const massDeletes = trpc.jobs.pendingMassDeletes.useQuery(undefined, {
    ...initial,
    initialData: data.massDeletes,
    refetchInterval: 10_000,
  });
  const jobs = runs.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(search.status || search.jobType || search.integrationId);

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(event.currentTarget)) {
      if (typeof value === 'string' && value) params.set(name, value);
    }
    const query = params.toString();
    navigate(`/jobs${query ? `?${query}` : ''}`);
  };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Jobs</h1>
          <p className="page-head__sub">Every sync run: what it added, changed and removed, and what failed.</p>
        </div>
      </div>

      {massDeletes.isError && !massDeletes.data ? (
        <ErrorState
          title="Could not load the deletions waiting for confirmation"
          retry={() => void massDeletes.refetch()}
        />
      ) : null}
      <MassDeletes items={massDeletes.data?.items ?? []} />

      <Form
        method="get"
        action="/jobs"
        className="filters filters--inline"
        onSubmit={applyFilters}
        key={JSON.stringify(search)}
        aria-label="Filter runs"
      >
        <div className="field">
          <label htmlFor="jobs-status">Status</label>
          <select id="jobs-status" name="status" defaultValue={search.status ?? ''}>
            <option value="">Any</option>
            {JOB_STATUSES.map((status) => (
              <option key={status} value={status}>
                {enumLabel(status)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="jobs-type">Kind</label>
          <select id="jobs-type" name="jobType" defaultValue={search.jobType ?? ''}>
            <option value="">Any</option>
            {JOB_TYPES.map((type) => (
              <option key={type} value={type}>
                {enumLabel(type)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="jobs-integration">Integration</label>
          <select id="jobs-integration" name="integrationId" defaultValue={search.integrationId ?? ''}>
            <option value="">All integrations</option>
            {data.integrations.map((integration) => (
              <option key={integration.id} value={integration.id}>
                {integration.name}
              </option>
            ))}
          </select>
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary">
            Apply filters
          </button>
          {filtered ? (
            <Link className="button button--link" to="/jobs">
              Clear
            </Link>
          ) : null}
        </div>
      </Form>

      <section className="panel" aria-labelledby="runs-title">
        <h2 id="runs-title">Runs</h2>
        {!runs.data ? (
          runs.isError ? (
            <ErrorState title="Could not load the runs" retry={() => void runs.refetch()} />
          ) : (
            <p className="muted" role="status">
              Loading…
            </p>
          )
        ) : jobs.length === 0 ? (
          filtered ? (
            <EmptyState title="No runs match these filters" level={3}>
              <p>
                <Link to="/jobs">Show all runs</Link>
              </p>
            </EmptyState>
          ) : (
            <EmptyState title="No runs yet" level={3}>
              Runs appear here as integrations sync: on schedule, from webhooks, from database changes or by hand.
            </EmptyState>
          )
        ) : (
          <>
            {runs.isError ? (
              <ErrorState title="Could not refresh the runs">Showing the last list loaded.</ErrorState>
            ) : null}
            <RunsTable jobs={jobs} caption={`${jobs.length} ${jobs.length === 1 ? 'run' : 'runs'}, newest first`} />
            {runs.hasNextPage ? (
              <Button variant="secondary" busy={runs.isFetchingNextPage} onClick={() => void runs.fetchNextPage()}>
                Show older runs
              </Button>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}
