import React, { useCallback, useEffect, useState } from 'react';
import { Button, ConfigProvider, Radio, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useAPIClient, useApp } from '@nocobase/client';
import { getWorkflowExecutionsPath, useFlowContext } from '@nocobase/plugin-workflow/client';

import {
  REQUEST_LOG_COLLECTION,
  REQUEST_LOG_LIST_ACTION,
  type RequestLogEntry,
  type StatusClass,
  statusClassFilter,
} from '../../common/requestLog';
import { type Translate, useTranslate } from '../locale';

const PAGE_SIZE = 10;
const STATUS_FILTERS: Array<'all' | StatusClass> = ['all', '2xx', '4xx', '5xx'];

interface ListAnswer {
  data: RequestLogEntry[];
  meta: { count: number };
}

function statusColor(status: number): string {
  if (status >= 500) {
    return 'red';
  }
  if (status >= 400) {
    return 'orange';
  }
  return status >= 300 ? 'blue' : 'green';
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The check that refused a request, in the page's language (the codes are the server's `RefusalCheck`). */
function checkLabel(t: Translate, check: string): string {
  const labels: Record<string, string> = {
    method: t('Method not allowed'),
    'not-found': t('No enabled workflow'),
    body: t('Request body'),
    ip: t('IP allow-list'),
    'rate-limit': t('Rate limit'),
    basic: t('HTTP basic authentication'),
    token: t('Header token'),
    jwt: t('JWT verification'),
    signature: t('Signature verification'),
    query: t('Query parameters'),
    record: t('Not recorded'),
  };
  return labels[check] ?? check;
}

/** One page of the workflow's request log, newest first, reloaded when the page or the status filter changes. */
function useRequestLog(workflowKey: string | undefined, statusFilter: 'all' | StatusClass, page: number) {
  const api = useAPIClient();
  const [answer, setAnswer] = useState<{ rows: RequestLogEntry[]; count: number }>({ rows: [], count: 0 });
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (): Promise<void> => {
    if (!workflowKey) {
      return;
    }
    setLoading(true);
    try {
      const filter = statusFilter === 'all' ? { workflowKey } : { workflowKey, status: statusClassFilter(statusFilter) };
      const res = await api.request<ListAnswer>({
        url: `${REQUEST_LOG_COLLECTION}:${REQUEST_LOG_LIST_ACTION}`,
        method: 'get',
        params: { filter: JSON.stringify(filter), page, pageSize: PAGE_SIZE },
      });
      setAnswer({ rows: res.data.data, count: res.data.meta.count });
    } finally {
      setLoading(false);
    }
  }, [api, workflowKey, statusFilter, page]);

  useEffect(() => {
    load().catch(() => undefined); // the API client already shows the error
  }, [load]);

  return { ...answer, loading, reload: load };
}

/** The workflow's recent requests, filterable by status class; usable while the panel itself is read-only. */
export function RequestLogTable() {
  const t = useTranslate();
  const app = useApp();
  const { workflow } = useFlowContext();
  const [statusFilter, setStatusFilter] = useState<'all' | StatusClass>('all');
  const [page, setPage] = useState(1);
  const { rows, count, loading, reload } = useRequestLog(workflow?.key as string | undefined, statusFilter, page);

  const columns: TableColumnsType<RequestLogEntry> = [
    {
      title: t('Time'),
      dataIndex: 'createdAt',
      render: (value: string) => dayjs(value).format('YYYY-MM-DD HH:mm:ss'),
    },
    {
      title: t('Status'),
      dataIndex: 'status',
      render: (status: number) => <Tag color={statusColor(status)}>{status}</Tag>,
    },
    {
      title: t('Execution'),
      dataIndex: 'executionId',
      render: (executionId: string | number | null, row) =>
        executionId ? (
          <Space size={4}>
            <a href={app.getHref(getWorkflowExecutionsPath(executionId))} target="_blank" rel="noreferrer">
              {executionId}
            </a>
            {row.replayed ? <Tag>{t('Replayed')}</Tag> : null}
          </Space>
        ) : null,
    },
    {
      title: t('Refused by'),
      dataIndex: 'check',
      render: (check: string | null, row) =>
        check ? (
          <Tooltip title={row.message}>
            <Space direction="vertical" size={0}>
              <Tag>{checkLabel(t, check)}</Tag>
              {row.message ? (
                <Typography.Text type="secondary" style={{ maxWidth: 200 }} ellipsis>
                  {row.message}
                </Typography.Text>
              ) : null}
            </Space>
          </Tooltip>
        ) : null,
    },
    { title: t('Method'), dataIndex: 'method' },
    { title: t('Size'), dataIndex: 'requestBytes', render: (bytes: number) => formatBytes(bytes) },
    { title: t('Duration'), dataIndex: 'durationMs', render: (ms: number) => `${ms} ms` },
    { title: t('Caller address'), dataIndex: 'ip' },
  ];

  return (
    <ConfigProvider componentDisabled={false}>
      <Space direction="vertical" style={{ width: '100%' }} data-testid="webhook-request-log-table">
        <Space wrap>
          <Radio.Group
            optionType="button"
            size="small"
            value={statusFilter}
            aria-label={t('Status')}
            options={STATUS_FILTERS.map((value) => ({ value, label: value === 'all' ? t('All') : value }))}
            onChange={(event) => {
              setStatusFilter(event.target.value);
              setPage(1);
            }}
          />
          <Button
            size="small"
            icon={<ReloadOutlined />}
            loading={loading}
            onClick={() => reload().catch(() => undefined)} // the API client already shows the error
          >
            {t('Refresh')}
          </Button>
        </Space>
        <Table<RequestLogEntry>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={loading}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('No requests logged yet') }}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: count, showSizeChanger: false, onChange: setPage }}
          expandable={{
            rowExpandable: (row) => Boolean(row.body),
            expandedRowRender: (row) => (
              <Typography.Paragraph copyable={{ text: row.body ?? '' }}>
                <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 }}>{row.body}</pre>
              </Typography.Paragraph>
            ),
          }}
        />
      </Space>
    </ConfigProvider>
  );
}
