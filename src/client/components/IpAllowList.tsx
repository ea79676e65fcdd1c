import React, { useState } from 'react';
import { Input } from 'antd';

import { checkIpRange } from '../../common/configChecks';
import type { IpAllowListConfig } from '../../common/types';
import { createIpAllowListDraft, formatRanges, parseRanges } from '../securityValues';
import { translateCheck, useTranslate } from '../locale';
import { CheckSwitch, type OptionalCheckProps, useCheckDraft } from './OptionalCheck';

/** `false`, or the IPv4 / IPv6 addresses and CIDR ranges allowed to call, typed or pasted one per line. */
export function IpAllowList(props: OptionalCheckProps<IpAllowListConfig>) {
  const t = useTranslate();
  const { fields, toggle, update } = useCheckDraft(props, createIpAllowListDraft);
  const { disabled } = props;
  const ranges = fields?.ranges ?? [];
  // The text as typed (blank lines, a line being written); the saved ranges are parsed from it.
  const [text, setText] = useState(() => formatRanges(ranges));
  const shownText = parseRanges(text).join('\n') === ranges.join('\n') ? text : formatRanges(ranges);
  const invalid = ranges.map(checkIpRange).find(Boolean);

  return (
    <CheckSwitch
      label={t('IP allow-list')}
      on={Boolean(fields)}
      onToggle={toggle}
      disabled={disabled}
      testId="webhook-ip-allow-list"
    >
      {fields ? (
        <Input.TextArea
          value={shownText}
          aria-label={t('Allowed addresses')}
          placeholder={'203.0.113.0/24\n198.51.100.7\n2001:db8::/32'}
          status={invalid || !ranges.length ? 'error' : undefined}
          title={invalid ? translateCheck(t, invalid) : undefined}
          autoSize={{ minRows: 3, maxRows: 12 }}
          style={{ fontFamily: 'monospace' }}
          disabled={disabled}
          onChange={(event) => {
            setText(event.target.value);
            update({ ranges: parseRanges(event.target.value) });
          }}
        />
      ) : null}
    </CheckSwitch>
  );
}
