import { ExampleError, EXAMPLE_PATH_LIMIT, mergeRows, parseJsonExample, parseQueryExample } from '../parseExample';
import { captureExample, fillRowsFromCapture, formatCountdown } from '../testCapture';
import type { TestCapture } from '../testCapture';

function captureOf(values: Partial<TestCapture>): TestCapture {
  return {
    method: 'POST',
    contentType: 'application/json',
    headers: {},
    querystring: '',
    query: {},
    body: {},
    capturedAt: '2026-01-01T00:00:00.000Z',
    ...values,
  };
}

const NO_FLOORS = { query: 0, body: 0 };

describe('common/testCapture', () => {
  describe('fillRowsFromCapture', () => {
    it('gives the rows a Parse of the same query and body would give', () => {
      const capture = captureOf({ querystring: 'page=2&tags[0][a]=x', body: { order: { id: 7, items: [{ sku: 'a' }] } } });
      const fill = fillRowsFromCapture(capture, {}, NO_FLOORS);
      expect(fill.query).toEqual(mergeRows([], parseQueryExample(`?${capture.querystring}`), 'query'));
      expect(fill.body).toEqual(mergeRows([], parseJsonExample(JSON.stringify(capture.body)), 'body'));
      expect(fill.body).toEqual([
        { key: 'order', _var: 'body_$0' },
        { key: 'order.id', _var: 'body_$1' },
        { key: 'order.items', _var: 'body_$2' },
        { key: 'order.items[0]', _var: 'body_$3' },
        { key: 'order.items[0].sku', _var: 'body_$4' },
      ]);
    });

    it('keeps the alias and _var of surviving keys and never hands out a referenced _var', () => {
      const capture = captureOf({ querystring: 'a=1&b=2', body: [{ id: 1 }] });
      const fill = fillRowsFromCapture(
        capture,
        { query: [{ key: 'b', alias: 'B', _var: 'query_$0' }], body: null },
        { query: 5, body: 3 },
      );
      expect(fill.query).toEqual([
        { key: 'a', _var: 'query_$5' },
        { key: 'b', alias: 'B', _var: 'query_$0' },
      ]);
      expect(fill.body).toEqual([
        { key: '[0]', _var: 'body_$3' },
        { key: '[0].id', _var: 'body_$4' },
      ]);
    });

    it.each([
      ['no query and an empty body', captureOf({})],
      ['a text body', captureOf({ body: 'plain text', contentType: 'text/plain' })],
      ['no body at all', captureOf({ body: null, method: 'GET', contentType: null })],
    ])('leaves the rows alone for %s', (_label, capture) => {
      expect(fillRowsFromCapture(capture, {}, NO_FLOORS)).toEqual({ query: null, body: null });
    });

    it('reports a body with too many paths instead of filling it', () => {
      const body = Object.fromEntries(Array.from({ length: EXAMPLE_PATH_LIMIT + 1 }, (_, i) => [`k${i}`, i]));
      const fill = fillRowsFromCapture(captureOf({ querystring: 'a=1', body }), {}, NO_FLOORS);
      expect(fill.query).toEqual([{ key: 'a', _var: 'query_$0' }]);
      expect(fill.body).toBeInstanceOf(ExampleError);
      expect((fill.body as ExampleError).code).toBe('tooLarge');
    });
  });

  it('captureExample: the query as a `?` string, the body as JSON', () => {
    const capture = captureOf({ querystring: 'a=1', body: { b: 2 } });
    expect(captureExample(capture, 'query')).toBe('?a=1');
    expect(captureExample(capture, 'body')).toBe('{"b":2}');
  });

  it.each([
    [120_000, '2:00'],
    [119_001, '2:00'],
    [119_000, '1:59'],
    [61_000, '1:01'],
    [9_500, '0:10'],
    [1, '0:01'],
    [0, '0:00'],
    [-5, '0:00'],
  ])('formatCountdown(%d) is %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });
});
