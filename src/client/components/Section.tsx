import React, { type ReactNode } from 'react';
import { Divider, Typography } from 'antd';

interface SectionProps {
  title?: string;
  description?: string;
  children?: ReactNode;
}

/** A titled group of fields inside a drawer; Formily has already compiled `{{t(...)}}` props into text. */
export function Section({ title, description, children }: SectionProps) {
  return (
    <section>
      {title ? (
        <Divider orientation="left" orientationMargin={0}>
          {title}
        </Divider>
      ) : null}
      {description ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {description}
        </Typography.Paragraph>
      ) : null}
      {children}
    </section>
  );
}
