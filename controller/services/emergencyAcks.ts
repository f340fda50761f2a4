/**
 * Who has acknowledged a live emergency warning: every unrevoked kiosk the warning targets, within the asking
 * staff member's villages, with the time its acknowledgement of the live version arrived (or null).
 */
import { targetsVillage } from '../domain/notices.js';
import { type VillageScope, withinScope } from '../domain/villageScope.js';
import { type Ack, type EmergencyAckView, fail, ok } from '../protocol/index.js';
import type { DeviceService } from './devices.js';
import type { DisplayService } from './displays.js';
import type { NoticeService } from './notices.js';

export function emergencyAckView(
  deps: { notices: Pick<NoticeService, 'get'>; displays: Pick<DisplayService, 'emergencyAcks'>; devices: Pick<DeviceService, 'list'> },
  noticeId: string,
  scope: VillageScope,
): Ack<EmergencyAckView> {
  const notice = deps.notices.get(noticeId);
  const live = notice?.live ?? null;
  if (!notice || !live?.content.emergency) return fail('not_found', 'no live emergency warning with this id');
  const acks = deps.displays.emergencyAcks(live.contentHash);
  const devices = withinScope(scope, deps.devices.list(), (d) => d.villageId)
    .filter((d) => d.kind === 'kiosk' && d.revokedAt === null && targetsVillage(live.content.target, d.villageId))
    .map((d) => ({ deviceId: d.id, name: d.name, villageId: d.villageId, online: d.online, acknowledgedAt: acks.get(d.id) ?? null }));
  return ok({ noticeId: notice.id, contentHash: live.contentHash, devices });
}
