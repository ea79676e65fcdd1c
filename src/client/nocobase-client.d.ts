// @nocobase/client is provided by the NocoBase page at run time and cannot be installed from npm here
// (its dependency @nocobase/client-v2 is unpublished); this declares the part of it the plugin uses.
declare module '@nocobase/client' {
  import type { ComponentType, ReactNode } from 'react';
  import type { i18n as I18n } from 'i18next';

  export interface PluginManager {
    get(name: string): Plugin | undefined;
  }

  export interface Application {
    readonly pm: PluginManager;
    readonly i18n: I18n;
    /** Absolute URL of the API root plus `pathname`, e.g. `http://localhost:13000/api/`. */
    getApiUrl(pathname?: string): string;
    /** Name of the sub-application the page runs in, or null in the main application. */
    getName(): string | null;
    /** A page path as a link: the public path (and `apps/<name>/` in a sub-application) plus `pathname`. */
    getHref(pathname: string): string;
  }

  export class Plugin<Options extends object = Record<string, unknown>> {
    constructor(options: Options, app: Application);
    readonly options: Options;
    readonly app: Application;
    readonly pm: PluginManager;
    afterAdd(): Promise<void>;
    beforeLoad(): Promise<void>;
    load(): Promise<void>;
  }

  export function useApp(): Application;

  /** An entry of a variable picker: `value` is one segment of the `{{a.b.c}}` path. */
  export interface VariableScopeOption {
    key?: string;
    label: ReactNode;
    value: string;
    children?: VariableScopeOption[];
    isLeaf?: boolean;
    disabled?: boolean;
  }

  interface VariableInputProps<Value> {
    value?: Value;
    onChange?(value: Value): void;
    scope?: VariableScopeOption[];
    disabled?: boolean;
    placeholder?: string;
  }

  /** Text with `{{variable}}` tags; `multiline={false}` keeps it on one line. */
  interface VariableTextAreaProps extends VariableInputProps<string> {
    multiline?: boolean;
    changeOnSelect?: boolean;
  }

  /** A JSON editor (value parsed on blur) with a button that inserts `{{variable}}` at the cursor. */
  interface VariableJsonProps extends VariableInputProps<unknown> {
    autoSize?: { minRows?: number; maxRows?: number };
  }

  export const Variable: {
    TextArea: ComponentType<VariableTextAreaProps>;
    JSON: ComponentType<VariableJsonProps>;
  };

  /** The page's axios-based client: relative URLs are resolved against the API root, the session token is sent. */
  export interface APIClient {
    request<T = unknown>(config: {
      url: string;
      method?: 'get' | 'post';
      params?: Record<string, unknown>;
      data?: unknown;
    }): Promise<{ data: T }>;
  }

  export function useAPIClient(): APIClient;
}
