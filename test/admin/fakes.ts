/** An in-memory AdminApi and live link for admin component tests. */
import {
  type Ack,
  createHolidayCalendar,
  type DisplayRecord,
  type Health,
  type Notice,
  type NoticeContent,
  type NoticeVersion,
  type PublicUrlCheck,
  type StaffUser,
  defaultRetention,
  fail,
  maskPii,
  ok as okAck,
  scanPii,
} from '@protocol';
import type { AdminApi, DeviceView, TownInfo } from '../../admin/lib/api';
import type { ConnectLive, LiveHandlers } from '../../admin/lib/live';
import type { Route } from '../../admin/lib/route';
import type { AdminData } from '../../admin/lib/useAdminData';

export function staffUser(overrides: Partial<StaffUser> = {}): StaffUser {
  return {
    id: 'u-admin',
    username: 'admin',
    displayName: '系统管理员',
    roles: ['admin', 'reviewer', 'editor'],
    villageIds: [],
    disabled: false,
    mustChangePassword: false,
    createdAt: 1_000,
    ...overrides,
  };
}

export const ADMIN = staffUser();
export const EDITOR = staffUser({ id: 'u-ed', username: 'li', displayName: '李文书', roles: ['editor'] });
export const REVIEWER = staffUser({ id: 'u-rev', username: 'wang', displayName: '王审核', roles: ['reviewer'] });

export const TOWN: TownInfo = {
  town: { name: '彪角镇', issuer: '彪角镇人民政府' },
  villages: [
    { id: 'v1', name: '彪角村' },
    { id: 'v2', name: '张堂村' },
  ],
};

export function content(overrides: Partial<NoticeContent> = {}): NoticeContent {
  return {
    title: '冬季森林防火和安全用火提示',
    body: '严禁在林区焚烧秸秆。',
    ledText: '冬季森林防火和安全用火提示',
    category: 'a20-emergency',
    keyAreas: [],
    docNumber: null,
    issuer: '彪角镇人民政府',
    formedOn: '2026-11-20',
    target: { scope: 'town' },
    posting: { start: '2026-11-20', rule: { kind: 'calendar_days', days: 7 } },
    priority: 0,
    emergency: null,
    retention: '10y',
    ...overrides,
  };
}

export function version(overrides: Partial<NoticeVersion> = {}): NoticeVersion {
  return {
    id: 'ver-1',
    noticeId: 'n1',
    number: 1,
    content: content(),
    contentHash: 'c'.repeat(64),
    state: 'draft',
    revisionOf: null,
    correction: null,
    createdBy: EDITOR.id,
    createdAt: 1_000,
    updatedAt: 1_000,
    editors: [EDITOR.id],
    submittedBy: null,
    submittedAt: null,
    privacyOverrideRequest: null,
    review: null,
    startsAt: null,
    endsAt: null,
    withdrawal: null,
    endedAt: null,
    ...overrides,
  };
}

/** A notice view from its versions, derived the way the controller derives it. */
export function noticeOf(versions: NoticeVersion[], overrides: Partial<Notice> = {}): Notice {
  const live = versions.find((v) => v.state === 'approved') ?? null;
  const working = versions.find((v) => v.state === 'draft' || v.state === 'pending_review' || v.state === 'rejected') ?? null;
  const current = working ?? live ?? versions[versions.length - 1]!;
  const latest = versions[versions.length - 1]!;
  return {
    id: current.noticeId,
    state: live ? 'approved' : latest.state === 'superseded' ? 'expired' : latest.state,
    title: current.content.title,
    category: current.content.category,
    target: current.content.target,
    createdBy: versions[0]!.createdBy,
    createdAt: versions[0]!.createdAt,
    updatedAt: Math.max(...versions.map((v) => v.updatedAt)),
    live,
    working,
    versions,
    deadline: null,
    unknownCalendarYears: [],
    ...overrides,
  };
}

/** A notice with one version in `state`. */
export function notice(id: string, state: NoticeVersion['state'] = 'draft', overrides: Partial<NoticeContent> = {}): Notice {
  return noticeOf([version({ id: `${id}-v1`, noticeId: id, state, content: content(overrides) })]);
}

