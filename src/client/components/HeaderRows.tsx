import React from 'react';

import { checkHeaderName } from '../../common/configChecks';
import type { HeaderRow } from '../../common/types';
import { useTranslate } from '../locale';
import { RowList } from './RowList';

interface HeaderRowsProps {
  value?: HeaderRow[] | null;
  onChange?(rows: HeaderRow[]): void;
  disabled?: boolean;
}

/** The request headers offered as variables (`Date`, `X-Request-Id`, ...), each with an optional alias. */
export function HeaderRows({ value, onChange, disabled }: HeaderRowsProps) {
  const t = useTranslate();
  return (
    <RowList<HeaderRow>
      rows={value ?? []}
      onChange={(rows) => onChange?.(rows)}
      createRow={() => ({ key: '' })}
      checkKey={checkHeaderName}
      keyPlaceholder={t('Header name')}
      addLabel={t('Add request header')}
      disabled={disabled}
      testId="webhook-headers"
    />
  );
}
