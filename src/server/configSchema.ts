import Joi from 'joi';

import { FORBIDDEN_PATH_SEGMENTS, HEADER_NAME_PATTERN } from '../common/constants';

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

export const webhookTriggerConfigSchema = Joi.object({
  basicAuthentication: Joi.alternatives().conditional(Joi.object(), {
    then: basicCredentials,
    otherwise: Joi.boolean().valid(false).allow(null).messages({
      'any.only': '{{#label}} must be false, or an object with a user name and a password',
    }),
  }),
  request: Joi.object({
    headers: Joi.array().items(headerRow),
    query: Joi.array().items(pathRow),
    body: Joi.array().items(pathRow),
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
