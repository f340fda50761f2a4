/**
 * Reports and the records behind them: manual-channel disclosures (with
 * photos), the 依申请公开 and 复议/诉讼 registers, annual report drafts, and
 * the statistics. Every change is a ledger record first; the aggregates fold
 * it in as it becomes durable, so what a report reads is what the ledger says.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Clock } from '../clock.js';
import { liveVersion } from '../domain/notices.js';
import type { Actor } from '../domain/notices.js';
import type { Logger } from '../logger.js';
import {
  type Ack,
  type AnnualDraft,
  type AnnualReport,
  type ApplicationRequest,
  type CaseRequest,
  type ComplianceReport,
  SHOWING_CONTINUITY_MS,
  type SignProfile,
  type DisclosureApplication,
  type DisclosureStats,
  type HolidayCalendar,
  type LitigationCase,
  type ManualDisclosure,
  type ManualDisclosureRequest,
  type LateConfirmation,
  DEFAULT_MANUAL_LATE_DAYS,
  type Period,
  type PhotoRef,
  PHOTO_TYPES,
  type ReportVersion,
  type Satisfaction,
  type TimelinessRow,
  type VillageChecks,
  type annualDraftRequest,
  type applicationRequest,
  type caseRequest,
  civilDateOf,
  fail,
  startOfCivilDay,
  addCalendarDays,
  type manualDisclosureRequest,
  ok,
} from '../protocol/index.js';
import type { z } from 'zod';
import {
  type AggregateStore,
  APPLICATION_SAVED,
  buildAnnualReport,
  CASE_SAVED,
  type CellReportInputs,
  complianceRows,
  dailyOnHours,
  disclosureStats,
  DRAFT_SAVED,
  MANUAL_TYPE,
  type NoticeMeta,
  periodRange,
  type ReportInputs,
  satisfaction,
  type TargetDevice,
  timeliness,
  villageChecks,
} from '../reports/index.js';
import { checkPhoto, photoPath, storePhoto } from '../store/photos.js';
import type { Ledger } from '../store/ledger.js';
import type { StateStore } from '../store/state.js';

export interface ReportService {
  inputs(): ReportInputs;
  manual(range: { from?: string | undefined; to?: string | undefined }): ManualDisclosure[];
  recordManual(body: z.output<typeof manualDisclosureRequest>, actor: Actor): Promise<Ack<ManualDisclosure>>;
  savePhoto(bytes: Uint8Array, declaredType: string | undefined, actor: Actor): Promise<Ack<PhotoRef>>;
  /** The stored photo's path and type, if there is one with this hash. */
  photo(sha256: string): Promise<{ file: string; type: string } | null>;
  stats(from: string, to: string, villageId?: string): DisclosureStats;
  timeliness(from: string, to: string, villageId?: string): TimelinessRow[];
  /** Async: the cells of closed days are read from the archive. */
  checks(period: Period, key: string): Promise<VillageChecks>;
  satisfaction(from: string, to: string, villageId?: string): Promise<Satisfaction>;
  /** 公示期合规: notices whose posting window overlaps [from, to], checked on every targeted device. */
  compliance(from: string, to: string, villageId?: string): ComplianceReport;
  applications(): DisclosureApplication[];
  saveApplication(id: string | null, body: z.output<typeof applicationRequest>, actor: Actor): Promise<Ack<DisclosureApplication>>;
  cases(): LitigationCase[];
  saveCase(id: string | null, body: z.output<typeof caseRequest>, actor: Actor): Promise<Ack<LitigationCase>>;
  /** The town's report; with `villageId`, that village's figures (AnnualReport.village). */
  annual(year: number, version: ReportVersion, villageId?: string): AnnualReport;
  saveAnnual(year: number, version: ReportVersion, body: z.output<typeof annualDraftRequest>, actor: Actor): Promise<AnnualReport>;
}

export type { ApplicationRequest, CaseRequest, ManualDisclosureRequest };

