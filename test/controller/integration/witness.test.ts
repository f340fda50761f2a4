/**
 * Kiosks as witnesses of the ledger, with the real controller and real
 * socket.io clients running the device's own check (protocol/witness.ts, here
 * with node:crypto): each scenario takes a checkpoint, stops the controller,
 * tampers with its data directory as an insider could (truncate the tail,
 * rewrite the chain after the checkpoint with every hash recomputed, replace
 * the signing key), restarts it and reconnects the kiosk, which must raise
 * its alarm; the alarm is reported, stays on the 公开账本 page and cannot be
 * cleared by the controller. The start check (store/integrity.ts) holds the
 * reports back on the rewritten ledger until an admin accepts it. A device
 * reset by staff checks the head and says no alarm stands: the controller lifts
 * it, records that, and staff's open sockets hear both changes at once.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEYS_DIR, nodeWitnessCrypto } from '../../../controller/ops/keys.js';
import {
  type Device,
  EMPTY_WITNESS,
  type LedgerIntegrity,
  type LedgerProof,
  type WitnessAlarm,
  type WitnessState,
  proofRequestOf,
  unreadableCheckpointAlarm,
  witnessProof,
  witnessRound,
} from '../../../controller/protocol/index.js';
import { listSegments } from '../../../controller/store/ledger.js';
import { ledgerRecords } from '../../helpers/node.js';
import {
  type AdminClient,
  type KioskClient,
  type TestController,
  connectAdmin,
  connectKiosk,
  data,
  nextEvent,
  restartController,
  staff,
  startController,
} from '../../helpers/controller.js';
import { rewriteLedgerFrom } from '../../helpers/ledgerRewrite.js';

const KIOSK = 'demo-kiosk-v2';
let running: TestController[] = [];
let sockets: (KioskClient | AdminClient)[] = [];

afterEach(async () => {
  for (const s of sockets) s.close();
  for (const t of running) await t.dispose();
  running = [];
  sockets = [];
});

/** A kiosk connects and runs its witness check to the end; returns its state and the alarm it reported, if any. */
async function witness(t: TestController, state: WitnessState): Promise<{ state: WitnessState; alarm: WitnessAlarm | null }> {
  const kiosk = connectKiosk(t.url, { deviceId: KIOSK });
  sockets.push(kiosk);
  await nextEvent(kiosk, 'server:hello');
  let current = state;
  for (;;) {
    const proof: LedgerProof = data(await kiosk.emitWithAck('ledger:prove', proofRequestOf(current)));
    const step = witnessProof(current, proof, nodeWitnessCrypto, Date.now());
    current = step.state;
    if (current.alarm) {
      data(await kiosk.emitWithAck('ledger:witness-alarm', current.alarm));
      break;
    }
    if (!proof.more) break;
  }
  kiosk.close();
  return { state: current, alarm: current.alarm };
}

async function segmentFile(t: TestController): Promise<string> {
  const dir = path.join(t.dataDir, 'ledger');
  return path.join(dir, (await listSegments(dir)).at(-1) ?? '');
}

/** Some activity so the ledger moves past the kiosk's checkpoint. */
async function appendSome(t: TestController, n: number): Promise<void> {
  const { editor } = await staff(t);
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  for (let i = 0; i < n; i++) {
    data((await editor.post('/api/disclosures/manual', { channel: 'board', title: `公示栏张贴第${i + 1}条`, disclosedOn: today })).body);
  }
}

async function started(): Promise<TestController> {
  const t = await startController();
  running.push(t);
  return t;
}
async function restarted(t: TestController): Promise<TestController> {
  await t.stop();
  running = running.filter((r) => r !== t);
  const next = await restartController(t);
  running.push(next);
  return next;
}

