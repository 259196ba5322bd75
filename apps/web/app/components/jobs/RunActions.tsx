import { useState } from 'react';
import { Button } from '../Button.tsx';
import { trpc, type RouterOutputs } from '../../trpc.ts';

export type JobSummary = RouterOutputs['jobs']['list']['items'][number];

/** Runs that are not over yet (a paused mass delete waits for an admin). */
export const ACTIVE_STATUSES: ReadonlySet<string> = new Set(['PENDING', 'RUNNING', 'PENDING_CONFIRMATION']);
const CANCELLABLE: ReadonlySet<string> = new Set(['PENDING', 'RUNNING']);

export function runName(job: JobSummary): string {
  const subject = job.resourceName ?? job.integrationName ?? 'Run';
  const type = job.jobType.toLowerCase().replace(/_/g, ' ');
  return `${subject} · ${type.charAt(0).toUpperCase()}${type.slice(1)}`;
}

/**
 * Cancel (a queued or running run) and "Retry failed" (a finished run with failed records) for
 * staff, each saying what it did next to the buttons.
 */
export function RunActions({ job }: { job: JobSummary }) {
  const utils = trpc.useUtils();
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const refresh = () => Promise.all([utils.jobs.list.invalidate(), utils.jobs.get.invalidate({ id: job.id })]);
  const cancel = trpc.jobs.cancel.useMutation({
    onSuccess: async (result) => {
      setMessage({
        text: result.status === 'CANCELLED' ? 'Cancelled' : 'Stopping after the current page',
        bad: false,
      });
      await refresh();
    },
    onError: (error) => setMessage({ text: error.message, bad: true }),
  });
  const retry = trpc.jobs.retryRun.useMutation({
    onSuccess: async (result) => {
      setMessage({
        text:
          result.requeued === 0
            ? 'Nothing to retry: every failed record has synced since'
            : `Queued ${result.requeued} of ${result.items} failed ${result.items === 1 ? 'record' : 'records'} again`,
        bad: false,
      });
      await refresh();
    },
    onError: (error) => setMessage({ text: error.message, bad: true }),
  });
  const name = runName(job);
  const canCancel = CANCELLABLE.has(job.status) && !job.cancelRequested;
  const canRetry = !ACTIVE_STATUSES.has(job.status) && job.failed > 0 && job.resourceId !== null;
  return (
    <div className="row-actions run-actions">
      {canCancel ? (
        <Button
          requires="STAFF"
          variant="secondary"
          busy={cancel.isPending}
          onClick={() => cancel.mutate({ id: job.id })}
          aria-label={`Cancel ${name}`}
        >
          Cancel
        </Button>
      ) : null}
      {canRetry ? (
        <Button
          requires="STAFF"
          variant="secondary"
          busy={retry.isPending}
          onClick={() => retry.mutate({ jobId: job.id })}
          aria-label={`Retry failed records of ${name}`}
        >
          Retry failed
        </Button>
      ) : null}
      <span role="status" className={message?.bad ? 'action-result action-result--bad' : 'action-result'}>
        {message?.text}
      </span>
    </div>
  );
}
