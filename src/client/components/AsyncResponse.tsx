import React, { useMemo, useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Radio, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { observer, useForm } from '@formily/react';
import { Variable, type VariableScopeOption } from '@nocobase/client';
import { useFlowContext } from '@nocobase/plugin-workflow/client';

import { checkHeaderName } from '../../common/configChecks';
import { DEFAULT_ASYNC_BODY, DEFAULT_ASYNC_STATUS_CODE } from '../../common/constants';
import { type BodyFormat, bodyFormatOf, convertBody, isDefaultAsyncResponse } from '../../common/responseSettings';
import { buildTriggerVariableOptions, type TriggerGroupLabels } from '../../common/triggerVariables';
import type { ResponseHeader, WebhookResponseConfig, WebhookTriggerConfig } from '../../common/types';
import { type Translate, useTranslate } from '../locale';

export interface AsyncResponseProps {
  value?: WebhookResponseConfig | null;
  onChange?(value: WebhookResponseConfig): void;
  disabled?: boolean;
}

export function triggerGroupLabels(t: Translate): TriggerGroupLabels {
  return {
    headers: t('Request headers'),
    query: t('Query parameters'),
    body: t('Request body'),
    auth: t('JWT claims'),
    rawBody: t('Raw body'),
  };
}

type ScopeConfig = Pick<WebhookTriggerConfig, 'request' | 'jwt'>;

/** The variables a response may use: the request's configured rows (and JWT claims), as the form holds them now. */
function useTriggerScope(config: ScopeConfig | undefined, t: Translate): VariableScopeOption[] {
  const signature = JSON.stringify({ request: config?.request ?? {}, jwt: Boolean(config?.jwt) });
  return useMemo(() => {
    const children = buildTriggerVariableOptions(config, triggerGroupLabels(t)) as unknown as VariableScopeOption[];
    return children.length ? [{ key: '$context', label: t('Trigger variables'), value: '$context', children }] : [];
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the rows' content, not the object identity
  }, [signature, t]);
}

function SyncNote() {
  const t = useTranslate();
  return (
    <Alert
      type="info"
      showIcon
      data-testid="webhook-sync-note"
      message={t('In a synchronous workflow, Response nodes decide the answer.')}
      description={t(
        'Add a Response node where the flow should answer. If none answers: 200 (empty body) when the flow has no Response node and succeeds; 500 when the execution fails or a Response node exists but is not reached; 408 when it runs longer than the workflow timeout.',
      )}
    />
  );
}

interface HeadersEditorProps {
  headers: ResponseHeader[];
  onChange(headers: ResponseHeader[]): void;
  scope: VariableScopeOption[];
  disabled?: boolean;
}

function ResponseHeadersEditor({ headers, onChange, scope, disabled }: HeadersEditorProps) {
  const t = useTranslate();
  const patch = (index: number, change: Partial<ResponseHeader>) =>
    onChange(headers.map((header, i) => (i === index ? { ...header, ...change } : header)));
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="webhook-response-headers">
      {headers.map((header, index) => (
        <Space.Compact key={index} style={{ width: '100%' }}>
          <Input
            style={{ width: '35%' }}
            value={header.name}
            placeholder={t('Header name')}
            aria-label={t('Header name')}
            status={checkHeaderName(header.name) ? 'error' : undefined}
            disabled={disabled}
            onChange={(event) => patch(index, { name: event.target.value })}
          />
          <div style={{ width: '60%' }}>
            <Variable.TextArea
              value={header.value}
              scope={scope}
              multiline={false}
              disabled={disabled}
              onChange={(value) => patch(index, { value })}
            />
          </div>
          <Button
            icon={<DeleteOutlined />}
            aria-label={t('Delete')}
            disabled={disabled}
            onClick={() => onChange(headers.filter((_, i) => i !== index))}
          />
        </Space.Compact>
      ))}
      <Button
        type="dashed"
        block
        icon={<PlusOutlined />}
        disabled={disabled}
        onClick={() => onChange([...headers, { name: '', value: '' }])}
      >
        {t('Add response header')}
      </Button>
    </Space>
  );
}

/**
 * What an asynchronous workflow answers at once: the default (`200` / `ok`) or a custom status, headers and body
 * (text or JSON) that may use the request's variables. Synchronous workflows get a note instead.
 */
export const AsyncResponse = observer(function AsyncResponse({ value, onChange, disabled }: AsyncResponseProps) {
  const t = useTranslate();
  const form = useForm();
  const { workflow } = useFlowContext();
  const response = value ?? {};
  const [custom, setCustom] = useState(() => !isDefaultAsyncResponse(value));
  const [format, setFormat] = useState<BodyFormat>(() => bodyFormatOf(response.body ?? DEFAULT_ASYNC_BODY));
  const scope = useTriggerScope(form.values as ScopeConfig | undefined, t);

  if (workflow?.sync) {
    return <SyncNote />;
  }

  const update = (change: Partial<WebhookResponseConfig>) => onChange?.({ ...response, ...change });
  const onModeChange = (nextCustom: boolean) => {
    setCustom(nextCustom);
    if (!nextCustom) {
      setFormat('text');
      onChange?.({ statusCode: DEFAULT_ASYNC_STATUS_CODE, body: DEFAULT_ASYNC_BODY });
    }
  };
  const onFormatChange = (next: BodyFormat) => {
    setFormat(next);
    update({ body: convertBody(response.body ?? DEFAULT_ASYNC_BODY, next) });
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="webhook-response">
      <Radio.Group
        value={custom}
        disabled={disabled}
        onChange={(event) => onModeChange(event.target.value)}
        options={[
          { label: t('Default (200, "ok")'), value: false },
          { label: t('Custom'), value: true },
        ]}
      />
      {custom ? (
        <Form layout="vertical" component="div" disabled={disabled}>
          <Form.Item label={t('Status code')} required>
            <InputNumber
              min={100}
              max={599}
              precision={0}
              style={{ width: '10em' }}
              aria-label={t('Status code')}
              value={response.statusCode ?? DEFAULT_ASYNC_STATUS_CODE}
              onChange={(code) => update({ statusCode: code ?? undefined })}
            />
          </Form.Item>
          <Form.Item label={t('Response headers')}>
            <ResponseHeadersEditor
              headers={response.headers ?? []}
              scope={scope}
              disabled={disabled}
              onChange={(headers) => update({ headers })}
            />
          </Form.Item>
          <Form.Item
            label={t('Response body')}
            extra={t('Variables come from the request rows configured above, e.g. {{example}}.', {
              example: '{{$context.body.body_$0}}',
              interpolation: { escapeValue: false },
            })}
          >
            <Space direction="vertical" style={{ width: '100%' }}>
              <Radio.Group
                value={format}
                onChange={(event) => onFormatChange(event.target.value)}
                options={[
                  { label: t('Text'), value: 'text' },
                  { label: 'JSON', value: 'json' },
                ]}
              />
              {format === 'text' ? (
                <Variable.TextArea
                  value={typeof response.body === 'string' ? response.body : ''}
                  scope={scope}
                  disabled={disabled}
                  onChange={(body) => update({ body })}
                />
              ) : (
                <Variable.JSON
                  key={JSON.stringify(scope)}
                  value={response.body ?? {}}
                  scope={scope}
                  disabled={disabled}
                  autoSize={{ minRows: 4, maxRows: 16 }}
                  onChange={(body) => update({ body: body ?? {} })}
                />
              )}
            </Space>
          </Form.Item>
        </Form>
      ) : null}
    </Space>
  );
});
