import fc from 'fast-check';
import { get } from 'lodash';
import qs from 'qs';

import { parseFormBody, parseXmlBody } from '../../server/bodyParsers';
import {
  ExampleError,
  blankRow,
  detectBodyType,
  extractQueryString,
  mergeRows,
  nextVarIndex,
  parseBodyExample,
  parseFormExample,
  parseJsonExample,
  parseQueryExample,
  parseQueryString,
  parseXmlExample,
  varIndexesIn,
} from '../parseExample';
import { collectPaths, formatPath } from '../paths';
import type { PathRow } from '../types';
import { XML_DEPTH_LIMIT } from '../xmlBody';

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

/** Objects qs can write and read back: names, and values that are text, flat objects or arrays of text. */
function qsObject(): fc.Arbitrary<Record<string, unknown>> {
  const name = fc.string({ minLength: 1, maxLength: 6 });
  const leaf = fc.string({ maxLength: 5 });
  const nested = fc.oneof(
    leaf,
    fc.dictionary(name, leaf, { minKeys: 1, maxKeys: 3 }),
    fc.array(leaf, { minLength: 1, maxLength: 3 }),
  );
  return fc.dictionary(name, nested, { minKeys: 1, maxKeys: 5 });
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
      fc.assert(
        fc.property(qsObject(), (value) => {
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

  describe('body examples of every type', () => {
    it('reads a form example as the server reads a form body (the Twilio example)', () => {
      expect(parseBodyExample('From=%2B1555&Body=hi&a[b]=1')).toEqual({
        type: 'form',
        paths: ['From', 'Body', 'a', 'a.b'],
      });
      expect(parseFormExample('list[]=p&list[]=q\n')).toEqual(['list', 'list[0]', 'list[1]']);
    });

    it('reads an XML example as the server reads an XML body: attributes as @_name, no declaration rows', () => {
      const xml = '<order id="7"><status>paid</status></order>';
      expect(parseBodyExample(xml)).toEqual({ type: 'xml', paths: ['order', 'order.status', 'order.@_id'] });
      const parsed = parseXmlBody(xml);
      expect(get(parsed, 'order.@_id')).toBe('7');
      expect(get(parsed, 'order.status')).toBe('paid');
      const document = '\n<?xml version="1.0"?>\n<a x.y="1"><b>1</b><b>2</b><c k="v">t</c></a>\n';
      const paths = ['a', 'a.b', 'a.b[0]', 'a.b[1]', 'a.c', 'a.c.#text', 'a.c.@_k', 'a["@_x.y"]'];
      expect(parseXmlExample(document)).toEqual(paths);
    });

    it('gives a text example no paths', () => {
      expect(parseBodyExample('hello there')).toEqual({ type: 'text', paths: [] });
      expect(parseBodyExample('a=1', 'text')).toEqual({ type: 'text', paths: [] });
    });

    it('detects the type from the text, and takes the type given instead', () => {
      expect(detectBodyType('  {"a": 1}')).toBe('json');
      expect(detectBodyType('[1]')).toBe('json');
      expect(detectBodyType('\n<a/>')).toBe('xml');
      expect(detectBodyType('a=1&b=2')).toBe('form');
      expect(detectBodyType('x=1 is not a form')).toBe('text');
      expect(detectBodyType('42')).toBe('text');
      expect(parseBodyExample('{"a":1}', 'form')).toEqual({ type: 'form', paths: ['["{\\"a\\":1}"]'] });
    });

    it('refuses what the server refuses, with the reason', () => {
      expectCode(() => parseBodyExample('  '), 'empty');
      expectCode(() => parseBodyExample('  ', 'text'), 'empty');
      expectCode(() => parseXmlExample('<a>\n<b></a>'), 'invalidXml');
      expect(() => parseXmlExample('<a>\n<b></a>')).toThrow(/line 2/);
      const xxe = '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>';
      expectCode(() => parseXmlExample(xxe), 'invalidXml');
      const deep = (levels: number) => `${'<a>'.repeat(levels)}x${'</a>'.repeat(levels)}`;
      expect(parseXmlExample(deep(XML_DEPTH_LIMIT - 1))).toHaveLength(XML_DEPTH_LIMIT - 1);
      expect(() => parseXmlBody(deep(1000))).toThrow();
      expectCode(() => parseXmlExample(deep(1000)), 'invalidXml');
      expectCode(() => parseFormExample(`a${'[b]'.repeat(25)}=1`), 'formLimits');
      expectCode(() => parseBodyExample('<a/>', 'json'), 'invalidJson');
    });

    it('property: every path of a form example resolves in the body the server would parse', () => {
      fc.assert(
        fc.property(qsObject(), (value) => {
          const text = qs.stringify(value);
          fc.pre(text.length > 0);
          let parsed: unknown;
          try {
            parsed = parseFormBody(text);
          } catch {
            expectCode(() => parseFormExample(text), 'formLimits');
            return;
          }
          const paths = parseFormExample(text);
          const nodes = nodesOf(parsed);
          expect(paths).toHaveLength(nodes.length);
          paths.forEach((path, index) => expect(get(parsed, path)).toBe(nodes[index]));
        }),
        { numRuns: 300 },
      );
    });

    it('property: every path of an XML example resolves in the body the server would parse', () => {
      interface XmlElement {
        name: string;
        attributes: [string, string][];
        content: string | XmlElement[];
      }
      const name = fc.constantFrom('a', 'b', 'item', 'x-y', 'a.b', 'ns:c', '_d');
      const text = fc.string({ unit: fc.constantFrom('a', '0', '.', ' ', '-', '&amp;', 'é', '"'), maxLength: 6 });
      const attributeValue = text.map((value) => value.replace(/"/g, ''));
      const attribute = fc.tuple(fc.constantFrom('id', 'type', 'x.y', 'ns:k'), attributeValue);
      const element: fc.Arbitrary<XmlElement> = fc.letrec<{ element: XmlElement }>((tie) => ({
        element: fc.record({
          name,
          attributes: fc.uniqueArray(attribute, { selector: ([key]) => key, maxLength: 2 }),
          content: fc.oneof({ depthSize: 'small' }, text, fc.array(tie('element'), { maxLength: 3 })),
        }),
      })).element;
      const render = ({ name: tag, attributes, content }: XmlElement): string => {
        const attrs = attributes.map(([key, value]) => ` ${key}="${value}"`).join('');
        const inner = typeof content === 'string' ? content : content.map(render).join('');
        return `<${tag}${attrs}>${inner}</${tag}>`;
      };
      fc.assert(
        fc.property(element, fc.boolean(), (root, declared) => {
          const xml = `${declared ? '<?xml version="1.0" encoding="UTF-8"?>\n' : ''}${render(root)}`;
          const parsed = parseXmlBody(xml) as Record<string, unknown>;
          const { '?xml': declaration, ...data } = parsed;
          expect(declaration !== undefined).toBe(declared);
          const paths = parseXmlExample(xml);
          const nodes = nodesOf(data);
          expect(paths).toHaveLength(nodes.length);
          paths.forEach((path, index) => expect(get(parsed, path)).toBe(nodes[index]));
        }),
        { numRuns: 300 },
      );
    });
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