describe('kiosks witness the ledger', () => {
  it('follows an honest ledger from checkpoint to checkpoint, checking every record between', async () => {
    const t = await started();
    const first = await witness(t, EMPTY_WITNESS);
    expect(first.alarm).toBeNull();
    const held = first.state.checkpoint?.seq ?? 0;
    await appendSome(t, 5);
    const second = await witness(t, first.state);
    expect(second.alarm?.message ?? null).toBeNull();
    expect(second.state.checkpoint?.seq).toBeGreaterThanOrEqual(held + 5);
    expect(await (await fetch(`${t.url}/n/no-such-notice`)).text()).not.toContain('公开账本核对异常');
    // A forged proof (one record's content changed in transit) is caught by the device itself.
    const kiosk = connectKiosk(t.url, { deviceId: KIOSK });
    sockets.push(kiosk);
    await appendSome(t, 2);
    const proof: LedgerProof = data(await kiosk.emitWithAck('ledger:prove', proofRequestOf(second.state)));
    const forged = { ...proof, records: proof.records.map((r, i) => (i === 0 ? r.replace('"ts":', '"ts":1') : r)) };
    expect(witnessProof(second.state, forged, nodeWitnessCrypto, Date.now()).alarm?.kind).toBe('rewritten');
    expect(witnessProof(second.state, proof, nodeWitnessCrypto, Date.now()).alarm).toBeNull();
  }, 180_000);

  it('catches a truncated tail', async () => {
    let t = await started();
    await appendSome(t, 30);
    const before = await witness(t, EMPTY_WITNESS);
    t = await restarted(t); // the start check marks the head as verified
    await t.stop();
    const file = await segmentFile(t);
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    await writeFile(file, `${lines.slice(0, -25).join('\n')}\n`);
    t = await restarted(t);
    const after = await witness(t, before.state);
    expect(after.alarm?.kind).toMatch(/truncated|rewritten/);
    expect(after.alarm?.held.seq).toBe(before.state.checkpoint?.seq);
    await expectStanding(t, after.alarm);
  }, 180_000);

  it('catches the chain rewritten after its checkpoint, every hash recomputed (ledger:verify alone passes it)', async () => {
    let t = await started();
    await appendSome(t, 3);
    const before = await witness(t, EMPTY_WITNESS);
    const heldSeq = before.state.checkpoint?.seq ?? 0;
    t = await restarted(t); // the start check marks the head as verified
    await t.stop();
    // Rewrite the history from three records before the checkpoint, the chain re-hashed to the end.
    await rewriteLedgerFrom(await segmentFile(t), heldSeq - 2);
    t = await restarted(t);
    const after = await witness(t, before.state);
    expect(after.alarm?.kind).toBe('rewritten');
    await expectStanding(t, after.alarm);

    // The start check found it too: reports are held back until an admin accepts the ledger with a reason.
    const { admin, reviewer } = await staff(t);
    const integrity = data((await admin.get<LedgerIntegrity>('/api/ledger/integrity')).body);
    expect(integrity).toMatchObject({ status: 'broken' });
    const held = await reviewer.get('/api/reports/annual/2025/V2021');
    expect(held.status).toBe(503);
    expect(held.body).toMatchObject({ ok: false, error: 'unavailable', message: expect.stringContaining('公开账本') });
    expect((await reviewer.post('/api/ledger/integrity/accept', { reason: '已核对备份，确认为人为改写' })).status).toBe(403);
    expect((await admin.post('/api/ledger/integrity/accept', { reason: '短' })).body).toMatchObject({
      fields: { reason: expect.any(String) },
    });
    data((await admin.post('/api/ledger/integrity/accept', { reason: '已核对备份，确认为人为改写，已报县政务公开办' })).body);
    expect((await reviewer.get('/api/reports/annual/2025/V2021')).status).toBe(200);
    // The controller accepted its own ledger; the kiosk's alarm still stands, and it still says so.
    const again = await witness(t, after.state);
    expect(again.alarm).toEqual(after.alarm);
    await expectStanding(t, after.alarm);
  }, 180_000);

  it('catches the signing key replaced', async () => {
    let t = await started();
    const before = await witness(t, EMPTY_WITNESS);
    await t.stop();
    await rename(path.join(t.dataDir, KEYS_DIR), path.join(t.dataDir, 'keys-old'));
    t = await restarted(t);
    const after = await witness(t, before.state);
    expect(after.alarm?.kind).toBe('key-replaced');
    expect(after.alarm?.held.fingerprint).toBe(before.state.fingerprint);
    expect(after.alarm?.shown.fingerprint).not.toBe(before.state.fingerprint);
    await expectStanding(t, after.alarm);
  }, 180_000);
});

