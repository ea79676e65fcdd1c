import React, { useMemo, useRef, useState } from 'react';
import { Alert, Button, Input, Popconfirm, Select, Space, Typography } from 'antd';
import { useFlowContext } from '@nocobase/plugin-workflow/client';

import { checkPathKey } from '../../common/configChecks';
import { QUERY_DEPTH_LIMIT, QUERY_PARAMETER_LIMIT } from '../../common/constants';
import {
  EXAMPLE_PATH_LIMIT,
  ExampleError,
  blankRow,
  mergeRows,
  nextVarIndex,
  parseBodyExample,
  parseQueryExample,
  varIndexesIn,
} from '../../common/parseExample';
import type { ExampleBodyType, RowKind } from '../../common/parseExample';
import type { PathRow } from '../../common/types';
import { type Translate, useTranslate } from '../locale';
import { bodyTypeLabels } from './BodyTypes';
import { RowList } from './RowList';

interface PathRowsProps {
  kind: RowKind;
  value?: PathRow[] | null;
  onChange?(rows: PathRow[]): void;
  disabled?: boolean;
}

export function exampleErrorMessage(error: unknown, t: Translate): string {
  if (!(error instanceof ExampleError)) {
    return t('The example could not be parsed');
  }
  switch (error.code) {
    case 'empty':
      return t('Enter an example first');
    case 'noQuery':
      return t('The example has no query string');
    case 'queryLimits':
      return t('The query string exceeds the limits (at most {{parameters}} parameters, {{depth}} levels)', {
        parameters: QUERY_PARAMETER_LIMIT,
        depth: QUERY_DEPTH_LIMIT,
      });
    case 'formLimits':
      return t('The form example exceeds the limits (at most {{parameters}} parameters, {{depth}} levels)', {
        parameters: QUERY_PARAMETER_LIMIT,
        depth: QUERY_DEPTH_LIMIT,
      });
    case 'invalidJson':
      return t('Invalid JSON: {{detail}}', { detail: error.detail, interpolation: { escapeValue: false } });
    case 'invalidXml':
      return t('Invalid XML: {{detail}}', { detail: error.detail, interpolation: { escapeValue: false } });
    case 'notContainer':
      return t('The example must be a JSON object or array');
    case 'noPaths':
      return t('The example has no keys to parse');
    case 'tooLarge':
      return t('The example has more than {{limit}} paths; shorten it', { limit: EXAMPLE_PATH_LIMIT });
    default:
      return t('The example could not be parsed');
  }
}

/** The first index no node of this workflow references: `_var`s used by later nodes are never handed out again. */
export function useReferencedFloor(kind: RowKind): number {
  const { nodes } = useFlowContext();
  return useMemo(() => {
    const configs = JSON.stringify((nodes ?? []).map((node) => node.config ?? {}));
    return Math.max(0, ...varIndexesIn(configs, kind).map((index) => index + 1));
  }, [nodes, kind]);
}

type ExampleType = ExampleBodyType | 'auto';

const BODY_PLACEHOLDER = [
  '{"a": 1, "b": {"c": 2}}',
  'a=1&b[c]=2',
  '<order id="7"><status>paid</status></order>',
].join('\n');

/** What a Parse of a body example found: its type, named after the parse (a text body has no paths to show). */
function ParsedTypeNote({ type }: { type: ExampleBodyType }) {
  const t = useTranslate();
  if (type === 'text') {
    return (
      <Alert
        type="info"
        showIcon
        data-testid="webhook-body-note"
        message={t(
          'A text body has no paths: the whole text is the body. To use it in later nodes, turn on "Keep the raw body as a variable".',
        )}
      />
    );
  }
  return (
    <Typography.Text type="secondary" data-testid="webhook-body-note">
      {t('Parsed as {{type}}', { type: bodyTypeLabels(t)[type] })}
    </Typography.Text>
  );
}

/**
 * Query or body rows: an example (a URL or query string; a JSON, form, XML or text body) with a Parse button that
 * replaces the rows by the example's paths, keeping aliases and `_var`s of surviving keys; rows can also be edited,
 * added and deleted. A body example is read as the type chosen next to Parse, or as the type its text shows.
 */
