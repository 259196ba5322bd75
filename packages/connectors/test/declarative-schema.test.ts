// The definition schema: shipped definitions validate; bad ones are refused with readable paths;
// the template language renders what definitions rely on.
import { describe, expect, it } from 'vitest';
import { ConnectorRequestError } from '../src/contract.ts';
import { createDeclarativeConnector } from '../src/declarative/connector.ts';
import { DefinitionError, parseDefinition, type DeclarativeDefinitionInput } from '../src/declarative/definition.ts';
import {
  SHIPPED_DEFINITIONS,
  SHIPPED_DEFINITION_IDS,
  shippedDefinitionFor,
} from '../src/declarative/definitions/index.ts';
import { genericDefinition } from '../src/declarative/definitions/generic.ts';
import { interpolate, renderBody, renderParams } from '../src/declarative/template.ts';

const base = genericDefinition as DeclarativeDefinitionInput;

function issuesOf(input: unknown): string[] {
  try {
    parseDefinition(input);
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as DefinitionError).issues.map((issue) => issue.path);
  }
  throw new Error('the definition was accepted');
}

describe('declarative definition schema', () => {
  it('validates every shipped definition at load, one per integration type', () => {
    expect(SHIPPED_DEFINITION_IDS.sort()).toEqual([
      'clickup',
      'clockify',
      'generic',
      'harvest',
      'monday',
      'salesforce',
      'toggl',
      'trello',
    ]);
    for (const type of ['TRELLO', 'MONDAY', 'CLICKUP', 'TOGGL', 'HARVEST', 'CLOCKIFY', 'SALESFORCE', 'GENERIC_REST'])
      expect(shippedDefinitionFor(type)?.integrationType).toBe(type);
    // Every shipped definition says what it covers, and links the vendor reference it follows.
    for (const id of SHIPPED_DEFINITION_IDS) {
      expect(SHIPPED_DEFINITIONS[id].notes.length).toBeGreaterThan(1);
      if (id !== 'generic') expect(SHIPPED_DEFINITIONS[id].docs.length).toBeGreaterThan(0);
    }
  });

  it('refuses bad definitions, naming the path of each problem', () => {
    expect(issuesOf({ ...base, baseUrl: 'not a url', auth: { type: 'magic' } })).toEqual(
      expect.arrayContaining(['baseUrl', 'auth.type']),
    );
    expect(issuesOf({ ...base, id: 'Has Spaces' })).toEqual(['id']);
    expect(issuesOf({ ...base, list: { ...base.list, pagination: { style: 'cursor', param: 'cursor' } } })).toEqual([
      'list.pagination',
    ]);
    expect(issuesOf({ ...base, list: { ...base.list, pagination: { style: 'pages' } } })).toEqual([
      'list.pagination.style',
    ]);
    expect(
      issuesOf({ ...base, webhook: { ...base.webhook, signature: { ...base.webhook!.signature, algorithm: 'md5' } } }),
    ).toEqual(['webhook.signature.algorithm']);
    expect(issuesOf({ ...base, batch: { ...base.batch, upsert: { ...base.batch!.upsert!, maxSize: 0 } } })).toEqual([
      'batch.upsert.maxSize',
    ]);
    const { create: _create, update: _update, batch: _batch, ...noWrites } = base;
    expect(issuesOf(noWrites)).toEqual(['create', 'update']);
    expect(
      issuesOf({ ...base, record: { idPath: 'id' }, list: { ...base.list, updatedSince: { mode: 'client' } } }),
    ).toEqual(expect.arrayContaining(['list.updatedSince']));
    expect(issuesOf({ ...base, rateLimit: { requests: -1, windowMs: 1000 } })).toEqual(['rateLimit.requests']);
    expect(issuesOf({ ...base, auth: { type: 'oauth2', grant: 'password', tokenUrl: 'x' } })).toEqual(['auth.grant']);
  });

  it('says all of it in the error message', () => {
    expect(() => parseDefinition({ ...base, rateLimit: { requests: 0 } }, 'settings.definition')).toThrow(
      /^Invalid settings\.definition: rateLimit\.requests: .+; rateLimit\.windowMs: .+/,
    );
  });

  it('checks required settings and credentials when the connector is built, naming them but no values', () => {
    expect(() => createDeclarativeConnector(base, { credentials: {} })).toThrow(/missing credential token/);
    expect(() =>
      createDeclarativeConnector(SHIPPED_DEFINITIONS.harvest, { credentials: { token: 'secret-value-123' } }),
    ).toThrow(/setting "accountId" is required/);
    try {
      createDeclarativeConnector(SHIPPED_DEFINITIONS.trello, { credentials: { apiKey: 'the-key-value' } });
      throw new Error('built');
    } catch (error) {
      expect(error).toBeInstanceOf(ConnectorRequestError);
      expect((error as ConnectorRequestError).kind).toBe('auth');
      expect(String(error)).not.toContain('the-key-value');
    }
    expect(() => createDeclarativeConnector({ ...base, auth: { type: 'nope' } })).toThrow(DefinitionError);
  });
});

describe('definition templates', () => {
  const context = {
    object: 'Contact',
    id: 'a b/c',
    fields: { name: 'Ada', column_values: { status: 'Done' } },
    settings: { workspaceId: '42' },
    options: { fields: ['LastName', 'Email'] },
  };

  it('interpolates paths (encoded), lists and defaults', () => {
    expect(interpolate('/sobjects/{object}/{id}', context, encodeURIComponent)).toBe('/sobjects/Contact/a%20b%2Fc');
    expect(interpolate('SELECT Id, {options.fields|Name} FROM {object}', context)).toBe(
      'SELECT Id, LastName,Email FROM Contact',
    );
    expect(interpolate('SELECT {options.missing|Name}', context)).toBe('SELECT Name');
    // GraphQL selections are not placeholders.
    expect(interpolate('query { me { id } }', context)).toBe('query { me { id } }');
  });

  it('leaves out parameters whose only placeholder has no value', () => {
    expect(renderParams({ since: '{since}', page: '{page|1}', q: 'x{sinceClause}' }, context)).toEqual({
      page: '1',
      q: 'x',
    });
  });

  it('renders JSON bodies: whole values, conversions, spreads, $json, and drops undefined', () => {
    expect(
      renderBody(
        {
          workspace_id: '{number:settings.workspaceId}',
          idList: '{options.listId}',
          '...': '{fields}',
          values: '{json:fields.column_values}',
          merged: { $json: { name: '{fields.name}', '...': '{fields.column_values}' } },
          list: ['{object}', '{nothing}'],
          query: 'mutation ($item: ID!) { delete_item(item_id: $item) { id } }',
        },
        context,
      ),
    ).toEqual({
      workspace_id: 42,
      name: 'Ada',
      column_values: { status: 'Done' },
      values: '{"status":"Done"}',
      merged: '{"name":"Ada","status":"Done"}',
      list: ['Contact'],
      query: 'mutation ($item: ID!) { delete_item(item_id: $item) { id } }',
    });
  });
});
