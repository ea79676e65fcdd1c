import React from 'react';
import { Alert } from 'antd';
import { Trigger } from '@nocobase/plugin-workflow/client';
import type { UseVariableOptions, VariableOption } from '@nocobase/plugin-workflow/client';

import {
  type CheckMessage,
  type CheckProblem,
  checkBasicAuth,
  checkHeaderRows,
  checkHeaderToken,
  checkIdempotency,
  checkIpAllowList,
  checkJwt,
  checkPathRows,
  checkRateLimit,
  checkResponseHeaders,
  checkSignature,
  checkStatusCode,
} from '../common/configChecks';
import { createDefaultTriggerConfig } from '../common/defaults';
import { buildTriggerVariableOptions, DEFAULT_VARIABLE_FIELD_NAMES } from '../common/triggerVariables';
import type { WebhookTriggerConfig, WebhookResponseConfig } from '../common/types';
import { AsyncResponse, triggerGroupLabels } from './components/AsyncResponse';
import { BasicAuthentication } from './components/BasicAuthentication';
import { AcceptedContentTypes, RawBodySwitch } from './components/BodyTypes';
import { HeaderRows } from './components/HeaderRows';
import { HeaderToken } from './components/HeaderToken';
import { Idempotency } from './components/Idempotency';
import { IpAllowList } from './components/IpAllowList';
import { JwtVerification } from './components/JwtVerification';
import { PathRows } from './components/PathRows';
import { RateLimit } from './components/RateLimit';
import { RequestLog } from './components/RequestLog';
import { Section } from './components/Section';
import { SignatureVerification } from './components/SignatureVerification';
import { TestRequestListener } from './components/TestRequestListener';
import { WebhookUrl } from './components/WebhookUrl';
import { type Translate, translateCheck, useTranslate, tval } from './locale';

function CreateNote() {
  const t = useTranslate();
  return (
    <Alert
      type="info"
      showIcon
      message={t(
        'After creating the workflow, its trigger shows the URL to call, and lets you set authentication, request parsing and (asynchronous workflows) the response.',
      )}
    />
  );
}

/** Formily validators return the message to show under the field, translated. */
function validator<Value>(
  check: (value: Value) => CheckMessage | CheckProblem | null,
  t: Translate,
  values?: Record<string, unknown>,
) {
  return (value: Value) => {
    const problem = check(value);
    return problem ? translateCheck(t, problem, values) : undefined;
  };
}

/**
 * An optional check below Basic authentication: off (`false`) by default, its switch reveals its settings.
 * `description` is a `tval(...)` template.
 */
function optionalCheckField<Value>(
  component: string,
  description: string,
  check: (value: Value) => CheckMessage | CheckProblem | null,
  t: Translate,
) {
  return {
    description,
    'x-decorator': 'FormItem',
    'x-component': component,
    'x-validator': validator(check, t),
    default: false,
  };
}

function checkAsyncResponse(response: WebhookResponseConfig | null | undefined) {
  if (!response) {
    return null;
  }
  return (
    (response.statusCode === undefined ? null : checkStatusCode(response.statusCode, 100, 599)) ??
    checkResponseHeaders(response.headers)
  );
}

/** The "Webhook event" trigger: sync or async (the workflow decides), configured in the drawer of the trigger node. */
export class WebhookTrigger extends Trigger {
  title = tval('Webhook event');
  description = tval(
    'Triggered when a third-party system sends an HTTP POST request to the URL generated for this workflow.',
  );

  // The create dialog has no settings to ask for; hidden fields carry the defaults into the new workflow.
  presetFieldset = {
    note: { type: 'void', 'x-component': 'CreateNote' },
    ...Object.fromEntries(
      Object.entries(createDefaultTriggerConfig()).map(([name, value]) => [
        name,
        { type: typeof value === 'object' ? 'object' : 'boolean', default: value, 'x-hidden': true },
      ]),
    ),
  };

  fieldset: NonNullable<Trigger['fieldset']>;

  components = {
    AcceptedContentTypes,
    AsyncResponse,
    BasicAuthentication,
    CreateNote,
    HeaderRows,
    HeaderToken,
    Idempotency,
    IpAllowList,
    JwtVerification,
    PathRows,
    RateLimit,
    RawBodySwitch,
    RequestLog,
    Section,
    SignatureVerification,
    TestRequestListener,
    WebhookUrl,
  };

  constructor(private readonly translate: Translate) {
    super();
    this.fieldset = this.createFieldset(translate);
  }

  createDefaultConfig(): Record<string, unknown> {
    return { ...createDefaultTriggerConfig() };
  }

  validate(): boolean {
    return true;
  }

