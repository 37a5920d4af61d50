/** An adviser's browser, as far as the API sees it: the session cookie and the CSRF token. */
export class ConsoleClient {
  cookie = '';
  csrf = '';

  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown, opts: { csrf?: string | null; origin?: string } = {}) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
    if (opts.origin) headers.origin = opts.origin;
    const res = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    return { status: res.status, body: (await res.json().catch(() => null)) as any, headers: res.headers };
  }

  async login(email: string, password: string) {
    const r = await this.request('POST', '/api/console/login', { email, password });
    if (r.status === 200) this.csrf = r.body.csrfToken;
    return r;
  }

  post(path: string, body: unknown = {}) {
    return this.request('POST', path, body);
  }

  get(path: string) {
    return this.request('GET', path);
  }
}
