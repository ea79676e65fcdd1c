import { useCallback } from 'react';
import { useApp } from '@nocobase/client';

import type { CheckMessage, CheckProblem } from '../common/configChecks';
import { NAMESPACE } from '../common/constants';

/** Texts of this plugin first, then those of the workflow plugin and the client (e.g. "Cancel"). */
const NAMESPACES = [NAMESPACE, 'workflow', 'client'];

export type Translate = (text: string, values?: Record<string, unknown>) => string;

/** A `{{t(...)}}` template for schemas and titles, which NocoBase compiles when it renders them. */
export function tval(text: string): string {
  return `{{t(${JSON.stringify(text)}, { ns: ${JSON.stringify(NAMESPACE)} })}}`;
}

/** Translates with the application's i18next, usable outside React (variable trees, validators). */
export function createTranslate(i18n: { t(key: string, options: Record<string, unknown>): string }): Translate {
  return (text, values) => i18n.t(text, { ns: NAMESPACES, ...values });
}

export function useTranslate(): Translate {
  const app = useApp();
  return useCallback<Translate>((text, values) => app.i18n.t(text, { ns: NAMESPACES, ...values }), [app]);
}

/** A check's message in the page's language, its `{{placeholders}}` filled in (as text: React escapes it). */
export function translateCheck(
  t: Translate,
  problem: CheckMessage | CheckProblem,
  values?: Record<string, unknown>,
): string {
  const [message, problemValues] = typeof problem === 'string' ? [problem, {}] : [problem.message, problem.values];
  return t(message, { ...values, ...problemValues, interpolation: { escapeValue: false } });
}
