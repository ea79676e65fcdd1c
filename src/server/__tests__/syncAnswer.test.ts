import { EXECUTION_STATUS } from '@nocobase/plugin-workflow';

import { FAILURE_MESSAGE, TIMEOUT_MESSAGE, decideSyncAnswer } from '../syncAnswer';

const base = { executionStatus: EXECUTION_STATUS.RESOLVED, timedOut: false, hasResponseNode: false };

describe('server/syncAnswer', () => {
  it('sends the Response node answer whatever the execution status', () => {
    const answer = { statusCode: 400, headers: [], body: { error: 'unpaid' } };
    expect(decideSyncAnswer({ ...base, answer })).toBe(answer);
    expect(decideSyncAnswer({ ...base, executionStatus: EXECUTION_STATUS.FAILED, answer })).toBe(answer);
  });

  it('answers 200 with an empty body when a flow without Response node resolved', () => {
    expect(decideSyncAnswer(base)).toEqual({ statusCode: 200, headers: [], body: '' });
  });

  it('answers 500 when a Response node exists but was not reached', () => {
    expect(decideSyncAnswer({ ...base, hasResponseNode: true })).toMatchObject({ statusCode: 500 });
  });

  it.each([
    ['failed', EXECUTION_STATUS.FAILED],
    ['errored', EXECUTION_STATUS.ERROR],
    ['never created', null],
    ['still pending', EXECUTION_STATUS.STARTED],
  ])('answers 500 without internals when the execution %s', (_label, executionStatus) => {
    expect(decideSyncAnswer({ ...base, executionStatus })).toEqual({
      statusCode: 500,
      headers: [],
      body: { errors: [{ message: FAILURE_MESSAGE }] },
    });
  });

  it('answers 408 on timeout, from the engine or from the request clock', () => {
    const timeout = { statusCode: 408, headers: [], body: { errors: [{ message: TIMEOUT_MESSAGE }] } };
    expect(decideSyncAnswer({ ...base, executionStatus: EXECUTION_STATUS.ABORTED, executionReason: 'timeout' })).toEqual(timeout);
    expect(decideSyncAnswer({ ...base, executionStatus: null, timedOut: true })).toEqual(timeout);
  });

  it('answers 500 for an execution aborted for another reason', () => {
    expect(
      decideSyncAnswer({ ...base, executionStatus: EXECUTION_STATUS.ABORTED, executionReason: 'manual_cancel' }),
    ).toMatchObject({ statusCode: 500 });
  });
});
