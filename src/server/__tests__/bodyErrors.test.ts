import { describeBodyError } from '../bodyErrors';

describe('server/bodyErrors', () => {
  it('answers 413 naming the limit for a body too large', () => {
    const error = Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large', limit: 1024 });
    expect(describeBodyError(error)).toEqual({
      statusCode: 413,
      headers: [],
      body: { errors: [{ message: 'The request body is larger than the limit of 1024 bytes' }] },
    });
  });

  it('answers 400 for a body shorter or longer than its Content-Length', () => {
    expect(describeBodyError(Object.assign(new Error('x'), { status: 400, type: 'request.size.invalid' }))).toMatchObject({
      statusCode: 400,
    });
  });

  it('leaves other errors to NocoBase', () => {
    expect(describeBodyError(new Error('database down'))).toBeNull();
    expect(describeBodyError(Object.assign(new Error('nope'), { status: 500 }))).toBeNull();
  });
});
