// @nocobase/client is provided by the NocoBase page at run time and cannot be installed from npm here
// (its dependency @nocobase/client-v2 is unpublished); this declares the part of it the plugin uses.
declare module '@nocobase/client' {
  export interface PluginManager {
    get(name: string): Plugin | undefined;
  }

  export interface Application {
    readonly pm: PluginManager;
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
}
