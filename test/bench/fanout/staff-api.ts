/** A minimal staff client for `/api`: one session cookie, JSON in and out, failures thrown. */
import { SESSION_COOKIE } from '../../../controller/auth/sessions.js';
import type { Ack } from '../../../controller/protocol/index.js';

export class StaffApi {
  private cookie = '';

  constructor(private readonly baseUrl: string) {}

  async login(username: string, password: string): Promise<void> {
    await this.post('/api/auth/login', { username, password });
    if (this.cookie === '') throw new Error('signed in but no session cookie came back');
  }

  async post<T>(route: string, body: unknown = {}): Promise<T> {
    const res = await fetch(`${this.baseUrl}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify(body),
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (session) this.cookie = session.split(';')[0] ?? '';
    const ack = (await res.json()) as Ack<T>;
    if (!ack.ok) throw new Error(`POST ${route}: ${res.status} ${ack.error}: ${ack.message}`);
    return ack.data;
  }
}
