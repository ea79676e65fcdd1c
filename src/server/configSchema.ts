import Joi from 'joi';

import { FORBIDDEN_PATH_SEGMENTS, HEADER_NAME_PATTERN, JWT_HMAC_ALGORITHMS, JWT_KEY_ALGORITHMS } from '../common/constants';
import { REQUEST_LOG_LIMIT_MAX } from '../common/requestLog';
import { validateRange } from './security/ipAllowList';

const PRINTABLE_HEADER_VALUE = /^[\t\x20-\x7e]*$/;
const VARIABLE_NAME = /^[A-Za-z_$][\w$]*$/;

const headerName = Joi.string().pattern(HEADER_NAME_PATTERN).messages({
  'string.pattern.base': '{{#label}} must start with a letter and hold only letters, digits, "-" and "_"',
});

const responseHeader = Joi.object({
  name: headerName.required(),
  value: Joi.string().allow('').pattern(PRINTABLE_HEADER_VALUE).default('').messages({
    'string.pattern.base': '{{#label}} must hold printable ASCII characters only (no line breaks)',
  }),
});

const pathKey = Joi.string()
  .trim()
  .min(1)
  .custom((value: string, helpers) => {
    const segments = value.split(/[.[\]'"]+/).filter(Boolean);
    return segments.some((segment) => FORBIDDEN_PATH_SEGMENTS.includes(segment)) ? helpers.error('path.forbidden') : value;
  })
  .messages({ 'path.forbidden': '{{#label}} must not reach "__proto__", "constructor" or "prototype"' });

const pathRow = Joi.object({
  key: pathKey.required(),
  alias: Joi.string().allow('', null),
  _var: Joi.string().pattern(VARIABLE_NAME).messages({
    'string.pattern.base': '{{#label}} must be a plain variable name',
  }),
});

const headerRow = Joi.object({
  key: headerName.required(),
  alias: Joi.string().allow('', null),
});

const basicCredentials = Joi.object({
  username: Joi.string()
    .min(1)
    .pattern(/^[^:]*$/)
    .required()
    .messages({ 'string.pattern.base': '{{#label}} must not contain ":"' }),
  password: Joi.string().min(1).required(),
});

/** `false` (or absent) turns a check off; an object turns it on. */
function optionalCheck(schema: Joi.ObjectSchema, what: string) {
  return Joi.alternatives().conditional(Joi.object(), {
    then: schema,
    otherwise: Joi.boolean().valid(false).allow(null).messages({
      'any.only': `{{#label}} must be false, or an object with ${what}`,
    }),
  });
}

const requestHeaderName = headerName.max(256);
const secret = Joi.string().min(1).max(4096);

const signature = Joi.object({
  preset: Joi.string().valid('custom', 'github', 'stripe', 'slack', 'shopify', 'standardWebhooks'),
  algorithm: Joi.string().valid('sha1', 'sha256', 'sha512').required(),
  header: requestHeaderName.required(),
  format: Joi.string().valid('plain', 'stripe', 'standardWebhooks').default('plain'),
  prefix: Joi.string().allow('').max(64),
  encoding: Joi.string().valid('hex', 'base64').required(),
  payload: Joi.string()
    .max(256)
    .pattern(/\{body\}/)
    .messages({ 'string.pattern.base': '{{#label}} must contain {body}' }),
  timestampHeader: requestHeaderName.allow(''),
  idHeader: requestHeaderName.allow(''),
  toleranceSeconds: Joi.number().integer().min(0).max(31_536_000),
  secrets: Joi.array().items(secret).min(1).required(),
});

const headerToken = Joi.object({
  header: requestHeaderName.required(),
  token: secret.required(),
});

const jwt = Joi.object({
  header: requestHeaderName,
  algorithms: Joi.array()
    .items(Joi.string().valid(...JWT_HMAC_ALGORITHMS, ...JWT_KEY_ALGORITHMS))
    .min(1)
    .unique()
    .required(),
  secret: secret.when('algorithms', {
    is: Joi.array().items(Joi.string().valid(...JWT_HMAC_ALGORITHMS).required(), Joi.any()),
    then: Joi.required(),
  }),
  publicKey: Joi.string().max(16_384).when('algorithms', {
    is: Joi.array().items(Joi.string().valid(...JWT_KEY_ALGORITHMS).required(), Joi.any()),
    then: Joi.required(),
  }),
  issuer: Joi.string().allow(''),
  audience: Joi.string().allow(''),
});

const ipAllowList = Joi.object({
  ranges: Joi.array()
    .items(
      Joi.string()
        .trim()
        .custom((value: string, helpers) => {
          const problem = validateRange(value);
          return problem ? helpers.message({ custom: `{{#label}}: ${problem}` }) : value;
        }),
    )
    .min(1)
    .required(),
});

const idempotency = Joi.object({
  source: Joi.string().valid('header', 'body').required(),
  key: Joi.when('source', { is: 'header', then: requestHeaderName.required(), otherwise: pathKey.required() }),
  windowSeconds: Joi.number().integer().min(1).max(31_536_000),
});

const rateLimit = Joi.object({
  limit: Joi.number().integer().min(1).max(1_000_000).required(),
  windowSeconds: Joi.number().integer().min(1).max(86_400).required(),
});

export const webhookTriggerConfigSchema = Joi.object({
  basicAuthentication: optionalCheck(basicCredentials, 'a user name and a password'),
  signature: optionalCheck(signature, 'an algorithm, a header, an encoding and secrets'),
  headerToken: optionalCheck(headerToken, 'a header and a token'),
  jwt: optionalCheck(jwt, 'allowed algorithms and a secret or a public key'),
  ipAllowList: optionalCheck(ipAllowList, 'address ranges'),
  idempotency: optionalCheck(idempotency, 'a key source and a key'),
  rateLimit: optionalCheck(rateLimit, 'a limit and a window'),
  requestLog: Joi.object({
    enabled: Joi.boolean(),
    limit: Joi.number().integer().min(1).max(REQUEST_LOG_LIMIT_MAX),
    captureBody: Joi.boolean(),
  }).allow(null),
  request: Joi.object({
    headers: Joi.array().items(headerRow),
    query: Joi.array().items(pathRow),
    body: Joi.array().items(pathRow),
    contentTypes: Joi.array().items(Joi.string().valid('json', 'form', 'text', 'xml', 'multipart')).unique(),
    rawBody: Joi.boolean(),
  }).allow(null),
  response: Joi.object({
    statusCode: Joi.number().integer().min(100).max(599),
    headers: Joi.array().items(responseHeader),
    body: Joi.any(),
  }).allow(null),
});

export const responseNodeConfigSchema = Joi.object({
  statusCode: Joi.number().integer().min(200).max(599),
  headers: Joi.array().items(responseHeader),
  body: Joi.any(),
});
