/**
 * The seed example of a synchronous webhook workflow (as in src/server/__tests__/response.test.ts): a Condition on
 * `{{$context.body.status}}` == 'paid' -> a 200 Response, otherwise a 400 Response.
 */
const ON_TRUE = 1;
const ON_FALSE = 0;

export const PAYMENT_EXAMPLE_NODES = {
  condition: {
    type: 'condition',
    config: {
      rejectOnFalse: false,
      engine: 'basic',
      calculation: {
        group: { type: 'and', calculations: [{ calculator: 'equal', operands: ['{{$context.body.status}}', 'paid'] }] },
      },
    },
  },
  onTrue: {
    type: 'response',
    branchIndex: ON_TRUE,
    config: {
      statusCode: 200,
      headers: [{ name: 'X-Order', value: '{{$context.body.orderId}}' }],
      body: { received: true, orderId: '{{$context.body.orderId}}' },
    },
  },
  onFalse: {
    type: 'response',
    branchIndex: ON_FALSE,
    config: { statusCode: 400, body: { error: 'payment {{$context.body.status}}' } },
  },
};
