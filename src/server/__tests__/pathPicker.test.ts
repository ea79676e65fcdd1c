import fc from 'fast-check';
import { pick } from 'lodash';

import { compilePathPicker } from '../pathPicker';

describe('compilePathPicker', () => {
  it('picks what lodash.pick picks', () => {
    const segment = fc.constantFrom('a', 'b', 'header', 'x-role', '0', 'a.b', 'constructor');
    const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 0 }),
        fc.dictionary(segment, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(segment, value, { maxKeys: 5 }), fc.array(path, { maxLength: 6 }), (source, paths) => {
        expect(compilePathPicker(paths)(source)).toEqual(pick(source, paths));
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads the whitelisted headers of a request and nothing else', () => {
    const picker = compilePathPicker(['action', 'header.x-role', 'header.referer']);
    const source = { method: 'POST', header: { 'x-role': 'admin', authorization: 'Basic c2VjcmV0' } };
    expect(picker(source)).toEqual({ header: { 'x-role': 'admin' } });
    expect(picker({ header: {} })).toEqual({});
  });

  it('reads getters only for the paths it picks', () => {
    let headerReads = 0;
    const source = {
      status: 200,
      get header() {
        headerReads += 1;
        return { 'content-type': 'application/json' };
      },
    };
    expect(compilePathPicker(['status'])(source)).toEqual({ status: 200 });
    expect(headerReads).toBe(0);
  });
});
