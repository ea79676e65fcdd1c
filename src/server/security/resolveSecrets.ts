import type { WebhookTriggerConfig } from '../../common/types';

/** The part of NocoBase's `app.environment` this needs (the class is not exported by @nocobase/server). */
export interface TemplateEnvironment {
  renderJsonTemplate(template: object): unknown;
}

const SECRET_FIELDS = ['basicAuthentication', 'signature', 'headerToken', 'jwt'] as const;
type SecretFields = Pick<WebhookTriggerConfig, (typeof SECRET_FIELDS)[number]>;

/**
 * Secrets may be written as `{{$env.NAME}}` ("Variables and secrets"), so that the workflow config holds only the
 * name: they are rendered on each request, and changing the variable needs no workflow change.
 */
export function resolveSecrets(config: WebhookTriggerConfig, environment: TemplateEnvironment): WebhookTriggerConfig {
  const fields: SecretFields = {};
  let templated = false;
  for (const name of SECRET_FIELDS) {
    const value = config[name];
    if (value) {
      Object.assign(fields, { [name]: value });
      templated ||= JSON.stringify(value).includes('{{');
    }
  }
  if (!templated) {
    return config;
  }
  return { ...config, ...(environment.renderJsonTemplate(fields) as SecretFields) };
}
