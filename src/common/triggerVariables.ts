import type { HeaderRow, PathRow, WebhookTriggerConfig } from './types';

/** The names under which a variable picker reads an option's label, value and children. */
export interface VariableFieldNames {
  label: string;
  value: string;
  children: string;
}

export const DEFAULT_VARIABLE_FIELD_NAMES: VariableFieldNames = {
  label: 'label',
  value: 'value',
  children: 'children',
};

/** Labels of the groups, already translated. */
export interface TriggerGroupLabels {
  headers: string;
  query: string;
  body: string;
  /** The claims of the verified JWT (`$context.auth`), offered when the trigger checks a JWT. */
  auth: string;
  /** The exact text received (`$context.rawBody`): one variable, offered when the trigger keeps it. */
  rawBody: string;
}

/** The registered claims (RFC 7519) offered under `auth`; other claims are written by hand, `{{$context.auth.x}}`. */
export const JWT_CLAIMS: readonly string[] = ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'jti'];

export type VariableOptionNode = Record<string, unknown>;

export interface VariableLeaf {
  label: string;
  value: string;
}

/** `$context.headers` holds lower-cased names (Koa's form), so a header row is read by its lower-cased name. */
export function headerVariable(row: HeaderRow): VariableLeaf {
  return { label: row.alias || row.key, value: row.key.toLowerCase() };
}

/** A query or body row is read by its stable `_var`, or by its key when it has none. */
export function pathVariable(row: PathRow): VariableLeaf {
  return { label: row.alias || row.key, value: row._var || row.key };
}

function withoutBlankKeys<Row extends { key: string }>(rows: readonly Row[] | undefined): Row[] {
  return (rows ?? []).filter((row) => typeof row.key === 'string' && row.key.trim() !== '');
}

function group(
  name: Exclude<keyof TriggerGroupLabels, 'rawBody'>,
  label: string,
  leaves: VariableLeaf[],
  fieldNames: VariableFieldNames,
): VariableOptionNode | null {
  if (!leaves.length) {
    return null;
  }
  return {
    key: name,
    [fieldNames.label]: label,
    [fieldNames.value]: name,
    [fieldNames.children]: leaves.map((leaf) => ({
      key: `${name}.${leaf.value}`,
      [fieldNames.label]: leaf.label,
      [fieldNames.value]: leaf.value,
      isLeaf: true,
    })),
  };
}

function rawBodyLeaf(label: string, fieldNames: VariableFieldNames): VariableOptionNode {
  return { key: 'rawBody', [fieldNames.label]: label, [fieldNames.value]: 'rawBody', isLeaf: true };
}

const claimVariables = (): VariableLeaf[] => JWT_CLAIMS.map((claim) => ({ label: claim, value: claim }));

/**
 * The trigger's part of the variable picker (under `$context`): headers / query / body, each listing only the
 * configured rows, labelled by alias (else key), the raw body when it is kept, and the JWT's claims when a JWT is
 * checked. Empty groups are left out.
 */
export function buildTriggerVariableOptions(
  config: Pick<WebhookTriggerConfig, 'request' | 'jwt'> | null | undefined,
  labels: TriggerGroupLabels,
  fieldNames: VariableFieldNames = DEFAULT_VARIABLE_FIELD_NAMES,
): VariableOptionNode[] {
  const request = config?.request;
  const groups = [
    group('headers', labels.headers, withoutBlankKeys(request?.headers).map(headerVariable), fieldNames),
    group('query', labels.query, withoutBlankKeys(request?.query).map(pathVariable), fieldNames),
    group('body', labels.body, withoutBlankKeys(request?.body).map(pathVariable), fieldNames),
    request?.rawBody ? rawBodyLeaf(labels.rawBody, fieldNames) : null,
    group('auth', labels.auth, config?.jwt ? claimVariables() : [], fieldNames),
  ];
  return groups.filter((item): item is VariableOptionNode => item !== null);
}
