/**
 * Notice use cases: validate against the current state, run the pure domain
 * transition, persist, record the step in the ledger, announce the change.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { draftNotice, transition, type Actor, type NoticeAction, type NoticeDraftInput } from '../domain/notices.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import { type Ack, type Notice, fail, ok } from '../protocol/index.js';
import type { Ledger } from '../store/ledger.js';
import type { StateStore } from '../store/state.js';
import { createSerial } from '../util/serial.js';

export interface NoticeService {
  list(): Notice[];
  get(id: string): Notice | undefined;
  create(input: NoticeDraftInput, actor: Actor): Promise<Ack<Notice>>;
  act(id: string, action: NoticeAction, actor: Actor): Promise<Ack<Notice>>;
}

export function createNoticeService(deps: {
  store: StateStore;
  ledger: Ledger;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
}): NoticeService {
  const unknownVillages = (input: NoticeDraftInput): string[] => {
    if (input.target.scope !== 'villages') return [];
    const known = new Set(deps.store.read().villages.map((v) => v.id));
    return input.target.villageIds.filter((id) => !known.has(id));
  };

  const serial = createSerial();

  return {
    list: () => [...deps.store.read().notices].sort((a, b) => b.updatedAt - a.updatedAt),

    get: (id) => deps.store.read().notices.find((n) => n.id === id),

    create: (input, actor) =>
      serial(async () => {
        const unknown = unknownVillages(input);
        if (unknown.length > 0) {
          return fail('invalid_payload', `target.villageIds: unknown village ${unknown.join(', ')}; choose from the town's villages`, {
            'target.villageIds': `unknown village ${unknown.join(', ')}`,
          });
        }
        const notice = draftNotice(input, {
          id: randomUUID(),
          issuer: deps.store.read().town.issuer,
          author: actor,
          now: deps.clock.now(),
        });
        // Ledger first: a step that is not in the ledger did not happen.
        await deps.ledger.append([{ type: 'notice.drafted', noticeId: notice.id, contentHash: notice.contentHash, actorId: actor.id }]);
        await deps.store.update((s) => {
          s.notices.push(notice);
        });
        deps.logger.info(`notice ${notice.id} drafted by ${actor.id}`);
        deps.bus.emit('notice:changed', notice);
        return ok(notice);
      }),

    act: (id, action, actor) =>
      serial(async () => {
        const notice = deps.store.read().notices.find((n) => n.id === id);
        if (!notice) return fail('not_found', `no notice with id ${id}`);
        const result = transition(notice, action, actor, deps.clock.now());
        if (!result.ok) return fail(result.error, result.message);
        const next = result.notice;
        await deps.ledger.append([
          {
            type: `notice.${next.state}`,
            noticeId: next.id,
            contentHash: next.contentHash,
            actorId: actor.id,
            ...('reason' in action ? { reason: action.reason } : {}),
          },
        ]);
        await deps.store.update((s) => {
          const index = s.notices.findIndex((n) => n.id === id);
          if (index < 0) throw new Error(`notice ${id} vanished during ${action.type}`);
          s.notices[index] = next;
        });
        deps.logger.info(`notice ${id} ${notice.state} → ${next.state} by ${actor.id}`);
        deps.bus.emit('notice:changed', next);
        if (notice.state === 'approved' || next.state === 'approved') deps.bus.emit('playlists:stale');
        return ok(next);
      }),
  };
}