export function record(overrides: Partial<DisplayRecord> = {}): DisplayRecord {
  return {
    seq: 1,
    receiptId: '00000000-0000-4000-8000-000000000001',
    deviceId: 'k2',
    villageId: 'v2',
    noticeId: 'n-approved',
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
  location: '村委会大门东侧',
  demo: false,
  online: true,
  lastSeenAt: 5_000,
  revokedAt: null,
  onHours: null,
  status: null,
  missingReceipts: 0,
  offlineAlert: false,
  witnessAlarm: null,
  kioskUrl: 'http://town/kiosk/?device=k2',
};

/** A device as listed, with the given changes. */
export const device = (overrides: Partial<DeviceView> = {}): DeviceView => ({ ...DEVICE, ...overrides });

const ok = <T>(data: T): Promise<Ack<T>> => Promise.resolve(okAck(data));
const refuse = <T>(error: Parameters<typeof fail>[0], message: string): Promise<Ack<T>> => Promise.resolve(fail(error, message));

/**
 * A controller in memory: the lifecycle with its privacy gate and four-eyes
 * rule, enough for the screens, and a log of calls (`'submit n1'`, …).
 */
export function fakeApi(
  options: { password?: string; user?: StaffUser; notices?: Notice[]; health?: Health; publicUrl?: PublicUrlCheck } = {},
) {
  const calls: string[] = [];
  const publicUrlCheck: PublicUrlCheck = options.publicUrl ?? {
    url: 'http://192.168.1.10:8080',
    source: 'configured',
    loopback: false,
    remoteKiosks: [],
    option: null,
  };
  let health: Health = options.health ?? { status: 'ok', version: '0.1.0', protocol: 1, build: 'dev', uptimeSec: 1 };
  const signedIn = options.user ?? ADMIN;
  let notices: Notice[] = options.notices ?? [
    noticeOf([version({ id: 'a-v1', noticeId: 'n-approved', state: 'approved', content: content({ title: '已发布的公告' }) })]),
  ];
  const users: StaffUser[] = [ADMIN, EDITOR, REVIEWER];
  let seq = 0;

  const find = (id: string): Notice | undefined => notices.find((n) => n.id === id);
  const store = (next: Notice): Promise<Ack<Notice>> => {
    notices = [next, ...notices.filter((n) => n.id !== next.id)];
    return ok(next);
  };
  const replaceWorking = (n: Notice, change: (v: NoticeVersion) => NoticeVersion): Notice =>
    noticeOf(n.versions.map((v) => (v.id === n.working?.id ? change(v) : v)));
  const complete = (c: Parameters<AdminApi['createNotice']>[0]): NoticeContent =>
    content({
      ...c,
      ledText: c.ledText || c.title,
      issuer: c.issuer || TOWN.town.issuer,
      keyAreas: c.keyAreas ?? [],
      docNumber: c.docNumber ?? null,
      formedOn: c.formedOn ?? '2026-11-26',
      posting: { start: c.posting?.start ?? '2026-11-26', rule: c.posting?.rule ?? { kind: 'long_term' } },
      priority: c.priority ?? 0,
      emergency: c.emergency ?? null,
      category: c.category ?? 'a20-other',
      retention: c.retention ?? defaultRetention(c.category ?? 'a20-other'),
    });
  const hits = (c: NoticeContent): number => scanPii(c.title).length + scanPii(c.body).length + scanPii(c.ledText).length;

  const api: AdminApi = {
    me: () => (calls.push('me'), refuse('unauthorized', 'sign in first')),
    login: (body) => {
      calls.push('login');
      return body.password === (options.password ?? 'pw')
        ? ok(signedIn)
        : refuse('unauthorized', 'wrong user name or password (用户名或密码错误)');
    },
    logout: () => (calls.push('logout'), ok(null)),
    changePassword: (body) => {
      calls.push('changePassword');
      return body.currentPassword === (options.password ?? 'pw')
        ? ok({ ...signedIn, mustChangePassword: false })
        : refuse('invalid_payload', 'wrong password');
    },
    health: () => ok(health),
    town: () => ok(TOWN),
    settings: () => ok({ holidayOverrides: { holidays: [], workdays: [] } }),
    createVillage: (name) => (calls.push(`createVillage ${name}`), ok({ id: `v${TOWN.villages.length + 1}`, name })),
    renameVillage: (id, name) => (calls.push(`renameVillage ${id} ${name}`), ok({ id, name })),
    staff: () => (calls.push('staff'), ok(users.map(({ id, displayName, roles }) => ({ id, displayName, roles })))),
    users: () => ok(users),
    createUser: (body) => {
      calls.push(`createUser ${body.username}`);
      const created = staffUser({ id: `u-${body.username}`, ...body, villageIds: body.villageIds ?? [], mustChangePassword: true });
      users.push(created);
      return ok(created);
    },
    updateUser: (id, body) => (calls.push(`updateUser ${id}`), ok({ ...users.find((u) => u.id === id)!, ...body })),
    resetPassword: (id) => (calls.push(`resetPassword ${id}`), ok({ ...users.find((u) => u.id === id)!, mustChangePassword: true })),
    notices: (query = {}) => {
      calls.push(`notices ${JSON.stringify(query)}`);
      const matching = notices.filter((n) => !query.state || n.state === query.state);
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 50;
      return ok({ items: matching.slice((page - 1) * pageSize, page * pageSize), total: matching.length, page, pageSize });
    },
    notice: (id) => {
      const found = find(id);
      return found ? ok(found) : refuse('not_found', `no notice ${id}`);
    },
    createNotice: (body) => {
      calls.push('createNotice');
      seq += 1;
      const id = `n-new-${seq}`;
      return store(
        noticeOf([version({ id: `${id}-v1`, noticeId: id, content: complete(body), createdBy: signedIn.id, editors: [signedIn.id] })]),
      );
    },
    editNotice: (id, body) => {
      calls.push(`editNotice ${id}`);
      const n = find(id);
      if (!n) return refuse('not_found', id);
      if (n.working) return store(replaceWorking(n, (v) => ({ ...v, content: complete(body.content), state: 'draft' })));
      const number = n.versions.length + 1;
      const revision = version({
        id: `${id}-v${number}`,
        noticeId: id,
        number,
        content: complete(body.content),
        revisionOf: n.live?.id ?? null,
        correction: body.correctionReason ? { reason: body.correctionReason } : null,
        editors: [signedIn.id],
      });
      return store(noticeOf([...n.versions, revision]));
    },
    maskNotice: (id) => {
      calls.push(`maskNotice ${id}`);
      const n = find(id);
      if (!n?.working) return refuse('invalid_transition', 'no draft');
      const mask = (c: NoticeContent): NoticeContent => ({
        ...c,
        title: maskPii(c.title),
        body: maskPii(c.body),
        ledText: maskPii(c.ledText),
      });
      return store(replaceWorking(n, (v) => ({ ...v, content: mask(v.content) })));
    },
    submitNotice: (id, reason) => {
      calls.push(`submitNotice ${id}${reason ? ` ${reason}` : ''}`);
      const n = find(id);
      if (n?.working?.state !== 'draft') return refuse('invalid_transition', 'only a draft can be submitted');
      if (hits(n.working.content) > 0 && !reason) return refuse('privacy_blocked', 'unmasked personal data (含未脱敏个人信息)');
      return store(
        replaceWorking(n, (v) => ({
          ...v,
          state: 'pending_review',
          submittedBy: signedIn.id,
          submittedAt: 2_000,
          privacyOverrideRequest: reason ?? null,
        })),
      );
    },
    approveNotice: (id, body) => {
      calls.push(`approveNotice ${id} ${JSON.stringify(body)}`);
      const n = find(id);
      if (n?.working?.state !== 'pending_review') return refuse('invalid_transition', 'not pending');
      if (body.fastPath && !n.working.content.emergency)
        return refuse('forbidden', 'the one-reviewer fast path is only for emergency warnings');
      if (!body.fastPath && n.working.editors.includes(signedIn.id))
        return refuse('forbidden', 'nobody may approve their own version (不能审核自己的稿件)');
      const review = {
        decision: 'approved' as const,
        by: signedIn.id,
        at: 3_000,
        attestation: { ...body.attestation, opinion: body.attestation.opinion ?? '' },
        reason: body.attestation.opinion ?? '',
        privacyOverride: null,
        ...(body.fastPath ? { fastPath: true as const } : {}),
      };
      const approved = n.versions.map((v): NoticeVersion => {
        if (v.id === n.working?.id) return { ...v, state: 'approved', review };
        return v.state === 'approved' ? { ...v, state: 'superseded' } : v;
      });
      return store(noticeOf(approved));
    },
    pendingConfirmations: () =>
      ok(
        notices.flatMap((n) =>
          n.versions
            .filter((v) => v.review?.fastPath && !v.review.confirmation && v.state === 'approved')
            .map((v) => ({
              noticeId: n.id,
              versionId: v.id,
              versionNumber: v.number,
              title: v.content.title,
              approvedBy: v.review?.by ?? '',
              approvedAt: v.review?.at ?? 0,
              expiresAt: v.content.emergency?.expiresAt ?? 0,
              state: v.state,
            })),
        ),
      ),
    confirmFastPath: (id, versionId, opinion) => {
      calls.push(`confirmFastPath ${id} ${versionId} ${opinion}`);
      const n = find(id);
      if (!n) return refuse('not_found', 'no such notice');
      return store(
        noticeOf(
          n.versions.map((v) =>
            v.id === versionId && v.review ? { ...v, review: { ...v.review, confirmation: { by: signedIn.id, at: 4_000, opinion } } } : v,
          ),
        ),
      );
    },
    rejectNotice: (id, reason) => {
      calls.push(`rejectNotice ${id} ${reason}`);
      const n = find(id);
      if (!n?.working) return refuse('invalid_transition', 'not pending');
      const review = { decision: 'rejected' as const, by: signedIn.id, at: 3_000, attestation: null, reason, privacyOverride: null };
      return store(replaceWorking(n, (v) => ({ ...v, state: 'rejected', review })));
    },
    withdrawNotice: (id, reason) => {
      calls.push(`withdrawNotice ${id} ${reason}`);
      const n = find(id);
      if (!n) return refuse('not_found', id);
      const withdrawal = { by: signedIn.id, at: 3_000, reason };
      return store(noticeOf(n.versions.map((v) => (v.state === 'approved' ? { ...v, state: 'withdrawn', withdrawal } : v))));
    },
    recallNotice: (id) => {
      calls.push(`recallNotice ${id}`);
      const n = find(id);
      if (!n) return refuse('not_found', id);
      return store(
        noticeOf(
          n.versions.map((v) => (v.state === 'pending_review' ? { ...v, state: 'draft', submittedBy: null, submittedAt: null } : v)),
        ),
      );
    },
    devices: () => ok([DEVICE]),
    createDevice: () => refuse('forbidden', 'not in tests'),
    pairDevice: (body) => {
      calls.push(`pairDevice ${JSON.stringify(body)}`);
      if (body.code !== '123456' && body.code !== '777777')
        return Promise.resolve(
          fail('not_found', `code: no kiosk is showing ${body.code}`, {
            code: 'no kiosk is showing this code; check the digits, or reload the kiosk for a new code',
          }),
        );
      return ok({
        ...DEVICE,
        id: 'k-new',
        kind: body.kind ?? 'kiosk',
        name: body.name,
        villageId: body.villageId,
        location: body.location ?? '',
        online: false,
      });
    },
    updateDevice: (id, body) => (calls.push(`updateDevice ${id} ${JSON.stringify(body)}`), ok({ ...DEVICE, id, ...body })),
    revokeDevice: (id, reason) => (calls.push(`revokeDevice ${id} ${reason}`), ok({ ...DEVICE, id, revokedAt: 4_000 })),
    saveDeviceSettings: (body) => (
      calls.push(`saveDeviceSettings ${JSON.stringify(body)}`),
      ok({ holidayOverrides: { holidays: [], workdays: [] }, ...body })
    ),
    publicUrl: () => ok(publicUrlCheck),
    saveEmergencySettings: (body) => (
      calls.push(`saveEmergencySettings ${JSON.stringify(body)}`),
      ok({ holidayOverrides: { holidays: [], workdays: [] }, ...body })
    ),
    emergencyAcks: (noticeId) => (calls.push(`emergencyAcks ${noticeId}`), refuse('not_found', 'no live emergency warning with this id')),
    records: () => ok([record()]),
  };
  /** Changes the controller's state as another user's step would (then push the change through the live link). */
  const put = (next: Notice): void => {
    notices = [next, ...notices.filter((n) => n.id !== next.id)];
  };
  return { api, calls, notices: () => notices, put, setHealth: (next: Health) => void (health = next) };
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

/** What the shell gives a page, with the town loaded and no live link; `go` records where the page sent the user. */
export function pageProps(api: AdminApi, user: StaffUser = ADMIN) {
  const went: Route[] = [];
  const listeners = new Set<(n: Notice) => void>();
  const data: AdminData = {
    town: TOWN,
    calendar: createHolidayCalendar(),
    devices: [DEVICE],
    records: [],
    users: [ADMIN, EDITOR, REVIEWER],
    live: 'online',
    loadError: null,
    reload: () => Promise.resolve(),
    reloadDevices: () => Promise.resolve(),
    reloadTown: () => Promise.resolve(),
    reloadUsers: () => Promise.resolve(),
    noticeChanged: (n) => listeners.forEach((l) => l(n)),
    subscribe: (l) => (listeners.add(l), () => void listeners.delete(l)),
    titles: new Map(),
    remember: () => undefined,
    nameOf: (id) => [ADMIN, EDITOR, REVIEWER].find((u) => u.id === id)?.displayName ?? id,
  };
  return { props: { api, data, user, go: (route: Route) => void went.push(route) }, went };
}
