import type { FormEvent } from 'react';
import { Form, Link, useNavigate } from '@remix-run/react';
import { enumLabel } from '../../format.ts';
import { LOG_OPERATIONS, LOG_STATUSES, parseLogSearch, searchQuery, type LogSearch } from './filters.ts';

export interface IntegrationOption {
  id: string;
  name: string;
}

/**
 * The filter form: a plain GET form (it works before the page is interactive, and the result is a
 * shareable address); with JavaScript, empty fields are left out of the address.
 */
export function LogFilters({ search, integrations }: { search: LogSearch; integrations: IntegrationOption[] }) {
  const navigate = useNavigate();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const params = new URLSearchParams();
    for (const [name, value] of data) if (typeof value === 'string' && value.trim()) params.append(name, value);
    navigate(`/logs${searchQuery(parseLogSearch(params).search)}`);
  };
  // Keyed by the address: Back/Forward and "Clear" reset the fields to what the address says.
  const formKey = searchQuery(search);
  return (
    <Form method="get" action="/logs" className="filters" onSubmit={submit} key={formKey} aria-label="Filter logs">
      <fieldset className="filters__statuses">
        <legend>Status</legend>
        {LOG_STATUSES.map((status) => (
          <label key={status} className="filters__check">
            <input type="checkbox" name="status" value={status} defaultChecked={search.status.includes(status)} />
            {enumLabel(status)}
          </label>
        ))}
      </fieldset>
      <div className="filters__fields">
        <div className="field">
          <label htmlFor="logs-from">From (UTC)</label>
          <input id="logs-from" name="from" type="date" defaultValue={search.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="logs-to">To (UTC, included)</label>
          <input id="logs-to" name="to" type="date" defaultValue={search.to ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="logs-operation">Operation</label>
          <select id="logs-operation" name="operation" defaultValue={search.operation ?? ''}>
            <option value="">Any</option>
            {LOG_OPERATIONS.map((operation) => (
              <option key={operation} value={operation}>
                {enumLabel(operation)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="logs-integration">Integration</label>
          <select id="logs-integration" name="integrationId" defaultValue={search.integrationId ?? ''}>
            <option value="">Any</option>
            {integrations.map((integration) => (
              <option key={integration.id} value={integration.id}>
                {integration.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="logs-resource-type">Resource type</label>
          <input
            id="logs-resource-type"
            name="resourceType"
            type="text"
            autoComplete="off"
            maxLength={100}
            defaultValue={search.resourceType ?? ''}
          />
        </div>
        <div className="field">
          <label htmlFor="logs-record">Record id</label>
          <input
            id="logs-record"
            name="recordId"
            type="search"
            autoComplete="off"
            maxLength={255}
            defaultValue={search.recordId ?? ''}
            aria-describedby="logs-record-hint"
          />
          <p id="logs-record-hint" className="field-hint">
            Local or external id, whole or its beginning.
          </p>
        </div>
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary">
          Apply filters
        </button>
        <Link to="/logs" className="button button--link">
          Clear
        </Link>
      </div>
    </Form>
  );
}
