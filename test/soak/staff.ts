/**
 * The soak's staff: an editor drafts and a reviewer approves, as the
 * four-eyes rule wants. Sessions expire in simulated time (12 h), so a 401
 * signs in again.
 */
import { SESSION_COOKIE } from '../../controller/auth/sessions.js';
import type { Ack, Notice, NoticeContentRequest } from '../../controller/protocol/index.js';
import { ATTESTATION } from '../helpers/controller.js';
import { SOAK_STAFF } from './town.js';

export class Session {
  cookie = '';
  constructor(
    private readonly url: string,
    private readonly username: string,
  ) {}

  async login(): Promise<void> {
    this.cookie = '';
    await this.call('POST', '/api/auth/login', { username: this.username, password: SOAK_STAFF.password }, false);
    if (!this.cookie) throw new Error(`${this.username}: signed in but no session cookie`);
  }

  async call<T>(method: string, route: string, body?: unknown, retry = true): Promise<T> {
    const res = await fetch(`${this.url}${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (session) this.cookie = session.split(';')[0] ?? '';
    if (res.status === 401 && retry) {
      await this.login();
      return this.call(method, route, body, false);
    }
    const ack = (await res.json()) as Ack<T>;
    if (!ack.ok) throw new Error(`${method} ${route}: ${res.status} ${ack.error}: ${ack.message}`);
    return ack.data;
  }
}

export interface SoakStaff {
  editorCookie(): string;
  /** Signs the editor in again (a browser whose session ran out). */
  refresh(): Promise<void>;
  publish(content: NoticeContentRequest): Promise<string>;
  correct(id: string, content: NoticeContentRequest): Promise<void>;
  withdraw(id: string): Promise<void>;
}

export async function soakStaff(url: string): Promise<SoakStaff> {
  const editor = new Session(url, SOAK_STAFF.editor);
  const reviewer = new Session(url, SOAK_STAFF.reviewer);
  await editor.login();
  await reviewer.login();
  const approve = async (id: string) => {
    await editor.call('POST', `/api/notices/${id}/submit`, {});
    await reviewer.call('POST', `/api/notices/${id}/approve`, { attestation: ATTESTATION });
  };
  return {
    editorCookie: () => editor.cookie,
    refresh: () => editor.login(),
    async publish(content) {
      const notice = await editor.call<Notice>('POST', '/api/notices', content);
      await approve(notice.id);
      return notice.id;
    },
    async correct(id, content) {
      await editor.call('PUT', `/api/notices/${id}/draft`, { content, correctionReason: '更正：联系电话有误' });
      await approve(id);
    },
    async withdraw(id) {
      await reviewer.call('POST', `/api/notices/${id}/withdraw`, { reason: '事项已办结，撤回' });
    },
  };
}
