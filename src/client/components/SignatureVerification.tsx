import React from 'react';
import { Button, Col, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';

import { checkHeaderName, SECURITY_LIMITS } from '../../common/configChecks';
import { applySignaturePreset } from '../../common/signaturePresets';
import type { SignatureConfig, SignatureFormat, SignaturePreset } from '../../common/types';
import {
  DEFAULT_TOLERANCE_SECONDS,
  createSignatureDraft,
  savedSignature,
  signatureUsesTimestamp,
} from '../securityValues';
import { type Translate, useTranslate } from '../locale';
import { CheckSwitch, type OptionalCheckProps, useCheckDraft } from './OptionalCheck';

const PRESET_LABELS: Record<Exclude<SignaturePreset, 'custom'>, string> = {
  github: 'GitHub',
  stripe: 'Stripe',
  slack: 'Slack',
  shopify: 'Shopify',
  standardWebhooks: 'Standard Webhooks',
};

function formatOptions(t: Translate): { label: string; value: SignatureFormat }[] {
  return [
    { label: t('Prefix + digest'), value: 'plain' },
    { label: 'Stripe: t=…,v1=…', value: 'stripe' },
    { label: 'Standard Webhooks: v1,…', value: 'standardWebhooks' },
  ];
}

/** A header the scheme may read; blank is allowed, a malformed name is marked. */
function headerStatus(name: string | undefined, required: boolean): 'error' | undefined {
  if (!name?.trim()) {
    return required ? 'error' : undefined;
  }
  return checkHeaderName(name) ? 'error' : undefined;
}

interface SecretsEditorProps {
  secrets: string[];
  onChange(secrets: string[]): void;
  disabled?: boolean;
}

/** One or more secrets: any of them may have signed, so a new one can be added before the old one goes. */
function SecretsEditor({ secrets, onChange, disabled }: SecretsEditorProps) {
  const t = useTranslate();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="webhook-signature-secrets">
      {secrets.map((secret, index) => (
        <Space.Compact key={index} style={{ width: '100%' }}>
          <Input.Password
            value={secret}
            aria-label={t('Secret')}
            placeholder={t('Secret')}
            status={secret ? undefined : 'error'}
            autoComplete="new-password"
            disabled={disabled}
            onChange={(event) => onChange(secrets.map((item, i) => (i === index ? event.target.value : item)))}
          />
          <Button
            icon={<DeleteOutlined />}
            aria-label={t('Delete')}
            disabled={disabled || secrets.length < 2}
            onClick={() => onChange(secrets.filter((_, i) => i !== index))}
          />
        </Space.Compact>
      ))}
      <Button
        type="dashed"
        block
        icon={<PlusOutlined />}
        disabled={disabled}
        onClick={() => onChange([...secrets, ''])}
      >
        {t('Add secret')}
      </Button>
    </Space>
  );
}

/**
 * `false`, or how the sender signs the body: a provider preset, or a custom scheme (algorithm, header, layout,
 * encoding, signed payload, timestamp and id headers), and the secrets.
 */
