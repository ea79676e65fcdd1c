/** The NocoBase HTTP API as the admin's browser would call it, plus a third party's plain POSTs. */
export const ROOT_ACCOUNT = { account: 'admin@nocobase.com', password: 'admin123' };

export interface WorkflowRecord {
  id: number;
  key: string;
  title: string;
  type: string;
  sync: boolean;
  enabled: boolean;
  config: Record<string, unknown>;
}

export interface ExecutionRecord {
  id: number;
  status: number;
  context: {
    headers: Record<string, string>;
    query: Record<string, unknown>;
    body: Record<string, unknown>;
    rawBody?: string;
  };
}

export interface FlowNodeRecord {
  id: number;
  type: string;
  upstreamId: number | null;
  downstreamId: number | null;
  branchIndex: number | null;
  config: Record<string, unknown>;
}

export class Api {
  private token = '';

  constructor(readonly baseUrl: string) {}

  async signIn(): Promise<void> {
    const response = await fetch(`${this.baseUrl}/api/auth:signIn`, {
      method: 'POST',
      headers: { 'X-Authenticator': 'basic', 'Content-Type': 'application/json' },
      body: JSON.stringify(ROOT_ACCOUNT),
    });
    this.token = ((await response.json()) as { data: { token: string } }).data.token;
  }

  async call<T>(action: string, query: Record<string, unknown> = {}): Promise<T> {
    const search = new URLSearchParams(
      Object.entries(query).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
    );
    const response = await fetch(`${this.baseUrl}/api/${action}?${search}`, {
      headers: { Authorization: `Bearer ${this.token}` },
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`GET /api/${action} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return (JSON.parse(text) as { data: T }).data;
  }

  async latestWorkflow(title: string): Promise<WorkflowRecord> {
    const [workflow] = await this.call<WorkflowRecord[]>('workflows:list', {
      filter: { title, current: true },
      sort: '-id',
      pageSize: '1',
    });
    if (!workflow) {
      throw new Error(`no workflow titled "${title}"`);
    }
    return workflow;
  }

  workflow(id: number): Promise<WorkflowRecord> {
    return this.call<WorkflowRecord>('workflows:get', { filterByTk: String(id) });
  }

  nodes(workflowId: number): Promise<FlowNodeRecord[]> {
    return this.call<FlowNodeRecord[]>('flow_nodes:list', { filter: { workflowId }, paginate: 'false' });
  }

  executions(workflowId: number): Promise<ExecutionRecord[]> {
    return this.call<ExecutionRecord[]>('executions:list', { filter: { workflowId }, sort: '-id' });
  }
}

/** Polls until `read` returns something `accept` likes (async work such as a queued execution). */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last).slice(0, 500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await read();
  }
  return last;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** A third party's POST: JSON body, optional Basic credentials. */
export async function postWebhook(
  url: string,
  body: unknown,
  options: { credentials?: [string, string]; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const auth: Record<string, string> = options.credentials
    ? { Authorization: `Basic ${Buffer.from(options.credentials.join(':')).toString('base64')}` }
    : {};
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...auth, ...options.headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A third party's POST of a body as it is written (XML, a form, text), with its Content-Type. */
export async function postText(url: string, body: string, contentType: string): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
