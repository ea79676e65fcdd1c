import React from 'react';
import { Col, Form, Input, Row, Select, Typography } from 'antd';

import { checkHeaderName, isHmacAlgorithm } from '../../common/configChecks';
import { JWT_ALGORITHMS } from '../../common/constants';
import type { JwtAlgorithm, JwtConfig } from '../../common/types';
import { DEFAULT_JWT_HEADER, createJwtDraft, savedJwt } from '../securityValues';
import { useTranslate } from '../locale';
import { CheckSwitch, type OptionalCheckProps, useCheckDraft } from './OptionalCheck';

/** `false`, or how a JWT sent in a header is verified: algorithms, their key, and the expected issuer and audience. */
export function JwtVerification(props: OptionalCheckProps<JwtConfig>) {
  const t = useTranslate();
  const { fields, toggle, update } = useCheckDraft(props, createJwtDraft, savedJwt);
  const { disabled } = props;
  const algorithms = fields?.algorithms ?? [];
  const usesSecret = algorithms.some(isHmacAlgorithm);
  const usesPublicKey = algorithms.some((algorithm) => !isHmacAlgorithm(algorithm));

  return (
    <CheckSwitch
      label={t('JWT verification')}
      on={Boolean(fields)}
      onToggle={toggle}
      disabled={disabled}
      testId="webhook-jwt"
    >
      {fields ? (
        <Form layout="vertical" component="div" disabled={disabled}>
          <Row gutter={16}>
            <Col span={10}>
              <Form.Item label={t('Header name')}>
                <Input
                  value={fields.header ?? ''}
                  aria-label={t('Header name')}
                  placeholder={DEFAULT_JWT_HEADER}
                  status={fields.header?.trim() && checkHeaderName(fields.header) ? 'error' : undefined}
                  onChange={(event) => update({ header: event.target.value })}
                />
              </Form.Item>
            </Col>
            <Col span={14}>
              <Form.Item label={t('Allowed algorithms')}>
                <Select<JwtAlgorithm[]>
                  mode="multiple"
                  value={algorithms}
                  aria-label={t('Allowed algorithms')}
                  status={algorithms.length ? undefined : 'error'}
                  options={JWT_ALGORITHMS.map((algorithm) => ({ label: algorithm, value: algorithm }))}
                  onChange={(next) =>
                    update({ algorithms: JWT_ALGORITHMS.filter((algorithm) => next.includes(algorithm)) })
                  }
                />
              </Form.Item>
            </Col>
          </Row>
          {usesSecret ? (
            <Form.Item label={t('Secret (HS256, HS384, HS512)')}>
              <Input.Password
                value={fields.secret ?? ''}
                aria-label={t('Secret (HS256, HS384, HS512)')}
                status={fields.secret ? undefined : 'error'}
                autoComplete="new-password"
                onChange={(event) => update({ secret: event.target.value })}
              />
            </Form.Item>
          ) : null}
          {usesPublicKey ? (
            <Form.Item label={t('Public key (RS*, ES*), PEM')}>
              <Input.TextArea
                value={fields.publicKey ?? ''}
                aria-label={t('Public key (RS*, ES*), PEM')}
                placeholder={'-----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----'}
                status={fields.publicKey ? undefined : 'error'}
                autoSize={{ minRows: 4, maxRows: 12 }}
                style={{ fontFamily: 'monospace' }}
                onChange={(event) => update({ publicKey: event.target.value })}
              />
            </Form.Item>
          ) : null}
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item label={t('Issuer (optional)')}>
                <Input
                  value={fields.issuer ?? ''}
                  aria-label={t('Issuer (optional)')}
                  onChange={(event) => update({ issuer: event.target.value })}
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item label={t('Audience (optional)')}>
                <Input
                  value={fields.audience ?? ''}
                  aria-label={t('Audience (optional)')}
                  onChange={(event) => update({ audience: event.target.value })}
                />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Text type="secondary">
            {t('The sender sends "Authorization: Bearer <jwt>" (another header holds the token alone).')}{' '}
            {t('The claims of the verified token become the trigger variables "JWT claims", e.g. {{example}}.', {
              example: '{{$context.auth.sub}}',
              interpolation: { escapeValue: false },
            })}
          </Typography.Text>
        </Form>
      ) : null}
    </CheckSwitch>
  );
}