describe('a device’s alarm as staff see it', () => {
  it('reaches staff at once as it rises and as a reset device lifts it; a device’s own unreadable checkpoint is not told to the public', async () => {
    const t = await started();
    const { admin } = await staff(t);
    const live = connectAdmin(t.url, admin.cookie);
    sockets.push(live);
    await nextEvent(live, 'server:hello');
    const kiosk = connectKiosk(t.url, { deviceId: KIOSK });
    sockets.push(kiosk);
    await nextEvent(kiosk, 'server:hello');
    const alarmsNow = async () =>
      data((await admin.get<{ witnessAlarms: (WitnessAlarm & { deviceId: string })[] }>('/api/ledger/integrity')).body).witnessAlarms;

    // A bad report is refused by name and changes nothing.
    const refused = await kiosk.emitWithAck('ledger:witness-alarm', { ...unreadableCheckpointAlarm('x', 1), kind: 'nope' } as never);
    expect(refused).toMatchObject({ ok: false, error: 'invalid_payload', fields: { kind: expect.any(String) } });
    expect(await alarmsNow()).toEqual([]);

    // The kiosk cannot read the checkpoint it kept: it says so; staff's socket hears it on the device's status.
    const alarm = unreadableCheckpointAlarm('账本见证记录无法读取。The kept checkpoint cannot be read.', Date.now());
    const raised = nextEvent<[Device]>(live, 'device:status-changed', (d) => d.id === KIOSK && d.witnessAlarm !== null, 3_000);
    data(await kiosk.emitWithAck('ledger:witness-alarm', alarm));
    expect((await raised)[0].witnessAlarm).toMatchObject({ kind: 'checkpoint-unreadable', message: alarm.message });
    expect(await alarmsNow()).toContainEqual(expect.objectContaining({ deviceId: KIOSK, kind: 'checkpoint-unreadable' }));
    const devices = data((await admin.get<Device[]>('/api/devices')).body);
    expect(devices.find((d) => d.id === KIOSK)?.witnessAlarm).toMatchObject({ kind: 'checkpoint-unreadable' });
    // Said again at the next start (found anew, so a later `at`): the same alarm, recorded once.
    data(await kiosk.emitWithAck('ledger:witness-alarm', { ...alarm, at: alarm.at + 60_000 }));
    // A fault of the device's own: staff see it, the public page does not say the ledger differs.
    expect(await (await fetch(`${t.url}/n/no-such-notice`)).text()).not.toContain('公开账本核对异常');

    // Staff reset the kiosk: it checks the head from nothing, holds no alarm, and says so; the alarm is lifted.
    const cleared = nextEvent<[Device]>(live, 'device:status-changed', (d) => d.id === KIOSK && d.witnessAlarm === null, 3_000);
    const round = await witnessRound({
      link: {
        prove: (request) => kiosk.emitWithAck('ledger:prove', request),
        reportWitnessAlarm: (a) => kiosk.emitWithAck('ledger:witness-alarm', a),
      },
      state: EMPTY_WITNESS,
      save: () => undefined,
      crypto: nodeWitnessCrypto,
      now: Date.now,
    });
    expect(round.state.alarm).toBeNull();
    await cleared;
    expect(await alarmsNow()).toEqual([]);
    const records = (await ledgerRecords(t.dataDir)).filter((r) => String(r.type).startsWith('witness.') && r.deviceId === KIOSK);
    expect(records.map((r) => r.type)).toEqual(['witness.alarm', 'witness.alarm-cleared']);
    expect(records[1]).toMatchObject({ kind: 'checkpoint-unreadable', raisedAt: alarm.at + 60_000 });
  }, 120_000);
});

/** The device's alarm stands on the ledger page's integrity answer. */
async function expectStanding(t: TestController, alarm: WitnessAlarm | null): Promise<void> {
  const { admin } = await staff(t);
  const integrity = data((await admin.get<{ witnessAlarms: (WitnessAlarm & { deviceId: string })[] }>('/api/ledger/integrity')).body);
  expect(integrity.witnessAlarms).toContainEqual(expect.objectContaining({ deviceId: KIOSK, kind: alarm?.kind, held: alarm?.held }));
  // The public sees it too, on every public notice page (here the one a stale QR code opens).
  const page = await (await fetch(`${t.url}/n/no-such-notice`)).text();
  expect(page).toContain('公开账本核对异常');
  expect(page).toContain(`${integrity.witnessAlarms.length}台村级设备`);
}
