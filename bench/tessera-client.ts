/**
 * The few calls the benchmark makes to set up and to time single requests: Tessera's admin API,
 * its grants and Tencent's signed-in change, and Better Auth's email + password routes.
 */
export const PASSWORD = 'Bench-Passw0rd-1';
const FORM = 'application/x-www-form-urlencoded';

export const basicAuth = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export interface Application {
  client_id: string;
  client_secret: string;
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
}

async function call(
  url: string,
  init: RequestInit,
  expected: number[] = [200, 201],
): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(url, init);
  const body = await res.text();
  if (!expected.includes(res.status))
    throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${body.slice(0, 300)}`);
  return { status: res.status, body, headers: res.headers };
}

export class TesseraClient {
  private adminToken = '';

  constructor(readonly url: string) {}

  /** The bodies and headers of the requests the load generator repeats. */
  passwordGrantRequest(app: Application, username: string, password = PASSWORD) {
    return {
      headers: { 'Content-Type': FORM, Authorization: basicAuth(app.client_id, app.client_secret) },
      body: new URLSearchParams({
        grant_type: 'password',
        username,
        password,
        scope: 'openid',
      }).toString(),
    };
  }

  clientCredentialsRequest(app: Application) {
    return {
      headers: { 'Content-Type': FORM, Authorization: basicAuth(app.client_id, app.client_secret) },
      body: 'grant_type=client_credentials',
    };
  }

  async signInAdmin(clientId: string, clientSecret: string): Promise<void> {
    this.adminToken = (
      await this.token(
        this.clientCredentialsRequest({ client_id: clientId, client_secret: clientSecret }),
      )
    ).access_token;
  }

  async token(request: { headers: Record<string, string>; body: string }): Promise<Tokens> {
    const { body } = await call(`${this.url}/oauth2/token`, { method: 'POST', ...request });
    return JSON.parse(body) as Tokens;
  }

  signIn(app: Application, username: string, password = PASSWORD): Promise<Tokens> {
    return this.token(this.passwordGrantRequest(app, username, password));
  }

  private async admin<T>(method: string, path: string, body: unknown): Promise<T> {
    const res = await call(`${this.url}/admin/${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.adminToken}` },
      body: JSON.stringify(body),
    });
    return JSON.parse(res.body) as T;
  }

  createApplication(name: string, type: 'web' | 'm2m'): Promise<Application> {
    return this.admin('POST', 'applications', { name, type });
  }

  async setHistoryCount(app: Application, historyCount: number): Promise<void> {
    await this.admin('PUT', `applications/${app.client_id}/password-policy`, {
      history_count: historyCount,
    });
  }

  async createUser(username: string, password = PASSWORD): Promise<string> {
    const user = await this.admin<{ id?: string; user_id?: string }>('POST', 'users', {
      username,
      password,
      must_change_password: false,
    });
    const id = user.id ?? user.user_id;
    if (!id) throw new Error(`no id in the created user ${JSON.stringify(user)}`);
    return id;
  }

  /** Tencent CIAM's signed-in change; answers its status (200 on success). */
  async change(accessToken: string, oldPassword: string, newPassword: string): Promise<number> {
    const res = await call(`${this.url}/change_user_password`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ old_password: oldPassword, new_password: newPassword }),
    });
    return res.status;
  }

  /** Statements the service sent to its database so far (bench/query-counter.ts). */
  async statements(): Promise<{ statements: number; transactionControl: number }> {
    const { body } = await call(`${this.url}/__bench/queries`, {});
    return JSON.parse(body) as { statements: number; transactionControl: number };
  }
}

export class PeerClient {
  constructor(readonly url: string) {}

  /** Better Auth checks the Origin of cookie-bearing requests against its base URL. */
  headers(cookie?: string): Record<string, string> {
    return {
      'Content-Type': 'application/json',
      Origin: this.url,
      ...(cookie ? { Cookie: cookie } : {}),
    };
  }

  signInBody(email: string, password = PASSWORD): string {
    return JSON.stringify({ email, password });
  }

  async signUp(email: string, password = PASSWORD): Promise<void> {
    await call(`${this.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ email, password, name: email.split('@')[0] }),
    });
  }

  /** The session cookie (`name=value`) a sign-in sets. */
  async signIn(email: string, password = PASSWORD): Promise<string> {
    const { headers } = await call(`${this.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: this.headers(),
      body: this.signInBody(email, password),
    });
    const cookie = headers.getSetCookie().find((c) => c.includes('session_token='));
    if (!cookie) throw new Error('Better Auth set no session cookie');
    return cookie.split(';')[0];
  }

  async change(cookie: string, currentPassword: string, newPassword: string): Promise<number> {
    const res = await call(`${this.url}/api/auth/change-password`, {
      method: 'POST',
      headers: this.headers(cookie),
      body: JSON.stringify({ currentPassword, newPassword, revokeOtherSessions: false }),
    });
    return res.status;
  }
}
