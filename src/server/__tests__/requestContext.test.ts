import fc from 'fast-check';
import { get, isPlainObject } from 'lodash';

import { MASK } from '../../common/constants';
import {
  QueryStringError,
  buildWebhookContext,
  mapOwnRows,
  mapQueryString,
  mapRows,
  maskHeaders,
  maskIncomingHeaders,
  parseQueryString,
} from '../requestContext';

describe('server/requestContext', () => {
  describe('maskHeaders', () => {
    it('lower-cases names and masks secrets, keeping the scheme', () => {
      expect(
        maskHeaders({
          Authorization: 'Basic dXNlcjpwYXNz',
          'X-Request-Id': 'r-1',
          cookie: 'session=abc',
          'proxy-authorization': 'Bearer t',
          skipped: undefined,
        }),
      ).toEqual({
        authorization: `Basic ${MASK}`,
        'x-request-id': 'r-1',
        cookie: MASK,
        'proxy-authorization': `Bearer ${MASK}`,
      });
    });

    it('masks a bare token without guessing a scheme', () => {
      expect(maskHeaders({ authorization: 'secret-token' })).toEqual({ authorization: MASK });
    });

    it('keeps a __proto__ header as data and leaves the copy a plain object', () => {
      const headers = JSON.parse('{"__proto__": "x", "authorization": "Bearer t", "a": "1"}') as Record<string, string>;
      const masked = maskHeaders(headers);
      expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(masked, '__proto__')?.value).toBe('x');
      expect(masked.authorization).toBe(`Bearer ${MASK}`);
      expect(({} as Record<string, unknown>).a).toBeUndefined();
    });

    it('masks the secret headers a trigger names, whatever their case in the request', () => {
      expect(maskHeaders({ 'X-Api-Token': 't0ken', other: 'o' }, ['x-api-token'])).toEqual({ 'x-api-token': MASK, other: 'o' });
    });
  });

  describe('maskIncomingHeaders', () => {
    it("copies Node's headers whole and masks the secrets in the copy only", () => {
      const headers = { host: 'h', authorization: 'Basic dXNlcjpwYXNz', cookie: 'a=b', 'x-token': 't0ken', 'set-cookie': ['x', 'y'] };
      const masked = maskIncomingHeaders(headers, ['x-token', 'x-absent']);
      expect(masked).toEqual({ host: 'h', authorization: `Basic ${MASK}`, cookie: MASK, 'x-token': MASK, 'set-cookie': ['x', 'y'] });
      expect(Object.keys(masked)).toEqual(Object.keys(headers));
      expect(headers.authorization).toBe('Basic dXNlcjpwYXNz');
      expect(Object.prototype.hasOwnProperty.call(masked, 'x-absent')).toBe(false);
    });

    it('gives what maskHeaders gives for lower-case names', () => {
      const headers = { 'x-request-id': 'r-1', authorization: 'Bearer t', 'proxy-authorization': 'p' };
      expect(maskIncomingHeaders(headers, ['x-request-id'])).toEqual(maskHeaders(headers, ['x-request-id']));
    });
  });

  describe('parseQueryString', () => {
    it('parses nested objects and arrays with qs', () => {
      expect(parseQueryString('a=1&b[c]=2&query[0][a]=x&list[]=p&list[]=q')).toEqual({
        a: '1',
        b: { c: '2' },
        query: [{ a: 'x' }],
        list: ['p', 'q'],
      });
    });

    it('gives each request of a repeated query string its own copy, equal to a fresh parse', () => {
      const querystring = 'source=bench&filter[type]=payment&tags[0]=alpha&tags[1]=beta';
      const first = parseQueryString(querystring);
      (first.filter as Record<string, unknown>).type = 'changed';
      (first.tags as string[]).push('gamma');
      const second = parseQueryString(querystring);
      const third = parseQueryString(querystring);
      expect(second).toEqual({ source: 'bench', filter: { type: 'payment' }, tags: ['alpha', 'beta'] });
      expect(third).toEqual(second);
      expect(third.filter).not.toBe(second.filter);
      expect(third.tags).not.toBe(second.tags);
    });

    it('copies objects inside arrays too, for each request', () => {
      const querystring = 'items[0][sku]=a1&items[1][sku]=b2&page=1';
      const first = parseQueryString(querystring) as { items: Array<{ sku: string }> };
      first.items[0].sku = 'changed';
      first.items.pop();
      const second = parseQueryString(querystring) as { items: Array<{ sku: string }> };
      expect(second).toEqual({ items: [{ sku: 'a1' }, { sku: 'b2' }], page: '1' });
      second.items[1].sku = 'changed';
      expect(parseQueryString(querystring)).toEqual({ items: [{ sku: 'a1' }, { sku: 'b2' }], page: '1' });
    });

    it('refuses a repeated query string over the limits every time', () => {
      const deep = `a${'[b]'.repeat(30)}=1`;
      expect(() => parseQueryString(deep)).toThrow(QueryStringError);
      expect(() => parseQueryString(deep)).toThrow(QueryStringError);
    });

    it('drops prototype keys instead of writing them', () => {
      const parsed = parseQueryString('__proto__[polluted]=yes&constructor[prototype][polluted]=yes&a=1');
      expect(parsed.a).toBe('1');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    });

    it('refuses more parameters than the limit with a clear message', () => {
      const many = Array.from({ length: 1001 }, (_, i) => `p${i}=${i}`).join('&');
      expect(() => parseQueryString(many)).toThrow(QueryStringError);
      expect(() => parseQueryString(many)).toThrow(/at most 1000 parameters/);
    });

    it('refuses nesting deeper than the limit', () => {
      const deep = `a${'[b]'.repeat(30)}=1`;
      expect(() => parseQueryString(deep)).toThrow(QueryStringError);
    });
  });

  describe('mapRows', () => {
    it('adds one entry per row under _var, else under the key, keeping the input', () => {
      const body = { a: 1, b: { c: 2 }, items: [{ id: 'x' }] };
      expect(
        mapRows(body, [
          { key: 'b.c', _var: 'body_$0' },
          { key: 'items[0].id' },
          { key: 'missing.path', _var: 'body_$1' },
        ]),
      ).toEqual({ ...body, body_$0: 2, 'items[0].id': 'x', body_$1: undefined });
    });

    it('reads a key the input holds as it is before the path, as lodash.get does, with the same rows each time', () => {
      const rows = [{ key: 'a.b', _var: 'body_$0' }, { key: 'list[1]', _var: 'body_$1' }];
      expect(mapRows({ 'a.b': 'literal', a: { b: 'nested' }, list: [1, 2] }, rows)).toMatchObject({ body_$0: 'literal', body_$1: 2 });
      expect(mapRows({ a: { b: 'nested' }, 'list[1]': 'literal' }, rows)).toMatchObject({ body_$0: 'nested', body_$1: 'literal' });
      expect(mapRows({ a: null }, rows)).toMatchObject({ body_$0: undefined, body_$1: undefined });
      rows[0].key = 'list[0]';
      expect(mapRows({ list: [1, 2] }, rows)).toMatchObject({ body_$0: 1, body_$1: 2 });
    });

    it('returns the input itself when no rows are configured', () => {
      const body = ['raw', { kept: true }];
      expect(mapRows(body, undefined)).toBe(body);
      expect(mapRows(body, [])).toBe(body);
    });

    it('turns an array into an index-keyed object so index paths and row variables both resolve', () => {
      const mapped = mapRows([{ id: 7 }], [{ key: '[0].id', _var: 'body_$0' }]);
      expect(get(mapped, '[0].id')).toBe(7);
      expect(get(mapped, 'body_$0')).toBe(7);
    });

    it('never writes through a __proto__ key', () => {
      const body = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
      const mapped = mapRows(body, [{ key: 'a', _var: '__proto__' }]) as Record<string, unknown>;
      expect(Object.getPrototypeOf(mapped)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('maps every configured path to lodash.get of the input, and changes nothing else (property)', () => {
      const key = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
      const json = fc.letrec((tie) => ({
        value: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string(), fc.boolean(), fc.constant(null), tie('object'), tie('array')),
        object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
        array: fc.array(tie('value'), { maxLength: 3 }),
      }));
      fc.assert(
        fc.property(json.object, fc.array(fc.array(key, { minLength: 1, maxLength: 3 }), { maxLength: 5 }), (input, paths) => {
          const rows = paths.map((segments, index) => ({ key: segments.join('.'), _var: `body_$${index}` }));
          const mapped = mapRows(input, rows) as Record<string, unknown>;
          rows.forEach((row) => expect(mapped[row._var]).toEqual(get(input, row.key)));
          for (const [name, value] of Object.entries(input)) {
            if (!rows.some((row) => row._var === name)) {
              expect(mapped[name]).toBe(value);
            }
          }
          // The in-place form, for a body the request owns, gives the same context.
          expect(mapOwnRows(structuredClone(input), rows)).toEqual(mapped);
        }),
      );
    });
  });

  describe('mapOwnRows', () => {
    it('adds the rows to the parsed object itself, as mapRows would to a copy', () => {
      const rows = [{ key: 'order.status', _var: 'body_$0' }, { key: 'missing', _var: 'body_$1' }];
      const body = { order: { status: 'paid' }, n: 1 };
      const expected = mapRows(structuredClone(body), rows);
      expect(mapOwnRows(body, rows)).toBe(body);
      expect(body).toEqual(expected);
    });

    it('reads every row from the input before writing one (a row named like a key another row reads through)', () => {
      const rows = [{ key: 'a.b', _var: 'a' }, { key: 'a.c', _var: 'c' }];
      expect(mapOwnRows({ a: { b: 1, c: 2 } }, rows)).toEqual({ a: 1, c: 2 });
    });

    it('copies an array into an index-keyed object, as mapRows does', () => {
      const source = [{ id: 7 }];
      const mapped = mapOwnRows(source, [{ key: '[0].id', _var: 'body_$0' }]);
      expect(mapped).toEqual({ 0: { id: 7 }, body_$0: 7 });
      expect(source).toEqual([{ id: 7 }]);
    });
  });

  describe('mapQueryString', () => {
    it('gives each request of a repeated query string its own mapped copy, equal to the first', () => {
      const rows = [{ key: 'filter.type', _var: 'query_$0' }, { key: 'tags[1]', _var: 'query_$1' }];
      const querystring = 'filter[type]=payment&tags[0]=alpha&tags[1]=beta&cut=1';
      const first = mapQueryString(querystring, rows);
      expect(first).toEqual({ filter: { type: 'payment' }, tags: ['alpha', 'beta'], cut: '1', query_$0: 'payment', query_$1: 'beta' });
      (first.filter as Record<string, unknown>).type = 'changed';
      first.query_$0 = 'changed';
      const second = mapQueryString(querystring, rows);
      expect(second).toEqual({ filter: { type: 'payment' }, tags: ['alpha', 'beta'], cut: '1', query_$0: 'payment', query_$1: 'beta' });
      expect(mapQueryString(querystring, rows).filter).not.toBe(second.filter);
    });

    it('maps again once the rows are edited in place', () => {
      const rows = [{ key: 'a', _var: 'query_$0' }];
      expect(mapQueryString('a=1&b=2', rows).query_$0).toBe('1');
      rows[0].key = 'b';
      expect(mapQueryString('a=1&b=2', rows).query_$0).toBe('2');
    });
  });

  describe('buildWebhookContext', () => {
    it('holds headers, parsed query and body with the configured rows', () => {
      const context = buildWebhookContext(
        {
          headers: { 'x-request-id': 'r-9', authorization: 'Basic abc' },
          querystring: 'query[0][a]=1&page=2',
          body: { order: { id: 5, status: 'paid' } },
        },
        {
          headers: [{ key: 'X-Request-Id' }],
          query: [{ key: 'query[0].a', alias: 'A', _var: 'query_$0' }],
          body: [{ key: 'order.status', _var: 'body_$0' }],
        },
      );
      expect(context).toEqual({
        headers: { 'x-request-id': 'r-9', authorization: `Basic ${MASK}` },
        query: { query: [{ a: '1' }], page: '2', query_$0: '1' },
        body: { order: { id: 5, status: 'paid' }, body_$0: 'paid' },
      });
    });

    it('gives the engine plain objects (Object.prototype, no own __proto__ surprises) at every level it copies', () => {
      const request = { headers: { 'x-a': '1', authorization: 'Bearer t' }, querystring: 'f[x]=1&list[0]=a', body: { a: { b: 1 } } };
      const rows = { query: [{ key: 'f.x', _var: 'query_$0' }], body: [{ key: 'a.b', _var: 'body_$0' }] };
      // Twice: the second query string comes from the parse cache, as a copy.
      for (const context of [buildWebhookContext(request, rows), buildWebhookContext(request, rows)]) {
        expect([context.headers, context.query, context.query.f, context.body].every((value) => isPlainObject(value))).toBe(true);
        expect((context.query.f as { toString: unknown }).toString).toBe(Object.prototype.toString);
      }
    });
  });
});
