import React from 'react';
import { InputNumber, Space, Switch, Typography } from 'antd';

import {
  DEFAULT_REQUEST_LOG,
  REQUEST_LOG_BODY_MAX_BYTES,
  REQUEST_LOG_LIMIT_MAX,
  requestLogSettings,
} from '../../common/requestLog';
import type { RequestLogConfig } from '../../common/types';
import { useTranslate } from '../locale';
import { RequestLogTable } from './RequestLogTable';

interface RequestLogProps {
  /** Absent in workflows saved before the log existed: the defaults apply. */
  value?: Partial<RequestLogConfig> | null;
  onChange?(value: RequestLogConfig): void;
  disabled?: boolean;
}

/** The `requestLog` settings (on, how many requests, bodies or not) above the table of recent requests. */
export function RequestLog({ value, onChange, disabled }: RequestLogProps) {
  const t = useTranslate();
  const settings = requestLogSettings(value);
  const update = (patch: Partial<RequestLogConfig>) => onChange?.({ enabled: settings.enabled, ...value, ...patch });

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="webhook-request-log">
      <Space>
        <Switch
          checked={settings.enabled}
          disabled={disabled}
          aria-label={t('Log requests')}
          onChange={(enabled) => update({ enabled })}
        />
        <span>{t('Log requests')}</span>
      </Space>
      {settings.enabled ? (
        <Space wrap>
          <InputNumber
            addonBefore={t('Keep the last')}
            addonAfter={t('requests')}
            aria-label={t('Requests kept')}
            min={1}
            max={REQUEST_LOG_LIMIT_MAX}
            precision={0}
            placeholder={String(DEFAULT_REQUEST_LOG.limit)}
            // Left empty while typing; an empty limit is saved as absent and means the default.
            value={value?.limit ?? null}
            disabled={disabled}
            onChange={(limit) => update({ limit: limit ?? undefined })}
          />
          <Space>
            <Switch
              checked={settings.captureBody}
              disabled={disabled}
              aria-label={t('Store request bodies')}
              onChange={(captureBody) => update({ captureBody })}
            />
            <span>{t('Store request bodies')}</span>
          </Space>
        </Space>
      ) : null}
      {settings.enabled && settings.captureBody ? (
        <Typography.Text type="warning">
          {t('Bodies are stored as received, up to {{size}} KB each, and may hold personal data or secrets.', {
            size: REQUEST_LOG_BODY_MAX_BYTES / 1024,
          })}
        </Typography.Text>
      ) : null}
      <RequestLogTable />
    </Space>
  );
}
