import React from 'react';
import { Input, Space, Typography } from 'antd';

import { checkHeaderName } from '../../common/configChecks';
import type { HeaderTokenConfig } from '../../common/types';
import { createHeaderTokenDraft, isAuthorizationHeader } from '../securityValues';
import { useTranslate } from '../locale';
import { CheckSwitch, type OptionalCheckProps, useCheckDraft } from './OptionalCheck';

/** `false`, or the header a sender puts a shared token into (`Authorization` means `Bearer <token>`). */
export function HeaderToken(props: OptionalCheckProps<HeaderTokenConfig>) {
  const t = useTranslate();
  const { fields, toggle, update } = useCheckDraft(props, createHeaderTokenDraft);
  const { disabled } = props;
  const header = fields?.header.trim() || 'Authorization';

  return (
    <CheckSwitch
      label={t('Header token')}
      on={Boolean(fields)}
      onToggle={toggle}
      disabled={disabled}
      testId="webhook-header-token"
    >
      {fields ? (
        <>
          <Space wrap>
            <Input
              addonBefore={t('Header name')}
              aria-label={t('Header name')}
              value={fields.header}
              status={checkHeaderName(fields.header) ? 'error' : undefined}
              disabled={disabled}
              onChange={(event) => update({ header: event.target.value })}
            />
            <Input.Password
              addonBefore={t('Token')}
              aria-label={t('Token')}
              value={fields.token}
              status={fields.token ? undefined : 'error'}
              disabled={disabled}
              autoComplete="new-password"
              onChange={(event) => update({ token: event.target.value })}
            />
          </Space>
          <Typography.Text type="secondary">
            {t('The sender sends the header:')}{' '}
            <Typography.Text code>
              {isAuthorizationHeader(fields.header)
                ? `${header}: Bearer ${t('<token>')}`
                : `${header}: ${t('<token>')}`}
            </Typography.Text>
          </Typography.Text>
        </>
      ) : null}
    </CheckSwitch>
  );
}
