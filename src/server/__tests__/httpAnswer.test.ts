import { buildAsyncAnswer, normalizeHttpAnswer, sanitizeHeaderValue } from '../httpAnswer';

const context = {
  headers: { 'x-request-id': 'r-1' },
  query: { page: '2' },
  body: { order: { id: 42, status: 'paid' } },
};

describe('server/httpAnswer', () => {
  describe('sanitizeHeaderValue', () => {
    it('drops CR, LF, other control characters and non-ASCII', () => {
      expect(sanitizeHeaderValue('ok\r\nSet-Cookie: x=1')).toBe('okSet-Cookie: x=1');
      expect(sanitizeHeaderValue('caf\u00e9 \u2603\u0000\tend')).toBe('caf \tend');
    });

    it('writes objects as JSON and nothing for null', () => {
      expect(sanitizeHeaderValue({ a: 1 })).toBe('{"a":1}');
      expect(sanitizeHeaderValue(null)).toBe('');
      expect(sanitizeHeaderValue(7)).toBe('7');
    });
  });

  describe('normalizeHttpAnswer', () => {
    it('falls back to the defaults for a missing or invalid status and a missing body', () => {
      expect(normalizeHttpAnswer({}, 200, 'ok')).toEqual({ statusCode: 200, headers: [], body: 'ok' });
      expect(normalizeHttpAnswer({ statusCode: 42 }, 200, {})).toMatchObject({ statusCode: 200 });
      expect(normalizeHttpAnswer({ statusCode: '201' as unknown as number }, 200, {})).toMatchObject({ statusCode: 201 });
    });

    it('keeps an explicit null body and drops headers without a name', () => {
      expect(
        normalizeHttpAnswer({ body: null, headers: [{ name: '', value: 'x' }, { name: 'X-A', value: 'a' }] }, 200, 'ok'),
      ).toEqual({ statusCode: 200, headers: [{ name: 'X-A', value: 'a' }], body: null });
    });
  });

  describe('buildAsyncAnswer', () => {
    it('answers 200 ok without a response config', () => {
      expect(buildAsyncAnswer(undefined, context)).toEqual({ statusCode: 200, headers: [], body: 'ok' });
    });

    it('renders request variables in headers and body', () => {
      const answer = buildAsyncAnswer(
        {
          statusCode: 202,
          headers: [{ name: 'X-Order', value: 'order-{{$context.body.order.id}}' }],
          body: { received: '{{$context.body.order.status}}', page: '{{$context.query.page}}', id: '{{$context.body.order.id}}' },
        },
        context,
      );
      expect(answer).toEqual({
        statusCode: 202,
        headers: [{ name: 'X-Order', value: 'order-42' }],
        body: { received: 'paid', page: '2', id: 42 },
      });
    });

    it('strips line breaks that a rendered header value brings in', () => {
      const answer = buildAsyncAnswer(
        { headers: [{ name: 'X-Echo', value: '{{$context.body.note}}' }] },
        { ...context, body: { note: 'a\r\nInjected: yes' } },
      );
      expect(answer.headers).toEqual([{ name: 'X-Echo', value: 'aInjected: yes' }]);
    });
  });
});
