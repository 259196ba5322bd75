import { describe, expect, it } from 'vitest';
import { formatMs } from './format.ts';
import { EMPTY_LOG_SEARCH, exportHref, isFiltered, logFilterOf, parseLogSearch, searchQuery } from './filters.ts';

const ID = '0b7e8f6c-3a61-4f57-9a7b-2d1f1c2e9a10';

describe('parseLogSearch', () => {
  it('reads every filter from the query string', () => {
    const params = new URLSearchParams(
      `status=FAILED&status=RETRYING,SKIPPED&from=2026-03-01&to=2026-03-02&operation=UPDATE&resourceType=%20TASK%20&integrationId=${ID}&recordId=abc`,
    );
    expect(parseLogSearch(params)).toEqual({
      search: {
        status: ['FAILED', 'RETRYING', 'SKIPPED'],
        from: '2026-03-01',
        to: '2026-03-02',
        operation: 'UPDATE',
        resourceType: 'TASK',
        integrationId: ID,
        recordId: 'abc',
      },
      problems: [],
    });
  });

  it('leaves out values that are not valid and says which', () => {
    const { search, problems } = parseLogSearch(
      new URLSearchParams('status=FAILED&status=NOPE&from=2026-02-30&operation=DROP&integrationId=x'),
    );
    expect(search).toEqual({ ...EMPTY_LOG_SEARCH, status: ['FAILED'] });
    expect(problems).toEqual([
      'an unknown status',
      'the start date (use YYYY-MM-DD)',
      'an unknown operation',
      'the integration',
    ]);
    const reversed = parseLogSearch(new URLSearchParams('from=2026-03-05&to=2026-03-01'));
    expect(reversed.search).toEqual(EMPTY_LOG_SEARCH);
    expect(reversed.problems).toEqual(['the date range (the start is after the end)']);
  });
});

describe('the list filter and the CSV link', () => {
  it('include the whole end day and carry the same filters', () => {
    const { search } = parseLogSearch(
      new URLSearchParams(`status=FAILED&status=RETRYING&from=2026-03-01&to=2026-03-31&recordId=r-1`),
    );
    const filter = logFilterOf(search);
    expect(filter).toEqual({
      status: ['FAILED', 'RETRYING'],
      from: '2026-03-01',
      to: '2026-04-01',
      recordId: 'r-1',
    });
    expect(exportHref(filter)).toBe(
      '/api/logs/export.csv?status=FAILED&status=RETRYING&from=2026-03-01&to=2026-04-01&recordId=r-1',
    );
    expect(exportHref({})).toBe('/api/logs/export.csv');
  });

  it('round-trips the page’s own query string', () => {
    const query = 'status=FAILED&from=2026-03-01&recordId=a+b';
    const { search } = parseLogSearch(new URLSearchParams(query));
    expect(searchQuery(search)).toBe(`?${query}`);
    expect(searchQuery(search, 'c1')).toBe(`?${query}&cursor=c1`);
    expect(searchQuery(EMPTY_LOG_SEARCH)).toBe('');
    expect(isFiltered(EMPTY_LOG_SEARCH)).toBe(false);
    expect(isFiltered(search)).toBe(true);
  });
});

describe('formatMs', () => {
  it('reads like a person would say it', () => {
    expect(formatMs(850)).toBe('850 ms');
    expect(formatMs(2400)).toBe('2.4 s');
    expect(formatMs(1000)).toBe('1 s');
    expect(formatMs(185_000)).toBe('3 min 5 s');
    expect(formatMs(7_200_000)).toBe('2 h');
    expect(formatMs(null)).toBe('—');
  });
});
