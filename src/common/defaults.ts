import { DEFAULT_ASYNC_BODY, DEFAULT_ASYNC_STATUS_CODE } from './constants';
import { DEFAULT_REQUEST_LOG } from './requestLog';
import type { WebhookTriggerConfig } from './types';

export function createDefaultTriggerConfig(): WebhookTriggerConfig {
  return {
    basicAuthentication: false,
    request: {},
    response: { statusCode: DEFAULT_ASYNC_STATUS_CODE, body: DEFAULT_ASYNC_BODY },
    requestLog: { ...DEFAULT_REQUEST_LOG },
  };
}
