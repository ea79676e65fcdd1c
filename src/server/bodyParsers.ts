import { Readable } from 'node:stream';
import { parse as parseSecureJson } from '@hapi/bourne';
import busboy from 'busboy';
import { XMLValidator } from 'fast-xml-parser';

import { QUERY_PARAMETER_LIMIT } from '../common/constants';
import { parseQueryWithLimits } from '../common/queryString';
import type { BodyType } from '../common/types';
import { createXmlParser, XML_DEPTH_LIMIT, XML_VALIDATOR_OPTIONS } from '../common/xmlBody';

export { XML_DEPTH_LIMIT };

/** A body the sender got wrong: answered with `status` and `message`, never with a stack trace. */
export class BodyParseError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 415,
  ) {
    super(message);
  }
}

export const BODY_TYPE_MEDIA: Record<BodyType, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  text: 'text/plain',
  xml: 'application/xml',
  multipart: 'multipart/form-data',
};

const MULTIPART_FIELD_SIZE_LIMIT = 1024 * 1024;
// RFC 8259 whitespace, then an object or an array: what koa-bodyparser's strict mode accepts.
const STRICT_JSON_START = /^[\x20\x09\x0a\x0d]*[[{]/;

/** The body type of a media type (`type/subtype`, lower case); null for a type the trigger does not parse. */
function bodyTypeOfMedia(media: string): BodyType | null {
  if (media === 'application/json' || /^application\/[\w.+-]+\+json$/.test(media)) {
    return 'json';
  }
  if (media === 'application/x-www-form-urlencoded') {
    return 'form';
  }
  if (media === 'text/plain') {
    return 'text';
  }
  if (media === 'application/xml' || media === 'text/xml' || /^application\/[\w.+-]+\+xml$/.test(media)) {
    return 'xml';
  }
  return media === 'multipart/form-data' ? 'multipart' : null;
}

const KNOWN_CONTENT_TYPES_MAX = 64;
const CACHED_CONTENT_TYPE_MAX_LENGTH = 128;
/** A sender sends the same Content-Type every time: its type is worked out once (a multipart boundary changes, so is not kept). */
const knownContentTypes = new Map<string, BodyType | null>();

/** The body type of a Content-Type header value; null for a type the trigger does not parse. */
export function bodyTypeOf(contentType: string | undefined): BodyType | null {
  const header = contentType ?? '';
  const known = knownContentTypes.get(header);
  if (known !== undefined) {
    return known;
  }
  const type = bodyTypeOfMedia(header.split(';')[0].trim().toLowerCase());
  if (type !== 'multipart' && header.length <= CACHED_CONTENT_TYPE_MAX_LENGTH) {
    if (knownContentTypes.size >= KNOWN_CONTENT_TYPES_MAX) {
      knownContentTypes.clear();
    }
    knownContentTypes.set(header, type);
  }
  return type;
}

const SECURE_JSON_OPTIONS = { protoAction: 'error' } as const;

export function parseJsonBody(text: string): unknown {
  if (!text) {
    return {};
  }
  const first = text.charCodeAt(0);
  // `{` or `[` first (the usual body) needs no regex.
  if (first !== 0x7b && first !== 0x5b && !STRICT_JSON_START.test(text)) {
    throw new BodyParseError('The request body is not valid JSON (an object or an array is expected)', 400);
  }
  try {
    return parseSecureJson(text, SECURE_JSON_OPTIONS) as unknown;
  } catch (error) {
    throw new BodyParseError(`The request body is not valid JSON (an object or an array is expected): ${(error as Error).message}`, 400);
  }
}

export function parseFormBody(text: string): unknown {
  try {
    return parseQueryWithLimits(text);
  } catch (error) {
    throw new BodyParseError(`The form body was refused: ${(error as Error).message}`, 400);
  }
}

const xmlParser = createXmlParser();

/** XML into an object: attributes as `@_name`, text beside children as `#text`, no entity expansion, bounded depth. */
export function parseXmlBody(text: string): unknown {
  if (!text.trim()) {
    return {};
  }
  const valid = XMLValidator.validate(text, XML_VALIDATOR_OPTIONS);
  if (valid !== true) {
    const { msg, line } = valid.err;
    throw new BodyParseError(`The request body is not well-formed XML: ${msg} (line ${line})`, 400);
  }
  try {
    return xmlParser.parse(text) as unknown;
  } catch (error) {
    throw new BodyParseError(`The XML body was refused: ${(error as Error).message}`, 400);
  }
}

/** Text fields of a multipart body (a repeated name becomes an array); a file part is refused with 415. */
export function parseMultipartBody(bytes: Buffer, contentType: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: { fields: QUERY_PARAMETER_LIMIT, fieldSize: MULTIPART_FIELD_SIZE_LIMIT },
      });
    } catch (error) {
      reject(new BodyParseError(`The multipart body was refused: ${(error as Error).message}`, 400));
      return;
    }
    const fields: Record<string, unknown> = Object.create(null);
    let refusal: BodyParseError | null = null;
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        refusal ??= new BodyParseError(`The multipart field "${name}" is larger than ${MULTIPART_FIELD_SIZE_LIMIT} bytes`, 400);
      }
      const previous = fields[name];
      fields[name] = previous === undefined ? value : ([] as unknown[]).concat(previous, value);
    });
    parser.on('file', (name, stream) => {
      refusal ??= new BodyParseError(`File uploads are not accepted (multipart part "${name}"): send text fields only`, 415);
      stream.resume();
    });
    parser.on('fieldsLimit', () => {
      refusal ??= new BodyParseError(`The multipart body has more than ${QUERY_PARAMETER_LIMIT} fields`, 400);
    });
    parser.on('error', (error: Error) => reject(new BodyParseError(`The multipart body was refused: ${error.message}`, 400)));
    parser.on('close', () => (refusal ? reject(refusal) : resolve({ ...fields })));
    Readable.from([bytes]).pipe(parser);
  });
}

const TEXT_TYPES = new Set<BodyType | null>(['json', 'form', 'text', 'xml']);

/** Whether a body of this type is parsed from its UTF-8 text (multipart is parsed from its bytes, the rest not at all). */
export function isTextType(type: BodyType | null): boolean {
  return TEXT_TYPES.has(type);
}

/**
 * Parses a body by its type; a type the trigger does not parse leaves `{}` (the raw text stays available). `text` is
 * the bytes as UTF-8 text, for a caller that decoded them already for other uses too.
 */
export function parseBodyOfType(type: BodyType | null, bytes: Buffer, contentType: string, text?: string): unknown {
  if (!bytes.length) {
    return type === 'text' ? '' : {};
  }
  const decoded = isTextType(type) ? (text ?? bytes.toString('utf8')) : '';
  switch (type) {
    case 'json':
      return parseJsonBody(decoded);
    case 'form':
      return parseFormBody(decoded);
    case 'text':
      return decoded;
    case 'xml':
      return parseXmlBody(decoded);
    case 'multipart':
      return parseMultipartBody(bytes, contentType);
    default:
      return {};
  }
}
