import React, { useCallback, useEffect, useState } from 'react';
import { App, Button, ConfigProvider, Input, Space, Tooltip, message as staticMessage } from 'antd';
import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { useApp } from '@nocobase/client';
import { useFlowContext } from '@nocobase/plugin-workflow/client';

import { buildWebhookUrl } from '../../common/webhookUrl';
import { useTranslate } from '../locale';

const COPIED_FEEDBACK_MS = 2000;

/** navigator.clipboard exists only in secure contexts (https, localhost); plain-http admin pages use the fallback. */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // permission refused: try the selection below
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) {
    throw new Error('copy refused by the browser');
  }
}

export function useWebhookUrl(): string {
  const app = useApp();
  const { workflow } = useFlowContext();
  return buildWebhookUrl({ apiBaseUrl: app.getApiUrl(), appName: app.getName(), key: String(workflow?.key ?? '') });
}

/** The URL the third party calls, read-only, with a copy button that confirms the copy. */
export function WebhookUrl() {
  const t = useTranslate();
  const url = useWebhookUrl();
  const { message } = App.useApp();
  const notify = typeof message?.success === 'function' ? message : staticMessage;
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) {
      return undefined;
    }
    const timer = setTimeout(() => setCopied(false), COPIED_FEEDBACK_MS);
    return () => clearTimeout(timer);
  }, [copied]);

  const onCopy = useCallback(async () => {
    try {
      await copyText(url);
      setCopied(true);
      notify.success(t('Webhook URL copied'));
    } catch {
      notify.error(t('Could not copy; select the URL and copy it by hand'));
    }
  }, [notify, t, url]);

  const label = copied ? t('Copied') : t('Copy');
  // The drawer of an enabled or executed workflow is read-only, but its URL must stay readable and copyable.
  return (
    <ConfigProvider componentDisabled={false}>
      <Space.Compact style={{ width: '100%' }}>
        <Input value={url} readOnly aria-label={t('Webhook URL')} data-testid="webhook-url" />
        <Tooltip title={label}>
          <Button aria-label={label} icon={copied ? <CheckOutlined /> : <CopyOutlined />} onClick={onCopy} />
        </Tooltip>
      </Space.Compact>
    </ConfigProvider>
  );
}
