import React from 'react';
import { InputNumber, Space } from 'antd';

import { SECURITY_LIMITS } from '../../common/configChecks';
import type { RateLimitConfig } from '../../common/types';
import { createRateLimitDraft } from '../securityValues';
import { useTranslate } from '../locale';
import { CheckSwitch, type OptionalCheckProps, useCheckDraft } from './OptionalCheck';

/** `false`, or how many requests the workflow accepts per window. */
export function RateLimit(props: OptionalCheckProps<RateLimitConfig>) {
  const t = useTranslate();
  const { fields, toggle, update } = useCheckDraft(props, createRateLimitDraft);
  const { disabled } = props;

  return (
    <CheckSwitch
      label={t('Rate limit')}
      on={Boolean(fields)}
      onToggle={toggle}
      disabled={disabled}
      testId="webhook-rate-limit"
    >
      {fields ? (
        <Space wrap>
          <InputNumber
            addonBefore={t('Requests')}
            aria-label={t('Requests')}
            min={1}
            max={SECURITY_LIMITS.rateLimit}
            precision={0}
            value={fields.limit}
            status={fields.limit ? undefined : 'error'}
            disabled={disabled}
            onChange={(limit) => update({ limit: limit ?? undefined })}
          />
          <InputNumber
            addonBefore={t('per')}
            addonAfter={t('seconds')}
            aria-label={t('Window (seconds)')}
            min={1}
            max={SECURITY_LIMITS.rateLimitWindowSeconds}
            precision={0}
            value={fields.windowSeconds}
            status={fields.windowSeconds ? undefined : 'error'}
            disabled={disabled}
            onChange={(windowSeconds) => update({ windowSeconds: windowSeconds ?? undefined })}
          />
        </Space>
      ) : null}
    </CheckSwitch>
  );
}
