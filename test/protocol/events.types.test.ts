/**
 * Type tests, checked by `npm run typecheck` (tsc covers test/): a kiosk
 * socket cannot send admin events and vice versa, payloads are typed, and
 * server broadcasts cannot be emitted by clients. The runtime part checks the
 * schemas that back these types.
 */
import type { Socket } from 'socket.io-client';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type Ack,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type DisplayReportResult,
  type KioskClientToServerEvents,
  type KioskServerToClientEvents,
  createNoticeRequest,
  displayReport,
} from '../../controller/protocol/index.js';

type KioskSocket = Socket<KioskServerToClientEvents, KioskClientToServerEvents>;
type AdminSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

/** Never called: these lines exist for the compiler. */
function compileTimeChecks(kiosk: KioskSocket, admin: AdminSocket): void {
  kiosk.emit('display:report', { receipts: [] }, (ack: Ack<DisplayReportResult>) => void ack);
  admin.emit('devices:list', {}, (ack) => void ack);

  // @ts-expect-error a kiosk cannot ask for the admin's device list
  kiosk.emit('devices:list', {}, () => undefined);
  // @ts-expect-error the admin namespace has no display reports
  admin.emit('display:report', { receipts: [] }, () => undefined);
  // @ts-expect-error clients cannot emit server broadcasts
  kiosk.emit('playlist:updated', { version: 'x', generatedAt: 0, items: [] });
  // @ts-expect-error the report payload is typed
  kiosk.emit('display:report', { receipts: 'nope' }, () => undefined);
  // @ts-expect-error a kiosk does not receive admin broadcasts
  kiosk.on('displays:recorded', () => undefined);
}

describe('event maps', () => {
  it('types the acknowledgement of a display report', () => {
    expectTypeOf<Parameters<KioskClientToServerEvents['display:report']>[1]>().parameter(0).toEqualTypeOf<Ack<DisplayReportResult>>();
    expectTypeOf(compileTimeChecks).toBeFunction();
  });
});

describe('schemas', () => {
  it('fill in defaults, normalise text and refuse unknown keys', () => {
    expect(createNoticeRequest.parse({ title: ' 标题 ', body: '第一段\r\n\r\n第二段', target: { scope: 'town' } })).toEqual({
      title: '标题',
      body: '第一段\n\n第二段',
      ledText: '',
      category: 'a20-other',
      keyAreas: [],
      docNumber: null,
      issuer: '',
      target: { scope: 'town' },
      posting: { rule: { kind: 'long_term' } },
      priority: 0,
      emergency: null,
    });
    const base = { title: 't', body: 'b', target: { scope: 'town' } };
    expect(createNoticeRequest.safeParse({ ...base, html: '<b>' }).success).toBe(false);
    expect(createNoticeRequest.safeParse({ ...base, body: 'bell\u0007' }).success).toBe(false);
    expect(createNoticeRequest.safeParse({ ...base, posting: { start: '2026-02-30', rule: { kind: 'long_term' } } }).success).toBe(false);
    expect(createNoticeRequest.safeParse({ ...base, posting: { rule: { kind: 'working_days', days: 0 } } }).success).toBe(false);
    expect(createNoticeRequest.safeParse({ ...base, category: 'gossip' }).success).toBe(false);
    expect(createNoticeRequest.safeParse({ ...base, priority: 10 }).success).toBe(false);
  });

  it('bound the size of a display report', () => {
    const receipt = {
      kind: 'display' as const,
      receiptId: crypto.randomUUID(),
      noticeId: 'n',
      contentHash: 'a'.repeat(64),
      startedAt: 0,
      endedAt: 1,
      clockTrusted: true,
    };
    expect(displayReport.safeParse({ receipts: Array.from({ length: 500 }, () => receipt) }).success).toBe(true);
    expect(displayReport.safeParse({ receipts: Array.from({ length: 501 }, () => receipt) }).success).toBe(false);
  });
});
