import { JWT_CLAIMS, buildTriggerVariableOptions } from '../triggerVariables';

const labels = {
  headers: 'Request headers',
  query: 'Query parameters',
  body: 'Request body',
  auth: 'JWT claims',
  rawBody: 'Raw body',
};

describe('common/triggerVariables', () => {
  it('lists only configured rows, labelled by alias else key, valued by _var else key', () => {
    const options = buildTriggerVariableOptions(
      {
        request: {
          headers: [{ key: 'X-Request-Id', alias: 'Request id' }, { key: 'Date' }],
          query: [{ key: 'query[0].a', alias: 'A', _var: 'query_$0' }],
          body: [{ key: 'order.status', alias: 'Status', _var: 'body_$0' }, { key: 'legacy.path' }],
        },
      },
      labels,
    );
    expect(options).toEqual([
      {
        key: 'headers',
        label: 'Request headers',
        value: 'headers',
        children: [
          { key: 'headers.x-request-id', label: 'Request id', value: 'x-request-id', isLeaf: true },
          { key: 'headers.date', label: 'Date', value: 'date', isLeaf: true },
        ],
      },
      {
        key: 'query',
        label: 'Query parameters',
        value: 'query',
        children: [{ key: 'query.query_$0', label: 'A', value: 'query_$0', isLeaf: true }],
      },
      {
        key: 'body',
        label: 'Request body',
        value: 'body',
        children: [
          { key: 'body.body_$0', label: 'Status', value: 'body_$0', isLeaf: true },
          { key: 'body.legacy.path', label: 'legacy.path', value: 'legacy.path', isLeaf: true },
        ],
      },
    ]);
  });

  it('leaves out groups without rows and rows without a key', () => {
    expect(buildTriggerVariableOptions({}, labels)).toEqual([]);
    expect(buildTriggerVariableOptions(undefined, labels)).toEqual([]);
    expect(buildTriggerVariableOptions({ request: {} }, labels)).toEqual([]);
    expect(buildTriggerVariableOptions({ request: { body: [{ key: ' ', _var: 'body_$0' }] } }, labels)).toEqual([]);
  });

  it('offers the registered JWT claims under auth while a JWT is checked', () => {
    const jwt = { header: 'Authorization', algorithms: ['HS256' as const], secret: 's' };
    expect(buildTriggerVariableOptions({ jwt }, labels)).toEqual([
      {
        key: 'auth',
        label: 'JWT claims',
        value: 'auth',
        children: JWT_CLAIMS.map((claim) => ({ key: `auth.${claim}`, label: claim, value: claim, isLeaf: true })),
      },
    ]);
    expect(JWT_CLAIMS).toEqual(expect.arrayContaining(['sub', 'iss', 'aud', 'exp']));
    const withRows = buildTriggerVariableOptions({ request: { headers: [{ key: 'Date' }] }, jwt }, labels);
    expect(withRows.map((group) => group.key)).toEqual(['headers', 'auth']);
    expect(buildTriggerVariableOptions({ jwt: false }, labels)).toEqual([]);
  });

  it('offers $context.rawBody as one variable while the raw body is kept, after the body rows', () => {
    const rawBody = { key: 'rawBody', label: 'Raw body', value: 'rawBody', isLeaf: true };
    expect(buildTriggerVariableOptions({ request: { rawBody: true } }, labels)).toEqual([rawBody]);
    const jwt = { algorithms: ['HS256' as const], secret: 's' };
    const request = { body: [{ key: 'a', _var: 'body_$0' }], rawBody: true };
    const options = buildTriggerVariableOptions({ request, jwt }, labels);
    expect(options.map((option) => option.key)).toEqual(['body', 'rawBody', 'auth']);
    expect(buildTriggerVariableOptions({ request: { rawBody: false } }, labels)).toEqual([]);
    const fieldNames = { label: 'title', value: 'name', children: 'items' };
    expect(buildTriggerVariableOptions({ request: { rawBody: true } }, labels, fieldNames)).toEqual([
      { key: 'rawBody', title: 'Raw body', name: 'rawBody', isLeaf: true },
    ]);
  });

  it('uses the field names the picker asks for', () => {
    const [headers] = buildTriggerVariableOptions({ request: { headers: [{ key: 'Date' }] } }, labels, {
      label: 'title',
      value: 'name',
      children: 'items',
    });
    expect(headers).toEqual({
      key: 'headers',
      title: 'Request headers',
      name: 'headers',
      items: [{ key: 'headers.date', title: 'Date', name: 'date', isLeaf: true }],
    });
  });
});