  useVariables = (
    config: WebhookTriggerConfig | Record<string, unknown> | null | undefined,
    options?: UseVariableOptions,
  ) => {
    const fieldNames = { ...DEFAULT_VARIABLE_FIELD_NAMES, ...options?.fieldNames };
    return buildTriggerVariableOptions(
      config as WebhookTriggerConfig | null | undefined,
      triggerGroupLabels(this.translate),
      fieldNames,
    ) as VariableOption[];
  };

  private createFieldset(t: Translate): NonNullable<Trigger['fieldset']> {
    return {
      webhookUrl: {
        type: 'void',
        title: tval('Webhook URL'),
        description: tval('Only POST requests are accepted; other methods get 405.'),
        'x-decorator': 'FormItem',
        'x-component': 'WebhookUrl',
      },
      testRequest: {
        type: 'void',
        title: tval('Test request'),
        description: tval(
          'For 2 minutes, the next request to the URL (any method, even while the workflow is off) is captured and shown here instead of running the workflow.',
        ),
        'x-decorator': 'FormItem',
        'x-component': 'TestRequestListener',
      },
      basicAuthentication: {
        title: tval('Security'),
        description: tval('When set, requests without these credentials, or with wrong ones, get 401.'),
        'x-decorator': 'FormItem',
        'x-component': 'BasicAuthentication',
        'x-validator': validator(checkBasicAuth, t),
        default: false,
      },
      signature: optionalCheckField(
        'SignatureVerification',
        tval(
          'Requests whose body is not signed with one of the secrets get 401. The signature is computed over the exact bytes received.',
        ),
        checkSignature,
        t,
      ),
      headerToken: optionalCheckField('HeaderToken', tval('Requests without this token get 401.'), checkHeaderToken, t),
      jwt: optionalCheckField(
        'JwtVerification',
        tval('Requests without a valid JWT (signature, algorithm, expiry, issuer and audience) get 401.'),
        checkJwt,
        t,
      ),
      ipAllowList: optionalCheckField(
        'IpAllowList',
        tval(
          'IPv4 or IPv6 addresses and CIDR ranges, one per line, e.g. 203.0.113.0/24 or 2001:db8::/32. Requests from other addresses get 403.',
        ),
        checkIpAllowList,
        t,
      ),
      idempotency: optionalCheckField(
        'Idempotency',
        tval('A repeated delivery (same key) within the window starts no second run and gets the first answer again.'),
        checkIdempotency,
        t,
      ),
      rateLimit: optionalCheckField(
        'RateLimit',
        tval('Requests beyond the limit within a window get 429 with a Retry-After header.'),
        checkRateLimit,
        t,
      ),
      request: {
        type: 'object',
        'x-component': 'Section',
        'x-component-props': {
          title: tval('Request data parsing'),
          description: tval(
            'Parsed values become trigger variables that later nodes can use. Aliases are the names shown in the variable picker.',
          ),
        },
        properties: {
          headers: {
            title: tval('Request headers'),
            description: tval('Names of the headers to use, e.g. Date or X-Request-Id.'),
            'x-decorator': 'FormItem',
            'x-component': 'HeaderRows',
            'x-validator': validator(checkHeaderRows, t),
          },
          query: {
            title: tval('Query parameters'),
            description: tval(
              'Paste an example URL (or just its query) and press Parse: nested parameters become paths such as query[0] and query[0].a.',
            ),
            'x-decorator': 'FormItem',
            'x-component': 'PathRows',
            'x-component-props': { kind: 'query' },
            'x-validator': validator(checkPathRows, t),
          },
          body: {
            title: tval('Request body'),
            description: tval(
              'Paste an example body (JSON, form-encoded or XML) and press Parse: every key becomes a path, nested ones too (a, b, b.c; an XML attribute as order.@_id). The body is parsed by the Content-Type of each request.',
            ),
            'x-decorator': 'FormItem',
            'x-component': 'PathRows',
            'x-component-props': { kind: 'body' },
            'x-validator': validator(checkPathRows, t),
          },
          contentTypes: {
            title: tval('Accepted content types'),
            description: tval('Requests with another body type get 415. None chosen accepts them all.'),
            'x-decorator': 'FormItem',
            'x-component': 'AcceptedContentTypes',
          },
          rawBody: {
            description: tval(
              'Also keeps the exact text received as the trigger variable Raw body, for bodies the fields above cannot read.',
            ),
            'x-decorator': 'FormItem',
            'x-component': 'RawBodySwitch',
          },
        },
      },
      response: {
        title: tval('Response settings'),
        'x-decorator': 'FormItem',
        'x-component': 'AsyncResponse',
        'x-validator': validator(checkAsyncResponse, t, { min: 100, max: 599 }),
      },
      requestLog: {
        title: tval('Request log'),
        description: tval(
          'The last requests to the URL with their answer: status, the check that refused them, size, duration and execution. Headers and credentials are never stored.',
        ),
        'x-decorator': 'FormItem',
        'x-component': 'RequestLog',
      },
    };
  }
}
