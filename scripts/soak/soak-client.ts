import type { SoakStats } from './soak-stats';

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/**
 * HTTP to the app under test (fetch, keep-alive), recording every request in `stats`. `expect`
 * lists the statuses that are a correct answer at this point of the scenario; anything else —
 * above all a 5xx or a network error — counts as unexpected.
 */
export class SoakClient {
  constructor(
    private readonly baseUrl: string,
    private readonly stats: SoakStats,
  ) {}

  async call(
    route: string,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; expect: number[] },
  ): Promise<Reply | undefined> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      this.stats.record(route, response.status, ms, options.expect.includes(response.status));
      return { status: response.status, body: parseBody(text) };
    } catch {
      this.stats.record(route, 'network', performance.now() - started, false);
      return undefined;
    }
  }
}

function parseBody(text: string): Reply['body'] {
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    return typeof parsed === 'object' && parsed !== null ? (parsed as Reply['body']) : {};
  } catch {
    return {};
  }
}
