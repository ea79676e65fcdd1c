import React from 'react';
import { Button, Input, Space, Tooltip } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';

import type { CheckMessage } from '../../common/configChecks';
import { useTranslate } from '../locale';

export interface AliasedRow {
  key: string;
  alias?: string;
}

interface RowListProps<Row extends AliasedRow> {
  rows: Row[];
  onChange(rows: Row[]): void;
  /** A blank row, with whatever the kind of row needs (e.g. a fresh `_var`). */
  createRow(): Row;
  checkKey(key: string): CheckMessage | null;
  keyPlaceholder: string;
  addLabel: string;
  disabled?: boolean;
  testId: string;
}

/** Editable rows of key + alias, each deletable, with an add button below. */
export function RowList<Row extends AliasedRow>(props: RowListProps<Row>) {
  const { rows, onChange, createRow, checkKey, keyPlaceholder, addLabel, disabled, testId } = props;
  const t = useTranslate();
  const patch = (index: number, change: Partial<AliasedRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={testId}>
      {rows.map((row, index) => {
        const problem = checkKey(row.key);
        return (
          <Space.Compact key={index} style={{ width: '100%' }} data-testid={`${testId}-row`}>
            <Tooltip title={problem && row.key ? t(problem) : undefined}>
              <Input
                style={{ width: '55%' }}
                value={row.key}
                placeholder={keyPlaceholder}
                aria-label={keyPlaceholder}
                status={problem ? 'error' : undefined}
                disabled={disabled}
                onChange={(event) => patch(index, { key: event.target.value })}
              />
            </Tooltip>
            <Input
              style={{ width: '45%' }}
              value={row.alias ?? ''}
              placeholder={t('Alias')}
              aria-label={t('Alias')}
              disabled={disabled}
              onChange={(event) => patch(index, { alias: event.target.value })}
            />
            <Button
              icon={<DeleteOutlined />}
              aria-label={t('Delete')}
              disabled={disabled}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            />
          </Space.Compact>
        );
      })}
      <Button type="dashed" block icon={<PlusOutlined />} disabled={disabled} onClick={() => onChange([...rows, createRow()])}>
        {addLabel}
      </Button>
    </Space>
  );
}
