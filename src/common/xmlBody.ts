import { XMLParser, type X2jOptions, type validationOptions } from 'fast-xml-parser';

/** Deepest element nesting an XML body may have. */
export const XML_DEPTH_LIMIT = 64;

/** How an XML body is checked for well-formedness before it is parsed. */
export const XML_VALIDATOR_OPTIONS: validationOptions = { allowBooleanAttributes: true };

/**
 * How an XML body becomes an object, on the server for requests and in the panel for pasted examples, so that a
 * path generated from an example reads the same value in a real request.
 */
export const XML_PARSER_OPTIONS: X2jOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  allowBooleanAttributes: true,
  // Values stay text as sent ("010", "1.50"): a workflow compares or converts them itself.
  parseTagValue: false,
  parseAttributeValue: false,
  // Entities are never expanded: no "billion laughs", no external entities; `&amp;` and the like stay as written.
  processEntities: false,
  maxNestedTags: XML_DEPTH_LIMIT,
};

export function createXmlParser(): XMLParser {
  return new XMLParser(XML_PARSER_OPTIONS);
}
