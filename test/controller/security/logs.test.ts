/**
 * Nothing logged contains a password, a session id, a device token or
 * pairing claim, or an unmasked ID number: a controller runs with its logger's
 * scrubbing turned OFF (so a leak at its cause shows) through sign-in, password
 * change and reset, pairing and token use, and a notice carrying an ID number;
 * then the scrubbing layer itself is checked on the shapes it must catch.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../controller/config.js';
import { REDACTED } from '../../../controller/logScrub.js';
import { type LogEntry, createLogger } from '../../../controller/logger.js';
import { type RunningController, createController, packageRoot } from '../../../controller/main.js';
import type { Notice, PairingClaimResult, PairingOffer, DeviceView, StaffUser } from '../../../controller/protocol/index.js';
import {
  ATTESTATION,
  ApiClient,
  type KioskClient,
  connectKiosk,
  data,
  demoPassword,
  initialPassword,
  makeDataDir,
  nextEvent,
} from '../../helpers/controller.js';

/** 18 digits with a valid GB 11643 check character and a plausible birth date (1985-06-12). */
const ID_NUMBER = '41152619850612003X';

let controller: RunningController;
let dataDir: string;
const raw: LogEntry[] = [];
const secrets = new Map<string, string>();
const sockets: KioskClient[] = [];

const remember = (what: string, value: string): void => {
  expect(value.length, what).toBeGreaterThan(5);
  secrets.set(what, value);
};
const sessionOf = (client: ApiClient): string => client.cookie.replace(/^gongshi_session=/, '');
const serialise = (e: LogEntry): string =>
  JSON.stringify(e, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack, cause: v.cause } : v));

