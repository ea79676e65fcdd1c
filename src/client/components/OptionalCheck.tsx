import React, { type ReactNode, useRef } from 'react';
import { Space, Switch } from 'antd';

import type { OptionalCheckValue } from '../../common/configChecks';

/** The props Formily gives a field holding an optional check: `false`, or the check's settings. */
export interface OptionalCheckProps<Config> {
  value?: OptionalCheckValue<Config>;
  onChange?(value: false | Config): void;
  disabled?: boolean;
}

export interface CheckDraft<Config> {
  /** The settings to show, or null while the check is off. */
  fields: Config | null;
  toggle(on: boolean): void;
  update(patch: Partial<Config>): void;
  /** Replaces every setting, e.g. with a preset's. */
  replace(next: Config): void;
}

/**
 * What the admin typed, kept across switching the check off and on within one edit, including settings the saved
 * value leaves out (`toSaved` decides what is saved).
 */
export function useCheckDraft<Config extends object>(
  { value, onChange }: OptionalCheckProps<Config>,
  createDraft: () => Config,
  toSaved: (draft: Config) => Config = (draft) => draft,
): CheckDraft<Config> {
  const draft = useRef<Config>();
  const on = Boolean(value) && typeof value === 'object';
  draft.current = { ...(draft.current ?? createDraft()), ...(on ? (value as Partial<Config>) : {}) };
  const save = (next: Config) => {
    draft.current = next;
    onChange?.(toSaved(next));
  };
  // Handlers read the ref, not this render's copy: two changes before the next render must both count.
  const latest = () => draft.current as Config;
  return {
    fields: on ? draft.current : null,
    toggle: (next) => (next ? save(latest()) : onChange?.(false)),
    update: (patch) => save({ ...latest(), ...patch }),
    replace: save,
  };
}

interface CheckSwitchProps {
  label: string;
  on: boolean;
  onToggle(on: boolean): void;
  disabled?: boolean;
  testId: string;
  children?: ReactNode;
}

/** A switch with its label; the check's settings show below it while it is on. */
export function CheckSwitch({ label, on, onToggle, disabled, testId, children }: CheckSwitchProps) {
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={testId}>
      <Space>
        <Switch checked={on} disabled={disabled} aria-label={label} onChange={onToggle} />
        <span>{label}</span>
      </Space>
      {on ? children : null}
    </Space>
  );
}