export function createReportService(deps: {
  dataDir: string;
  ledger: Ledger;
  aggregates: AggregateStore;
  store: StateStore;
  clock: Clock;
  calendar: () => HolidayCalendar;
  logger: Logger;
  /** The LED signs (saved and demo), which the compliance report checks alongside the kiosks. */
  signs?: () => readonly Pick<SignProfile, 'id' | 'name' | 'villageId' | 'onHours' | 'node'>[];
}): ReportService {
  let metaCache: { notices: unknown; map: Map<string, NoticeMeta> } | null = null;
  const noticeMeta = (): Map<string, NoticeMeta> => {
    const notices = deps.store.read().notices;
    if (metaCache?.notices !== notices) {
      const map = new Map<string, NoticeMeta>();
      for (const n of notices) {
        const version =
          liveVersion(n) ?? [...n.versions].reverse().find((v) => v.review?.decision === 'approved') ?? n.versions.at(-1) ?? null;
        if (version) map.set(n.id, { id: n.id, title: version.content.title, content: version.content });
      }
      metaCache = { notices, map };
    }
    return metaCache.map;
  };

  const inputs = (): ReportInputs => {
    const agg = deps.aggregates.current();
    const state = deps.store.read();
    const devices = new Map<string, { kind: string; villageId: string }>();
    for (const [id, villageId] of agg.devices) devices.set(id, { kind: 'kiosk', villageId });
    for (const d of state.devices) devices.set(d.id, { kind: d.kind, villageId: d.villageId });
    return {
      agg,
      notices: noticeMeta(),
      villages: state.villages,
      devices,
      calendar: deps.calendar(),
      today: civilDateOf(deps.clock.now()),
    };
  };

  /** The inputs with every cell of a day in [from, to], archived or in memory. */
  const cellInputs = async (from: string, to: string): Promise<CellReportInputs> => {
    const cells = await deps.aggregates.sumCells(from, to);
    return { ...inputs(), cells };
  };

  const targetDevices = (): TargetDevice[] => [
    // A village node shows nothing itself: the signs behind it are listed with the signs.
    ...deps.store
      .read()
      .devices.flatMap((d) => (d.kind === 'node' ? [] : [{ ...d, kind: d.kind }]))
      .map((d) => ({
        id: d.id,
        name: d.name,
        kind: d.kind,
        villageId: d.villageId,
        onHours: d.onHours ?? null,
        since: d.createdAt,
        until: d.revokedAt ?? null,
      })),
    ...(deps.signs?.() ?? []).map((p) => ({
      id: p.id,
      name: p.name,
      kind: 'led' as const,
      villageId: p.villageId,
      onHours: p.onHours ? dailyOnHours(p.onHours) : null,
      since: null,
      until: null,
      nodeId: p.node,
    })),
  ];

  /**
   * A 其他渠道 entry may not claim a day after today; one claiming a day more
   * than the town's limit ago is recorded only by a reviewer, with the reason.
   */
  const lateness = (body: z.output<typeof manualDisclosureRequest>, actor: Actor): Ack<LateConfirmation | null> => {
    const today = civilDateOf(deps.clock.now());
    if (body.disclosedOn > today) {
      const problem = `after today (${today}); record a disclosure once it has happened (不能晚于今天)`;
      return fail('invalid_payload', `disclosedOn: ${problem}`, { disclosedOn: problem });
    }
    const limit = deps.store.read().settings.manualLateDays ?? DEFAULT_MANUAL_LATE_DAYS;
    const days = Math.round((startOfCivilDay(today) - startOfCivilDay(body.disclosedOn)) / 86_400_000);
    if (days <= limit) return ok(null);
    if (!actor.roles.some((r) => r === 'reviewer' || r === 'admin')) {
      const problem = `${days} days ago, more than ${limit}: a reviewer must record it and give the reason (超过${limit}天的补录须由审核人确认并说明原因)`;
      return fail('forbidden', `disclosedOn: ${problem}`, { disclosedOn: problem });
    }
    if (!body.lateReason) {
      const problem = `${days} days after the disclosure: say why it is recorded only now (补录须说明原因)`;
      return fail('invalid_payload', `lateReason: ${problem}`, { lateReason: problem });
    }
    return ok({ days, confirmedBy: actor.id, reason: body.lateReason });
  };

  const knownVillage = (id: string | null): boolean => id === null || deps.store.read().villages.some((v) => v.id === id);
  const unknownVillage = (id: string | null) =>
    fail('invalid_payload', `villageId: 本镇没有村 ${id}；the town has no village ${id}`, {
      villageId:
        'unknown village; choose one of the town’s villages, or none for the whole town (未知的村，请从列表中选择，或不选表示全镇)',
    });
  const knownNotice = (id: string | null): boolean => id === null || deps.store.read().notices.some((n) => n.id === id);

  return {
    inputs,

    manual({ from, to }) {
      return [...deps.aggregates.current().manual.values()]
        .filter((m) => (!from || m.disclosedOn >= from) && (!to || m.disclosedOn <= to))
        .sort((a, b) => b.disclosedOn.localeCompare(a.disclosedOn) || b.seq - a.seq);
    },

    async recordManual(body, actor) {
      if (!knownVillage(body.villageId)) return fail('invalid_payload', 'villageId: unknown village', { villageId: 'unknown village' });
      if (!knownNotice(body.noticeId)) return fail('invalid_payload', 'noticeId: no such notice', { noticeId: 'no such notice' });
      let photo: PhotoRef | null = null;
      if (body.photo) {
        for (const type of PHOTO_TYPES) {
          const found = await stat(photoPath(deps.dataDir, { sha256: body.photo, type })).catch(() => null);
          if (found) photo = { sha256: body.photo, type, bytes: found.size };
        }
        if (!photo) return fail('invalid_payload', 'photo: upload the photo first', { photo: 'no uploaded photo with this hash' });
      }
      const dated = lateness(body, actor);
      if (!dated.ok) return dated;
      const entry: Omit<ManualDisclosure, 'seq' | 'recordedAt'> = {
        entryId: randomUUID(),
        channel: body.channel,
        title: body.title,
        noticeId: body.noticeId,
        villageId: body.villageId,
        category: body.category,
        keyAreas: body.keyAreas,
        disclosedOn: body.disclosedOn,
        photo,
        note: body.note,
        actorId: actor.id,
        ...(dated.data ? { late: dated.data } : {}),
      };
      const [record] = await deps.ledger.append([{ type: MANUAL_TYPE, entry, actorId: actor.id }]);
      const saved = record ? deps.aggregates.current().manual.get(record.seq) : undefined;
      if (!saved) throw new Error('the manual disclosure was written but not folded into the aggregates');
      deps.logger.info(`manual disclosure ${entry.entryId} via ${entry.channel} recorded by ${actor.id}`);
      return ok(saved);
    },

    async savePhoto(bytes, declaredType, actor) {
      const checked = checkPhoto(bytes, declaredType);
      if (!checked.ok) {
        const tooBig = checked.message.includes('larger than');
        return fail(tooBig ? 'payload_too_large' : 'invalid_payload', checked.message, { photo: checked.message.replace(/^photo: /, '') });
      }
      await storePhoto(deps.dataDir, checked.photo, bytes);
      await deps.ledger.append([{ type: 'disclosure.photo', photo: checked.photo, actorId: actor.id }]);
      return ok(checked.photo);
    },

    async photo(sha256) {
      for (const type of PHOTO_TYPES) {
        const file = photoPath(deps.dataDir, { sha256, type });
        if (
          await stat(file).then(
            () => true,
            () => false,
          )
        )
          return { file, type };
      }
      return null;
    },

    stats: (from, to, villageId) => disclosureStats(inputs(), from, to, villageId),
    timeliness: (from, to, villageId) => timeliness(inputs(), from, to, villageId),
    async checks(period, key) {
      const { from, to } = periodRange(key);
      return { period, key, from, to, rows: villageChecks(await cellInputs(from, to), from, to) };
    },
    satisfaction: async (from, to, villageId) => satisfaction(await cellInputs(from, to), from, to, villageId),
    compliance(from, to, villageId) {
      const state = deps.store.read();
      const now = deps.clock.now();
      const rows = complianceRows(
        {
          coverage: deps.aggregates.current().coverage,
          untrusted: deps.aggregates.current().untrusted.values(),
          notices: state.notices,
          devices: targetDevices(),
          villages: state.villages,
          continuityMs: SHOWING_CONTINUITY_MS,
          now,
        },
        startOfCivilDay(from),
        startOfCivilDay(addCalendarDays(to, 1)),
        villageId,
      );
      return { from, to, villageId: villageId ?? null, generatedAt: now, continuityMs: SHOWING_CONTINUITY_MS, rows };
    },

    applications: () => [...deps.aggregates.current().applications.values()].sort((a, b) => b.receivedOn.localeCompare(a.receivedOn)),

    async saveApplication(id, body, actor) {
      if (id !== null && !deps.aggregates.current().applications.has(id)) return fail('not_found', `no application ${id} in the register`);
      if (!knownVillage(body.villageId)) return unknownVillage(body.villageId);
      const entry: DisclosureApplication = { id: id ?? randomUUID(), ...body };
      await deps.ledger.append([{ type: APPLICATION_SAVED, entry, actorId: actor.id }]);
      return ok(entry);
    },

    cases: () => [...deps.aggregates.current().cases.values()].sort((a, b) => b.filedOn.localeCompare(a.filedOn)),

    async saveCase(id, body, actor) {
      if (id !== null && !deps.aggregates.current().cases.has(id)) return fail('not_found', `no case ${id} in the register`);
      if (!knownVillage(body.villageId)) return unknownVillage(body.villageId);
      const entry: LitigationCase = { id: id ?? randomUUID(), ...body };
      await deps.ledger.append([{ type: CASE_SAVED, entry, actorId: actor.id }]);
      return ok(entry);
    },

    annual(year, version, villageId) {
      const { town, villages } = deps.store.read();
      const village =
        villageId === undefined ? undefined : (villages.find((v) => v.id === villageId) ?? { id: villageId, name: villageId });
      return buildAnnualReport(inputs(), { year, version, town: town.name, issuer: town.issuer, ...(village && { village }) });
    },

    async saveAnnual(year, version, body, actor) {
      const draft: AnnualDraft = { year, version, ...body, savedAt: deps.clock.now(), savedBy: actor.id };
      await deps.ledger.append([{ type: DRAFT_SAVED, draft, actorId: actor.id }]);
      return this.annual(year, version);
    },
  };
}
