/** An in-memory AdminApi and live link for admin component tests. */
import type { Ack, DisplayRecord, Notice, StaffUser } from '@protocol';
import type { AdminApi, DeviceView, TownInfo } from '../../admin/lib/api';
import type { ConnectLive, LiveHandlers } from '../../admin/lib/live';

export const ADMIN: StaffUser = { id: 'u-admin', username: 'admin', displayName: '系统管理员', roles: ['admin', 'reviewer', 'editor'] };
export const EDITOR: StaffUser = { id: 'u-ed', username: 'li', displayName: '李文书', roles: ['editor'] };

export const TOWN: TownInfo = {
  town: { name: '彪角镇', issuer: '彪角镇人民政府' },
  villages: [
    { id: 'v1', name: '彪角村' },
    { id: 'v2', name: '张堂村' },
  ],
};

export function notice(overrides: Partial<Notice> = {}): Notice {
  return {
    id: 'n1',
    title: '冬季森林防火和安全用火提示',
    body: '严禁在林区焚烧秸秆。',
    issuer: '彪角镇人民政府',
    target: { scope: 'town' },
    state: 'draft',
    contentHash: 'c'.repeat(64),
    createdBy: 'u-admin',
    createdAt: 1_000,
    updatedAt: 1_000,
    submittedAt: null,
    approvedBy: null,
    approvedAt: null,
    startsAt: null,
    endsAt: null,
    ...overrides,
  };
}

export function record(overrides: Partial<DisplayRecord> = {}): DisplayRecord {
  return {
    seq: 1,
    receiptId: '00000000-0000-4000-8000-000000000001',
    deviceId: 'k2',
    villageId: 'v2',
    noticeId: 'n1',
    contentHash: 'c'.repeat(64),
    startedAt: 1_000,
    endedAt: 11_000,
    clockTrusted: true,
    recordedAt: 12_000,
    ...overrides,
  };
}

export const DEVICE: DeviceView = {
  id: 'k2',
  kind: 'kiosk',
  name: '张堂村村委会触摸屏',
  villageId: 'v2',
  demo: false,
  online: true,
  lastSeenAt: 5_000,
  kioskUrl: 'http://town/kiosk/?device=k2',
};

const ok = <T>(data: T): Promise<Ack<T>> => Promise.resolve({ ok: true, data });

/** A controller in memory: enough behaviour for the screens, and a log of calls. */
export function fakeApi(options: { password?: string; user?: StaffUser } = {}) {
  const calls: string[] = [];
  const notices: Notice[] = [notice({ id: 'n-approved', title: '已发布的公告', state: 'approved' })];
  const transition = (id: string, from: Notice['state'], to: Notice['state']): Promise<Ack<Notice>> => {
    const found = notices.find((n) => n.id === id);
    if (!found || found.state !== from) return Promise.resolve({ ok: false, error: 'invalid_transition', message: `cannot move to ${to}` });
    found.state = to;
    return ok({ ...found });
  };
  const api: AdminApi = {
    me: () => (calls.push('me'), Promise.resolve({ ok: false, error: 'unauthorized', message: 'sign in first' })),
    login: (body) => {
      calls.push('login');
      return body.password === (options.password ?? 'pw')
        ? ok(options.user ?? ADMIN)
        : Promise.resolve({ ok: false, error: 'unauthorized', message: 'wrong user name or password' });
    },
    logout: () => (calls.push('logout'), ok(null)),
    town: () => ok(TOWN),
    notices: () => ok(notices.map((n) => ({ ...n }))),
    createNotice: (body) => {
      const created = notice({ id: `n${notices.length + 1}`, title: body.title, body: body.body, target: body.target });
      notices.unshift(created);
      return ok({ ...created });
    },
    submitNotice: (id) => transition(id, 'draft', 'pending_review'),
    approveNotice: (id) => transition(id, 'pending_review', 'approved'),
    devices: () => ok([DEVICE]),
    createDevice: () => Promise.resolve({ ok: false, error: 'forbidden', message: 'not in tests' }),
    records: () => ok([record()]),
  };
  return { api, calls, notices };
}

/** The live link: the test pushes events through `handlers`. */
export function fakeLive() {
  const state: { handlers: LiveHandlers | null; closed: number } = { handlers: null, closed: 0 };
  const connect: ConnectLive = (handlers) => {
    state.handlers = handlers;
    return {
      close: () => {
        state.closed += 1;
      },
    };
  };
  return { state, connect };
}
