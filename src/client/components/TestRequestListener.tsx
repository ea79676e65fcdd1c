import React, { useCallback, useEffect, useState } from 'react';
import { Alert, Button, ConfigProvider, Descriptions, Space, Tag, Typography } from 'antd';
import { AimOutlined, FormOutlined, StopOutlined } from '@ant-design/icons';
import { useForm } from '@formily/react';
import { useAPIClient } from '@nocobase/client';
import { useFlowContext } from '@nocobase/plugin-workflow/client';

import { ExampleError } from '../../common/parseExample';
import {
  CAPTURE_ACTION_NAME,
  LISTEN_ACTION_NAME,
  STOP_LISTENING_ACTION_NAME,
  fillRowsFromCapture,
  formatCountdown,
} from '../../common/testCapture';
import type { ListenState, TestCapture } from '../../common/testCapture';
import type { WebhookTriggerConfig } from '../../common/types';
import { RESOURCE_NAME } from '../../common/constants';
import { useTranslate } from '../locale';
import { exampleErrorMessage, useReferencedFloor } from './PathRows';

const POLL_INTERVAL_MS = 1000;

type Action = typeof LISTEN_ACTION_NAME | typeof STOP_LISTENING_ACTION_NAME | typeof CAPTURE_ACTION_NAME;

/**
 * The listening state of the workflow's URL, polled while listening. The deadline is kept in the browser's clock
 * (from the server's remaining time), so the countdown is right whatever the clocks say.
 */
function useTestListening(workflowId: number | string | undefined) {
  const api = useAPIClient();
  const [state, setState] = useState<ListenState | null>(null);
  const [deadline, setDeadline] = useState(0);
  const [now, setNow] = useState(() => Date.now());

  const call = useCallback(
    async (action: Action): Promise<void> => {
      const res = await api.request<{ data: ListenState }>({
        url: `${RESOURCE_NAME}:${action}`,
        method: action === CAPTURE_ACTION_NAME ? 'get' : 'post',
        params: { filterByTk: workflowId },
      });
      const next = res.data.data;
      const started = Date.now();
      setState(next);
      setNow(started);
      // A poll keeps the running countdown; a new session restarts it.
      setDeadline((current) =>
        next.remainingMs <= 0 ? 0 : current && action !== LISTEN_ACTION_NAME ? current : started + next.remainingMs,
      );
    },
    [api, workflowId],
  );

  useEffect(() => {
    if (workflowId !== undefined) {
      call(CAPTURE_ACTION_NAME).catch(() => undefined); // the API client already shows the error
    }
  }, [call, workflowId]);

  useEffect(() => {
    if (!deadline) {
      return undefined;
    }
    let polling = false;
    const timer = setInterval(() => {
      setNow(Date.now());
      if (polling) {
        return;
      }
      polling = true;
      call(CAPTURE_ACTION_NAME)
        .catch(() => undefined) // shown by the API client; the next tick tries again
        .finally(() => {
          polling = false;
        });
    }, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [call, deadline]);

  return { state, remainingMs: deadline ? Math.max(0, deadline - now) : 0, call };
}

function Json({ value }: { value: unknown }) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <pre style={{ margin: 0, maxHeight: 240, overflow: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
      {text}
    </pre>
  );
}

interface FillNote {
  type: 'success' | 'info' | 'error';
  text: string;
}

/** The captured request, and the button that fills the query and body rows from it as Parse would. */
function CapturedRequest({ capture }: { capture: TestCapture }) {
  const t = useTranslate();
  const form = useForm();
  const floors = { query: useReferencedFloor('query'), body: useReferencedFloor('body') };
  const [note, setNote] = useState<FillNote | null>(null);

  useEffect(() => setNote(null), [capture]);

  const onFill = () => {
    const request = (form.values as WebhookTriggerConfig).request ?? {};
    const fill = fillRowsFromCapture(capture, { query: request.query, body: request.body }, floors);
    const errors: string[] = [];
    let filled = false;
    for (const kind of ['query', 'body'] as const) {
      const rows = fill[kind];
      if (rows instanceof ExampleError) {
        errors.push(exampleErrorMessage(rows, t));
      } else if (rows) {
        form.setValuesIn(`request.${kind}`, rows);
        filled = true;
      }
    }
    if (errors.length) {
      setNote({ type: 'error', text: errors.join(' ') });
    } else if (filled) {
      setNote({ type: 'success', text: t('Rows filled from the captured request. Submit to save them.') });
    } else {
      setNote({ type: 'info', text: t('The captured request has no query parameters or body keys to fill rows from.') });
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="webhook-test-capture">
      <Descriptions
        size="small"
        bordered
        column={1}
        title={t('Captured request')}
        items={[
          { key: 'method', label: t('Method'), children: <Tag>{capture.method}</Tag> },
          { key: 'contentType', label: t('Content type'), children: capture.contentType ?? '-' },
          { key: 'capturedAt', label: t('Received at'), children: new Date(capture.capturedAt).toLocaleString() },
          { key: 'headers', label: t('Request headers'), children: <Json value={capture.headers} /> },
          { key: 'query', label: t('Query parameters'), children: <Json value={capture.query ?? capture.querystring} /> },
          { key: 'body', label: t('Request body'), children: <Json value={capture.body} /> },
        ]}
      />
      {/* Outside the always-enabled area: a read-only panel keeps it disabled. */}
      <Button icon={<FormOutlined />} onClick={onFill}>
        {t('Fill query and body rows')}
      </Button>
      {note ? <Alert type={note.type} showIcon message={note.text} data-testid="webhook-test-fill-note" /> : null}
    </Space>
  );
}

/**
 * "Listen for test request": for a while the next request to the URL (any method, even while the workflow is off)
 * is captured instead of running the workflow, and shown here.
 */
export function TestRequestListener() {
  const t = useTranslate();
  const { workflow } = useFlowContext();
  const { state, remainingMs, call } = useTestListening(workflow?.id);
  const [busy, setBusy] = useState(false);
  const [waited, setWaited] = useState(false);

  const run = async (action: Action) => {
    setBusy(true);
    try {
      await call(action);
      setWaited(action === LISTEN_ACTION_NAME);
    } catch {
      // the API client already shows the error
    } finally {
      setBusy(false);
    }
  };

  const listening = remainingMs > 0;
  const capture = state?.capture ?? null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="webhook-test-request">
      {/* Listening changes nothing in the workflow: it stays available in a read-only panel. */}
      <ConfigProvider componentDisabled={false}>
        {listening ? (
          <Space wrap>
            <Button danger icon={<StopOutlined />} loading={busy} onClick={() => run(STOP_LISTENING_ACTION_NAME)}>
              {t('Stop')}
            </Button>
            <Typography.Text strong data-testid="webhook-test-countdown">
              {t('Listening: {{time}} left', { time: formatCountdown(remainingMs) })}
            </Typography.Text>
          </Space>
        ) : (
          <Button icon={<AimOutlined />} loading={busy} onClick={() => run(LISTEN_ACTION_NAME)}>
            {t('Listen for test request')}
          </Button>
        )}
      </ConfigProvider>
      {listening ? (
        <Typography.Text type="secondary">
          {t('Send a request to the webhook URL now. It is captured and answered without running the workflow.')}
        </Typography.Text>
      ) : null}
      {waited && !listening && !capture ? (
        <Alert type="warning" showIcon message={t('No request arrived while listening.')} />
      ) : null}
      {capture && !listening ? <CapturedRequest capture={capture} /> : null}
    </Space>
  );
}