beforeAll(async () => {
  dataDir = await makeDataDir();
  const config = loadConfig(
    ['--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--log-level', 'debug'],
    {},
    {
      cwd: process.cwd(),
      defaultWebDir: path.join(packageRoot(), 'dist/web'),
    },
  );
  controller = await createController(config, { logger: createLogger({ level: 'debug', scrub: false, sink: (e) => raw.push(e) }) });
  const url = controller.url;

  // Sign-in, right and wrong; the first admin's password changed.
  const first = await initialPassword(dataDir);
  remember('initial admin password', first);
  const admin = new ApiClient(url);
  const wrong = 'Wr0ng-but-close-Secret!';
  remember('wrong password', wrong);
  expect((await admin.post('/api/auth/login', { username: 'admin', password: wrong })).status).toBe(401);
  expect((await admin.post('/api/auth/login', { username: wrong, password: wrong })).status).toBe(401);
  await admin.login('admin', first);
  remember('admin session (first)', sessionOf(admin));
  const changed = 'Ch4nged-Town-Passw0rd';
  remember('changed admin password', changed);
  data((await admin.post('/api/auth/password', { currentPassword: first, newPassword: changed })).body);
  await admin.login('admin', changed);
  remember('admin session', sessionOf(admin));

  // A new account, its password reset by the admin, then replaced by its owner.
  const created = 'Cr3ated-For-Lin-9';
  const reset = 'R3set-By-Staff-77';
  const own = 'Own-Choice-Pw-4242';
  remember('created password', created);
  remember('reset password', reset);
  remember('own password', own);
  const user = data(
    (await admin.post<StaffUser>('/api/users', { username: 'lin.scrub', displayName: '林测试', roles: ['editor'], password: created }))
      .body,
  );
  data((await admin.post(`/api/users/${user.id}/reset-password`, { newPassword: reset })).body);
  const lin = new ApiClient(url);
  await lin.login('lin.scrub', reset);
  remember('lin session', sessionOf(lin));
  data((await lin.post('/api/auth/password', { currentPassword: reset, newPassword: own })).body);

  // Pairing by code, the token handed over, used, and a wrong one tried.
  const offer = data((await new ApiClient(url).post<PairingOffer>('/api/pairing')).body);
  remember('pairing claim', offer.claim);
  const device = data(
    (await admin.post<DeviceView>('/api/devices/pair', { code: offer.code, name: '日志测试屏', villageId: 'v2', location: '' })).body,
  );
  const claimed = data((await new ApiClient(url).post<PairingClaimResult>('/api/pairing/claim', { claim: offer.claim })).body);
  if (claimed.status !== 'paired') throw new Error('not paired');
  remember('device token', claimed.token);
  const kiosk = connectKiosk(url, { deviceId: device.id, token: claimed.token });
  sockets.push(kiosk);
  await nextEvent(kiosk, 'server:hello');
  const guess = connectKiosk(url, { deviceId: device.id, token: `${claimed.token.slice(0, -4)}AAAA` });
  sockets.push(guess);
  await nextEvent(guess, 'connect_error');
  await fetch(`${url}/kiosk/?device=${device.id}&token=${encodeURIComponent(claimed.token)}`);
  await fetch(`${url}/api/nope?token=${encodeURIComponent(claimed.token)}`);

  // A notice with an unmasked ID number: refused at submit, then published with a written override.
  const reviewer = new ApiClient(url);
  const reviewerPassword = await demoPassword(dataDir, 'reviewer');
  remember('reviewer password', reviewerPassword);
  await reviewer.login('reviewer', reviewerPassword);
  remember('reviewer session', sessionOf(reviewer));
  const notice = data(
    (
      await admin.post<Notice>('/api/notices', {
        title: `低保户 ${ID_NUMBER} 公示`,
        body: `户主张三，身份证号${ID_NUMBER}，拟纳入低保。`,
        target: { scope: 'villages', villageIds: ['v2'] },
      })
    ).body,
  );
  expect((await admin.post(`/api/notices/${notice.id}/submit`)).status).toBe(422);
  data((await admin.post(`/api/notices/${notice.id}/submit`, { privacyOverrideRequest: '本人书面同意公开' })).body);
  data(
    (
      await reviewer.post(`/api/notices/${notice.id}/approve`, {
        attestation: ATTESTATION,
        privacyOverride: { reason: '本人书面同意公开' },
      })
    ).body,
  );
  await nextEvent(kiosk, 'playlist:updated', (p: { items: { noticeId: string }[] }) => p.items.some((i) => i.noticeId === notice.id));
  expect((await fetch(`${url}/n/${notice.id}`)).status).toBe(200);
  await admin.post('/api/auth/logout');
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await controller?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('what the controller logs', () => {
  it('logged the events themselves (so the check below has something to look at)', () => {
    const messages = raw.map((e) => e.message);
    expect(messages).toContain('failed sign-in');
    expect(messages.some((m) => m.endsWith('signed in'))).toBe(true);
    expect(messages.some((m) => m.includes('changed their password'))).toBe(true);
    expect(messages.some((m) => m.includes('reset by admin'))).toBe(true);
    expect(messages.some((m) => m.includes('paired in village'))).toBe(true);
    expect(messages).toContain('kiosk refused');
  });

  it('never contains a password, session id, device token, pairing claim or unmasked ID number', () => {
    const leaks: string[] = [];
    for (const entry of raw) {
      const line = serialise(entry);
      for (const [what, secret] of secrets) if (line.includes(secret)) leaks.push(`${what} in ${line.slice(0, 300)}`);
      if (line.includes(ID_NUMBER) || line.includes(ID_NUMBER.slice(0, 17))) leaks.push(`ID number in ${line.slice(0, 300)}`);
    }
    expect(leaks).toEqual([]);
  });
});

describe('the scrubbing layer (belt and braces)', () => {
  const capture = (): { entries: LogEntry[]; log: ReturnType<typeof createLogger> } => {
    const entries: LogEntry[] = [];
    return { entries, log: createLogger({ level: 'debug', sink: (e) => entries.push(e) }) };
  };

  it('redacts secret-named fields at any depth, secret pairs in text, and masks ID and card numbers', () => {
    const { entries, log } = capture();
    const error = new Error(`bad request /kiosk/?device=d1&token=tok-SECRET-1 for ${ID_NUMBER}`);
    log.child('http').warn(`cookie gongshi_session=sess-SECRET-2; from 户主 ${ID_NUMBER} card 6222021234567890128`, {
      password: 'pw-SECRET-3',
      nested: { deviceToken: 'tok-SECRET-4', list: [{ newPassword: 'pw-SECRET-5' }], note: `ID ${ID_NUMBER}` },
      headers: { cookie: 'gongshi_session=sess-SECRET-6', Authorization: 'Bearer SECRET-7' },
      error,
      count: 3,
    });
    const line = serialise(entries[0]!);
    for (const s of ['SECRET-1', 'SECRET-2', 'SECRET-3', 'SECRET-4', 'SECRET-5', 'SECRET-6', 'SECRET-7', ID_NUMBER, '6222021234567890128'])
      expect(line, s).not.toContain(s);
    expect(entries[0]!.message).toContain('411526********003X');
    expect(entries[0]!.fields).toMatchObject({ password: REDACTED, count: 3, nested: { deviceToken: REDACTED } });
    expect(entries[0]!.fields?.error).toBeInstanceOf(Error);
    // The caller's objects are not changed.
    expect(error.message).toContain('tok-SECRET-1');
  });

  it('leaves ordinary entries alone', () => {
    const { entries, log } = capture();
    log.info('notice n-42 v2 approved by u-admin', { deviceId: 'd-7', seq: 1_732_600_000_000, hash: 'ab'.repeat(32) });
    expect(entries[0]).toMatchObject({
      message: 'notice n-42 v2 approved by u-admin',
      fields: { deviceId: 'd-7', seq: 1_732_600_000_000, hash: 'ab'.repeat(32) },
    });
  });
});
