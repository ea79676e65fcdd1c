import React from 'react';
import { Select, Space, Switch } from 'antd';

import type { BodyType } from '../../common/types';
import { type Translate, useTranslate } from '../locale';

/** Every body type, in the order the panel lists them. */
export function bodyTypeLabels(t: Translate): Record<BodyType, string> {
  return {
    json: 'JSON',
    form: t('Form (x-www-form-urlencoded)'),
    text: t('Text'),
    xml: 'XML',
    multipart: t('Multipart form fields'),
  };
}

interface AcceptedContentTypesProps {
  value?: BodyType[] | null;
  onChange?(types: BodyType[]): void;
  disabled?: boolean;
}

/** `request.contentTypes`: the body types a request may have; none chosen accepts them all. */
export function AcceptedContentTypes({ value, onChange, disabled }: AcceptedContentTypesProps) {
  const t = useTranslate();
  const labels = bodyTypeLabels(t);
  const order = Object.keys(labels) as BodyType[];
  return (
    <Select<BodyType[]>
      mode="multiple"
      allowClear
      value={value ?? []}
      disabled={disabled}
      placeholder={t('All types')}
      aria-label={t('Accepted content types')}
      data-testid="webhook-content-types"
      options={order.map((type) => ({ value: type, label: labels[type] }))}
      // Saved in the panel's order, whatever order they were picked in.
      onChange={(types) => onChange?.(order.filter((type) => types.includes(type)))}
    />
  );
}

interface RawBodySwitchProps {
  value?: boolean | null;
  onChange?(on: boolean): void;
  disabled?: boolean;
}

/** `request.rawBody`: also keep the exact text received as `$context.rawBody`. */
export function RawBodySwitch({ value, onChange, disabled }: RawBodySwitchProps) {
  const t = useTranslate();
  const label = t('Keep the raw body as a variable');
  return (
    <Space data-testid="webhook-raw-body">
      <Switch checked={Boolean(value)} disabled={disabled} aria-label={label} onChange={(on) => onChange?.(on)} />
      <span>{label}</span>
    </Space>
  );
}
