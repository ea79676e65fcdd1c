import fc from 'fast-check';
import { get } from 'lodash';
import qs from 'qs';

import {
  ExampleError,
  blankRow,
  extractQueryString,
  mergeRows,
  nextVarIndex,
  parseJsonExample,
  parseQueryExample,
  parseQueryString,
  varIndexesIn,
} from '../parseExample';
import { collectPaths, formatPath } from '../paths';
import type { PathRow } from '../types';

/** Every node below the root, parents first, found independently of the code under test. */
function nodesOf(root: unknown): unknown[] {
  const nodes: unknown[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach((item) => {
        nodes.push(item);
        walk(item);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (!['__proto__', 'constructor', 'prototype'].includes(key)) {
          nodes.push(item);
          walk(item);
        }
      }
    }
  };
  walk(root);
  return nodes;
}

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ExampleError);
    expect((error as ExampleError).code).toBe(code);
    return;
  }
  throw new Error(`expected ExampleError ${code}`);
}

describe('common/parseExample', () => {
  describe('parseJsonExample', () => {
    it('gives every key path, intermediate objects included (the seed example)', () => {
      expect(parseJsonExample('{"a": 1, "b": {"c": 2}}')).toEqual(['a', 'b', 'b.c']);
    });

    it('writes array items with brackets and odd keys quoted', () => {
      expect(parseJsonExample('{"items": [{"id": 1}], "x-id": "r", "a.b": 1, "": 0, "say \\"hi\\"": 2}')).toEqual([
        'items',
        'items[0]',
        'items[0].id',
        'x-id',
        '["a.b"]',
        '[""]',
        '["say \\"hi\\""]',
      ]);
    });

    it('handles a top-level array', () => {
      expect(parseJsonExample('[{"id": 7}]')).toEqual(['[0]', '[0].id']);
    });

    it('skips keys that would reach a prototype', () => {
      expect(parseJsonExample('{"__proto__": {"x": 1}, "ok": {"constructor": 1, "y": 2}}')).toEqual(['ok', 'ok.y']);
    });

    it('refuses what is not a JSON object or array, or has no keys', () => {
      expectCode(() => parseJsonExample(''), 'empty');
      expectCode(() => parseJsonExample('{"a": '), 'invalidJson');
      expectCode(() => parseJsonExample('42'), 'notContainer');
      expectCode(() => parseJsonExample('"text"'), 'notContainer');
      expectCode(() => parseJsonExample('{}'), 'noPaths');
    });

    it('refuses an example with more paths than a panel should hold', () => {
      const big = JSON.stringify(Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`k${i}`, i])));
      expectCode(() => parseJsonExample(big), 'tooLarge');
    });

    it('property: every path resolves with lodash.get to the node it was generated from', () => {
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
          const paths = collectPaths(value, { limit: Number.MAX_SAFE_INTEGER });
          const nodes = nodesOf(value);
          expect(paths).toHaveLength(nodes.length);
          paths.forEach((path, index) => expect(get(value, path)).toBe(nodes[index]));
        }),
        { numRuns: 300 },
      );
    });

    it('property: paths survive keys made of quotes, dots, brackets and backslashes', () => {
      const key = fc.string({ unit: fc.constantFrom('a', '.', '[', ']', '"', "'", '\\', ' ', '0', '-'), maxLength: 5 });
      const tree = fc.letrec((tie) => ({
        node: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.dictionary(key, tie('node'), { maxKeys: 4 }), fc.array(tie('node'), { maxLength: 3 })),
      })).node;
      fc.assert(
        fc.property(fc.dictionary(key, tree, { maxKeys: 5 }), (value) => {
          const paths = parseJsonExampleSafe(value);
          const nodes = nodesOf(value);
          paths.forEach((path, index) => expect(get(value, path)).toBe(nodes[index]));
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('parseQueryExample', () => {
    it('takes a full URL, a query with "?" or a bare query', () => {
      const url = 'http://localhost:13000/api/webhook:trigger/1hfmkioou0d?query=1';
      expect(parseQueryExample(url)).toEqual(['query']);
      expect(parseQueryExample('?a=1&b[c]=2')).toEqual(['a', 'b', 'b.c']);
      expect(parseQueryExample('a=1')).toEqual(['a']);
      expect(extractQueryString('https://h/p?x=1#frag')).toBe('x=1');
    });

    it('turns qs arrays into query[0] and query[0].a paths (the seed example)', () => {
      expect(parseQueryExample('?query[0][a]=1&query[0][b]=2')).toEqual(['query', 'query[0]', 'query[0].a', 'query[0].b']);
      expect(parseQueryExample('list[]=p&list[]=q')).toEqual(['list', 'list[0]', 'list[1]']);
    });

    it('decodes percent-encoded names like the server', () => {
      expect(parseQueryExample('?order%5Bid%5D=7&na%20me=x')).toEqual(['order', 'order.id', '["na me"]']);
    });

    it('refuses an empty example, a URL without a query, and hostile depth', () => {
      expectCode(() => parseQueryExample('   '), 'empty');
      expectCode(() => parseQueryExample('https://example.com/hook'), 'noQuery');
      expectCode(() => parseQueryExample('https://example.com/hook?'), 'noQuery');
      expectCode(() => parseQueryExample(`a${'[b]'.repeat(25)}=1`), 'queryLimits');
    });

    it('property: every path resolves in the query the server would parse', () => {
      const name = fc.string({ minLength: 1, maxLength: 6 });
      const leaf = fc.string({ maxLength: 5 });
      const query = fc.dictionary(
        name,
        fc.oneof(leaf, fc.dictionary(name, leaf, { minKeys: 1, maxKeys: 3 }), fc.array(leaf, { minLength: 1, maxLength: 3 })),
        { minKeys: 1, maxKeys: 5 },
      );
      fc.assert(
        fc.property(query, (value) => {
          const querystring = qs.stringify(value);
          fc.pre(querystring.length > 0);
          const example = `https://example.com/api/webhook:trigger/k?${querystring}`;
          let parsed: Record<string, unknown>;
          try {
            parsed = parseQueryString(querystring);
          } catch {
            // e.g. a key "100" reads as an array index past the limit: the client must refuse what the server does.
            expectCode(() => parseQueryExample(example), 'queryLimits');
            return;
          }
          const paths = parseQueryExample(example);
          const nodes = nodesOf(parsed);
          expect(paths).toHaveLength(nodes.length);
          paths.forEach((path, index) => expect(get(parsed, path)).toBe(nodes[index]));
        }),
        { numRuns: 300 },
      );
    });
  });

  it('refuses, like the server, a key that reads as an array index past the limit (fast-check seed 840723498)', () => {
    const querystring = qs.stringify({ ' ': { '100': '' } });
    expect(() => parseQueryString(querystring)).toThrow(/Array limit/);
    expectCode(() => parseQueryExample(`https://example.com/hook?${querystring}`), 'queryLimits');
  });

  describe('formatPath', () => {
    it('spells keys lodash can read back', () => {
      expect(formatPath(['query', 0, 'a'])).toBe('query[0].a');
      expect(formatPath(['a.b', 'c'])).toBe('["a.b"].c');
      expect(formatPath(['a', 'b'], "'")).toBe("['a']['b']");
    });

    it('avoids a spelling the root holds as a key of its own', () => {
      const value = { 'a.b': 'literal', a: { b: 'nested' } };
      const paths = collectPaths(value, { limit: 10 });
      expect(paths).toEqual(['["a.b"]', 'a', "['a']['b']"]);
      expect(get(value, paths[2])).toBe('nested');
    });
  });

  describe('rows', () => {
    const rows: PathRow[] = [
      { key: 'a', alias: 'A', _var: 'body_$0' },
      { key: 'gone', alias: 'G', _var: 'body_$1' },
      { key: 'b.c', _var: 'body_$2' },
    ];

    it('keeps aliases and _vars of surviving keys, drops the others, numbers new rows after every old one', () => {
      expect(mergeRows(rows, ['a', 'b', 'b.c', 'd'], 'body')).toEqual([
        { key: 'a', alias: 'A', _var: 'body_$0' },
        { key: 'b', _var: 'body_$3' },
        { key: 'b.c', _var: 'body_$2' },
        { key: 'd', _var: 'body_$4' },
      ]);
    });

    it('never hands out an index at or below a floor (indexes used before, e.g. by later nodes)', () => {
      expect(mergeRows([], ['x'], 'query', 9)).toEqual([{ key: 'x', _var: 'query_$9' }]);
      expect(blankRow([{ key: 'x', _var: 'query_$9' }], 'query')).toEqual({ key: '', _var: 'query_$10' });
      expect(blankRow([], 'query', 4)).toEqual({ key: '', _var: 'query_$4' });
    });

    it('gives a row without _var one when it survives a parse', () => {
      expect(mergeRows([{ key: 'a', alias: 'A' }], ['a'], 'query')).toEqual([{ key: 'a', alias: 'A', _var: 'query_$0' }]);
    });

    it('finds indexes referenced in node configs, per kind', () => {
      const configs = JSON.stringify({ body: { id: '{{$context.body.body_$12}}', q: '{{$context.query.query_$3}}' } });
      expect(varIndexesIn(configs, 'body')).toEqual([12]);
      expect(varIndexesIn(configs, 'query')).toEqual([3]);
      expect(varIndexesIn('mybody_$5 body_$x', 'body')).toEqual([]);
      expect(nextVarIndex(rows, 'body')).toBe(3);
      expect(nextVarIndex(rows, 'query')).toBe(0);
    });

    it('property: _vars of a merge are unique and old ones are kept', () => {
      const key = fc.stringMatching(/^[a-c](\.[a-c])?$/);
      fc.assert(
        fc.property(fc.uniqueArray(key, { maxLength: 6 }), fc.array(key, { maxLength: 8 }), (oldKeys, paths) => {
          const old = mergeRows([], oldKeys, 'body');
          const merged = mergeRows(old, paths, 'body');
          const vars = merged.map((row) => row._var);
          expect(new Set(vars).size).toBe(vars.length);
          for (const row of merged) {
            const before = old.find((item) => item.key === row.key);
            if (before) {
              expect(row._var).toBe(before._var);
            } else {
              expect(Number(row._var?.split('$')[1])).toBeGreaterThanOrEqual(old.length);
            }
          }
        }),
      );
    });
  });
});

function parseJsonExampleSafe(value: unknown): string[] {
  try {
    return parseJsonExample(JSON.stringify(value));
  } catch (error) {
    if (error instanceof ExampleError && error.code === 'noPaths') {
      return [];
    }
    throw error;
  }
}
