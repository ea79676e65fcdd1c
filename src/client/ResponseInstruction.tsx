import React from 'react';
import { SendOutlined } from '@ant-design/icons';
import {
  Instruction,
  WorkflowVariableJSON,
  WorkflowVariableTextArea,
  type NodeAvailableContext,
} from '@nocobase/plugin-workflow/client';

import { checkHeaderName, checkStatusCode } from '../common/configChecks';
import { DEFAULT_RESPONSE_NODE_STATUS_CODE, RESPONSE_INSTRUCTION_TYPE } from '../common/constants';
import { isResponseNodeAvailable } from '../common/responseSettings';
import { type Translate, tval } from './locale';

/** The "Response" node: answers the webhook request of a synchronous workflow and ends the execution. */
export class ResponseInstruction extends Instruction {
  title = tval('Response');
  type = RESPONSE_INSTRUCTION_TYPE;
  group = 'control';
  description = tval('Answers the HTTP request of a synchronous webhook workflow and ends the execution.');
  icon = (<SendOutlined />);
  end = true;
  testable = false;
  fieldset: Instruction['fieldset'];
  components = { WorkflowVariableJSON, WorkflowVariableTextArea };

  constructor(translate: Translate) {
    super();
    this.fieldset = createResponseFieldset(translate);
  }

  createDefaultConfig() {
    return { statusCode: DEFAULT_RESPONSE_NODE_STATUS_CODE, headers: [], body: {} };
  }

  isAvailable({ workflow }: NodeAvailableContext): boolean {
    return isResponseNodeAvailable(workflow as { type?: string; sync?: boolean });
  }
}

function createResponseFieldset(t: Translate): Instruction['fieldset'] {
  return {
    statusCode: {
      type: 'number',
      title: tval('Status code'),
      description: tval('200-599. Nodes after this one do not run: the execution ends here.'),
      'x-decorator': 'FormItem',
      'x-component': 'InputNumber',
      'x-component-props': { min: 200, max: 599, precision: 0, style: { width: '10em' } },
      'x-validator': (value: unknown) => {
        const message = checkStatusCode(value, 200, 599);
        return message ? t(message, { min: 200, max: 599 }) : undefined;
      },
      required: true,
      default: DEFAULT_RESPONSE_NODE_STATUS_CODE,
    },
    headers: {
      type: 'array',
      title: tval('Response headers'),
      description: tval('Values may hold variables.'),
      'x-decorator': 'FormItem',
      'x-component': 'ArrayItems',
      default: [],
      items: {
        type: 'object',
        properties: {
          row: {
            type: 'void',
            'x-component': 'Space',
            'x-component-props': { style: { display: 'flex', alignItems: 'flex-start' } },
            properties: {
              name: {
                type: 'string',
                'x-decorator': 'FormItem',
                'x-component': 'Input',
                'x-component-props': { placeholder: tval('Header name') },
                'x-validator': (value: string) => {
                  const message = checkHeaderName(value);
                  return message ? t(message) : undefined;
                },
                required: true,
              },
              value: {
                type: 'string',
                'x-decorator': 'FormItem',
                'x-decorator-props': { style: { flexGrow: 1, minWidth: '16em' } },
                'x-component': 'WorkflowVariableTextArea',
                'x-component-props': { placeholder: tval('Value') },
              },
              remove: {
                type: 'void',
                'x-decorator': 'FormItem',
                'x-component': 'ArrayItems.Remove',
              },
            },
          },
        },
      },
      properties: {
        add: {
          type: 'void',
          title: tval('Add response header'),
          'x-component': 'ArrayItems.Addition',
        },
      },
    },
    body: {
      title: tval('Response body'),
      description: tval('JSON. Insert variables of the trigger and earlier nodes with the button at the top right.'),
      'x-decorator': 'FormItem',
      'x-component': 'WorkflowVariableJSON',
      'x-component-props': { autoSize: { minRows: 8 } },
      default: {},
    },
  };
}