export function SignatureVerification(props: OptionalCheckProps<SignatureConfig>) {
  const t = useTranslate();
  const { fields, toggle, update, replace } = useCheckDraft(props, createSignatureDraft, savedSignature);
  const { disabled } = props;

  // Editing a field a preset decides makes the scheme a custom one; the secrets and the tolerance are the admin's.
  const editScheme = (patch: Partial<SignatureConfig>) => update({ ...patch, preset: 'custom' });

  return (
    <CheckSwitch
      label={t('Signature verification')}
      on={Boolean(fields)}
      onToggle={toggle}
      disabled={disabled}
      testId="webhook-signature"
    >
      {fields ? (
        <Form layout="vertical" component="div" disabled={disabled}>
          <Form.Item label={t('Preset')} extra={t("A preset fills in the fields below with the provider's scheme.")}>
            <Select<SignaturePreset>
              value={fields.preset ?? 'custom'}
              aria-label={t('Preset')}
              style={{ width: '16em' }}
              options={[
                { label: t('Custom'), value: 'custom' },
                ...Object.entries(PRESET_LABELS).map(([value, label]) => ({ label, value: value as SignaturePreset })),
              ]}
              onChange={(preset) => replace(applySignaturePreset(preset, fields))}
            />
          </Form.Item>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item label={t('Signature header')}>
                <Input
                  value={fields.header}
                  aria-label={t('Signature header')}
                  placeholder="X-Signature"
                  status={headerStatus(fields.header, true)}
                  onChange={(event) => editScheme({ header: event.target.value })}
                />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item label={t('Algorithm')}>
                <Select
                  value={fields.algorithm}
                  aria-label={t('Algorithm')}
                  options={['sha1', 'sha256', 'sha512'].map((value) => ({
                    label: `HMAC-${value.toUpperCase()}`,
                    value,
                  }))}
                  onChange={(algorithm) => editScheme({ algorithm })}
                />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item label={t('Encoding')}>
                <Select
                  value={fields.encoding}
                  aria-label={t('Encoding')}
                  options={[
                    { label: 'hex', value: 'hex' },
                    { label: 'base64', value: 'base64' },
                  ]}
                  onChange={(encoding) => editScheme({ encoding })}
                />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item label={t('Header format')}>
                <Select<SignatureFormat>
                  value={fields.format ?? 'plain'}
                  aria-label={t('Header format')}
                  options={formatOptions(t)}
                  onChange={(format) => editScheme({ format })}
                />
              </Form.Item>
            </Col>
            {(fields.format ?? 'plain') === 'plain' ? (
              <Col span={12}>
                <Form.Item label={t('Prefix')}>
                  <Input
                    value={fields.prefix ?? ''}
                    aria-label={t('Prefix')}
                    placeholder="sha256="
                    onChange={(event) => editScheme({ prefix: event.target.value })}
                  />
                </Form.Item>
              </Col>
            ) : null}
          </Row>
          <Form.Item
            label={t('Signed payload')}
            extra={t('{body} is the raw request body; {timestamp} and {id} are read from the headers below.')}
          >
            <Input
              value={fields.payload ?? ''}
              aria-label={t('Signed payload')}
              placeholder="{body}"
              status={fields.payload && !fields.payload.includes('{body}') ? 'error' : undefined}
              style={{ fontFamily: 'monospace' }}
              onChange={(event) => editScheme({ payload: event.target.value })}
            />
          </Form.Item>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item label={t('Timestamp header')}>
                <Input
                  value={fields.timestampHeader ?? ''}
                  aria-label={t('Timestamp header')}
                  status={headerStatus(fields.timestampHeader, false)}
                  onChange={(event) => editScheme({ timestampHeader: event.target.value })}
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item label={t('Id header')}>
                <Input
                  value={fields.idHeader ?? ''}
                  aria-label={t('Id header')}
                  status={headerStatus(fields.idHeader, false)}
                  onChange={(event) => editScheme({ idHeader: event.target.value })}
                />
              </Form.Item>
            </Col>
          </Row>
          {signatureUsesTimestamp(fields) ? (
            <Form.Item
              label={t('Tolerance (seconds)')}
              extra={t(
                'Deliveries whose timestamp is further from now are refused, so a captured request cannot be replayed later.',
              )}
            >
              <InputNumber
                min={0}
                max={SECURITY_LIMITS.toleranceSeconds}
                precision={0}
                style={{ width: '12em' }}
                aria-label={t('Tolerance (seconds)')}
                placeholder={String(DEFAULT_TOLERANCE_SECONDS)}
                value={fields.toleranceSeconds}
                onChange={(toleranceSeconds) => update({ toleranceSeconds: toleranceSeconds ?? undefined })}
              />
            </Form.Item>
          ) : null}
          <Form.Item label={t('Secrets')} required style={{ marginBottom: 8 }}>
            <SecretsEditor secrets={fields.secrets} disabled={disabled} onChange={(secrets) => update({ secrets })} />
          </Form.Item>
          <Typography.Text type="secondary">
            {t(
              'Any of the secrets may have signed (key rotation). A secret may be an environment variable such as {{example}}, which keeps it out of the workflow configuration. Standard Webhooks secrets start with whsec_.',
              { example: '{{$env.WEBHOOK_SECRET}}', interpolation: { escapeValue: false } },
            )}
          </Typography.Text>
        </Form>
      ) : null}
    </CheckSwitch>
  );
}
