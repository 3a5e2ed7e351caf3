/** Plain HTTP clients for setting up browser tests through the real APIs (portal cookie login, client license key). */

export class PortalClient {
  private cookie = '';
  private csrf = '';
  constructor(readonly baseUrl: string) {}

  static async login(baseUrl: string, email: string, password: string): Promise<PortalClient> {
    const c = new PortalClient(baseUrl);
    const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
    const set = res.headers.getSetCookie().find((h) => h.startsWith('licstat_session='));
    if (!set) throw new Error('no session cookie');
    c.cookie = set.split(';')[0]!;
    c.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    return c;
  }

  async raw(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        ...(method === 'GET' ? {} : { 'x-csrf-token': this.csrf }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.raw(method, path, body);
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }
  post<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('POST', path, body);
  }
  async text(path: string): Promise<string> {
    const res = await this.raw('GET', path);
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return res.text();
  }
}

/** A licensed program: the client API with `Authorization: License <key>`. */
export class LicensedProgram {
  constructor(
    readonly baseUrl: string,
    readonly key: string,
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `License ${this.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async activate(fingerprint: string, email: string): Promise<void> {
    const r = await this.call('POST', '/client/activations', {
      fingerprint,
      hostname: `host-${fingerprint}`,
      email,
      version: '2026.1',
    });
    if (r.status !== 200 && r.status !== 201)
      throw new Error(`activate: ${r.status} ${JSON.stringify(r.body)}`);
  }

  async start(fingerprint: string, email: string, project?: string) {
    const r = await this.call<{ session: { id: string; mode: string; reason?: string } }>(
      'POST',
      '/client/sessions',
      {
        fingerprint,
        email,
        version: '2026.1',
        ...(project ? { project } : {}),
      },
    );
    if (r.status !== 201) throw new Error(`start: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.session;
  }

  async end(sessionId: string): Promise<void> {
    const r = await this.call('POST', `/client/sessions/${sessionId}/end`);
    if (r.status !== 200) throw new Error(`end: ${r.status}`);
  }

  async scans(fingerprint: string, events: { count: number; at: number }[], project?: string): Promise<void> {
    const r = await this.call('POST', '/client/usage', {
      batchId: `b-${Math.random().toString(36).slice(2)}`,
      fingerprint,
      ...(project ? { project } : {}),
      events: events.map((e) => ({ kind: 'scan', count: e.count, at: new Date(e.at).toISOString() })),
    });
    if (r.status !== 202) throw new Error(`usage: ${r.status} ${JSON.stringify(r.body)}`);
  }
}
