import React from 'react';
import { Input, InputNumber, Radio, Space, Typography } from 'antd';

import { checkHeaderName, checkPathKey, SECURITY_LIMITS } from '../../common/configChecks';
import type { IdempotencyConfig } from '../../common/types';
import {
  DEFAULT_IDEMPOTENCY_HEADER,
  DEFAULT_IDEMPOTENCY_WINDOW_SECONDS,
  changeIdempotencySource,
  createIdempotencyDraft,
} from '../securityValues';
import { useTranslate } from '../locale';
import { CheckSwitch, type OptionalCheckProps, useCheckDraft } from './OptionalCheck';

/** `false`, or where a delivery's idempotency key is read (a header or a body path) and how long it is remembered. */
export function Idempotency(props: OptionalCheckProps<IdempotencyConfig>) {
  const t = useTranslate();
  const { fields, toggle, update, replace } = useCheckDraft(props, createIdempotencyDraft);
  const { disabled } = props;
  const fromHeader = fields?.source !== 'body';
  const keyLabel = fromHeader ? t('Header name') : t('Key path');

  return (
    <CheckSwitch
      label={t('Idempotency')}
      on={Boolean(fields)}
      onToggle={toggle}
      disabled={disabled}
      testId="webhook-idempotency"
    >
      {fields ? (
        <>
          <Space wrap>
            <span>{t('Key source')}</span>
            <Radio.Group
              value={fields.source}
              disabled={disabled}
              onChange={(event) => replace(changeIdempotencySource(fields, event.target.value))}
              options={[
                { label: t('Request header'), value: 'header' },
                { label: t('Request body'), value: 'body' },
              ]}
            />
          </Space>
          <Space wrap>
            <Input
              addonBefore={keyLabel}
              aria-label={keyLabel}
              value={fields.key}
              placeholder={fromHeader ? DEFAULT_IDEMPOTENCY_HEADER : 'event.id'}
              status={(fromHeader ? checkHeaderName(fields.key) : checkPathKey(fields.key)) ? 'error' : undefined}
              disabled={disabled}
              onChange={(event) => update({ key: event.target.value })}
            />
            <InputNumber
              addonBefore={t('Window')}
              addonAfter={t('seconds')}
              aria-label={t('Window (seconds)')}
              min={1}
              max={SECURITY_LIMITS.idempotencyWindowSeconds}
              precision={0}
              placeholder={String(DEFAULT_IDEMPOTENCY_WINDOW_SECONDS)}
              value={fields.windowSeconds}
              disabled={disabled}
              onChange={(windowSeconds) => update({ windowSeconds: windowSeconds ?? undefined })}
            />
          </Space>
          {fromHeader ? null : (
            <Typography.Text type="secondary">{t('A path into the JSON body, e.g. event.id.')}</Typography.Text>
          )}
        </>
      ) : null}
    </CheckSwitch>
  );
}
