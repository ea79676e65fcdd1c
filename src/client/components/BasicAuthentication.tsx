import React, { useRef } from 'react';
import { Input, Space, Switch, Typography } from 'antd';

import type { BasicAuthCredentials } from '../../common/types';
import { basicAuthUrlHint } from '../../common/webhookUrl';
import { useTranslate } from '../locale';
import { useWebhookUrl } from './WebhookUrl';

export type BasicAuthValue = false | null | undefined | Partial<BasicAuthCredentials>;

interface BasicAuthenticationProps {
  value?: BasicAuthValue;
  onChange?(value: false | BasicAuthCredentials): void;
  disabled?: boolean;
}

/** `false`, or the user name and password a sender must give (both required, checked by the field's validator). */
export function BasicAuthentication({ value, onChange, disabled }: BasicAuthenticationProps) {
  const t = useTranslate();
  const url = useWebhookUrl();
  // Switching off and on again within one edit brings the typed credentials back.
  const lastCredentials = useRef<BasicAuthCredentials>({ username: '', password: '' });
  const credentials = value && typeof value === 'object' ? value : null;
  if (credentials) {
    lastCredentials.current = { username: credentials.username ?? '', password: credentials.password ?? '' };
  }

  const update = (patch: Partial<BasicAuthCredentials>) =>
    onChange?.({ ...lastCredentials.current, ...patch });

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Switch
          checked={Boolean(credentials)}
          disabled={disabled}
          aria-label={t('HTTP basic authentication')}
          onChange={(on) => onChange?.(on ? { ...lastCredentials.current } : false)}
        />
        <span>{t('HTTP basic authentication')}</span>
      </Space>
      {credentials ? (
        <>
          <Space wrap>
            <Input
              addonBefore={t('User name')}
              aria-label={t('User name')}
              value={credentials.username ?? ''}
              status={credentials.username ? undefined : 'error'}
              disabled={disabled}
              autoComplete="off"
              onChange={(event) => update({ username: event.target.value })}
            />
            <Input.Password
              addonBefore={t('Password')}
              aria-label={t('Password')}
              value={credentials.password ?? ''}
              status={credentials.password ? undefined : 'error'}
              disabled={disabled}
              autoComplete="new-password"
              onChange={(event) => update({ password: event.target.value })}
            />
          </Space>
          <Typography.Text type="secondary">
            {t('The sender puts the credentials into the URL:')}{' '}
            <Typography.Text code>{basicAuthUrlHint(url, credentials.username ?? '', t('<password>'))}</Typography.Text>
          </Typography.Text>
        </>
      ) : null}
    </Space>
  );
}
