import qs from 'qs';

import { QUERY_ARRAY_LIMIT, QUERY_DEPTH_LIMIT, QUERY_PARAMETER_LIMIT } from './constants';

/** The one way query strings are parsed, by the server for requests and by the client for pasted examples. */
export function parseQueryWithLimits(querystring: string): Record<string, unknown> {
  return qs.parse(querystring, {
    depth: QUERY_DEPTH_LIMIT,
    parameterLimit: QUERY_PARAMETER_LIMIT,
    arrayLimit: QUERY_ARRAY_LIMIT,
    throwOnLimitExceeded: true,
    strictDepth: true,
  });
}