export function PathRows({ kind, value, onChange, disabled }: PathRowsProps) {
  const t = useTranslate();
  const rows = value ?? [];
  const [example, setExample] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [exampleType, setExampleType] = useState<ExampleType>('auto');
  const [parsedType, setParsedType] = useState<ExampleBodyType | null>(null);
  const referencedFloor = useReferencedFloor(kind);
  // Highest index handed out during this edit, so a row deleted and re-added does not get a used name back.
  const floor = useRef(0);
  floor.current = Math.max(floor.current, referencedFloor, nextVarIndex(rows, kind));

  const commit = (next: PathRow[]) => {
    floor.current = nextVarIndex(next, kind, floor.current);
    onChange?.(next);
  };

  const onParse = () => {
    try {
      const parsed =
        kind === 'query' ? { type: null, paths: parseQueryExample(example) } : parseBodyExample(example, exampleType);
      setError(null);
      setParsedType(parsed.type);
      // A text body has no paths: its rows stay as they are.
      if (parsed.type !== 'text') {
        commit(mergeRows(rows, parsed.paths, kind, floor.current));
      }
    } catch (caught) {
      setParsedType(null);
      setError(exampleErrorMessage(caught, t));
    }
  };

  const onExampleChange = (text: string) => {
    setExample(text);
    setParsedType(null);
  };

  const exampleLabel = kind === 'query' ? t('Query example') : t('Body example');
  const exampleInput =
    kind === 'query' ? (
      <Input
        value={example}
        placeholder={t('A full URL, or just its query: ?a=1&b[c]=2')}
        aria-label={exampleLabel}
        disabled={disabled}
        status={error ? 'error' : undefined}
        onChange={(event) => onExampleChange(event.target.value)}
        onPressEnter={onParse}
      />
    ) : (
      <Input.TextArea
        value={example}
        placeholder={BODY_PLACEHOLDER}
        aria-label={exampleLabel}
        disabled={disabled}
        status={error ? 'error' : undefined}
        autoSize={{ minRows: 3, maxRows: 12 }}
        style={{ fontFamily: 'monospace' }}
        onChange={(event) => onExampleChange(event.target.value)}
      />
    );
  const typeLabels = bodyTypeLabels(t);
  const exampleTypes: ExampleType[] = ['auto', 'json', 'form', 'xml', 'text'];

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={`webhook-${kind}`}>
      {exampleInput}
      {error ? <Alert type="error" showIcon message={error} role="alert" data-testid={`webhook-${kind}-error`} /> : null}
      {parsedType ? <ParsedTypeNote type={parsedType} /> : null}
      <Space>
        {kind === 'body' ? (
          <Select<ExampleType>
            size="small"
            value={exampleType}
            disabled={disabled}
            aria-label={t('Example type')}
            popupMatchSelectWidth={false}
            options={exampleTypes.map((type) => ({
              value: type,
              label: type === 'auto' ? t('Detect automatically') : typeLabels[type],
            }))}
            onChange={setExampleType}
          />
        ) : null}
        <Button size="small" disabled={disabled} onClick={onParse}>
          {t('Parse')}
        </Button>
        <Popconfirm
          title={t('Clear all rows?')}
          okText={t('Clear')}
          cancelText={t('Cancel')}
          disabled={disabled || !rows.length}
          onConfirm={() => commit([])}
        >
          <Button size="small" danger disabled={disabled || !rows.length}>
            {t('Clear rows')}
          </Button>
        </Popconfirm>
      </Space>
      <RowList<PathRow>
        rows={rows}
        onChange={commit}
        createRow={() => blankRow(rows, kind, floor.current)}
        checkKey={checkPathKey}
        keyPlaceholder={t('Key path')}
        addLabel={kind === 'query' ? t('Add query parameter') : t('Add body field')}
        disabled={disabled}
        testId={`webhook-${kind}-rows`}
      />
    </Space>
  );
}
