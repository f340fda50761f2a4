/**
 * The statistics reports, as pure functions of the aggregates, the notices'
 * metadata and a date range: 主动公开 counts, timeliness against the
 * 20-working-day rule, per-village checks and satisfaction.
 *
 * One piece of information is one item, however many channels carried it: a
 * notice approved in the system is an item (dated by its first approval); a
 * manual entry is an item of its own unless it names a notice, in which case it
 * adds its channel to that notice's item.
 */
import {
  CHANNEL_LABELS,
  type Channel,
  type CivilDate,
  type CountRow,
  type DisclosureStats,
  type HolidayCalendar,
  type NoticeContent,
  type Satisfaction,
  type SatisfactionRow,
  type TimelinessRow,
  type UntrustedShowings,
  type Village,
  type VillageCheckRow,
  categoryLabel,
  civilDateOf,
  countWorkingDays,
  disclosureDeadline,
} from '../../protocol/index.js';
import { type Aggregates, COL } from '../projection/aggregates.js';
import type { CellSum } from '../projection/cells.js';

/** What the reports need of a notice, from its live (or last approved, or newest) version. */
export interface NoticeMeta {
  id: string;
  title: string;
  content: NoticeContent;
}

export interface ReportInputs {
  agg: Readonly<Aggregates>;
  notices: ReadonlyMap<string, NoticeMeta>;
  villages: readonly Village[];
  /** Device id → kind and village, for channels and per-village targets. */
  devices: ReadonlyMap<string, { kind: string; villageId: string }>;
  calendar: HolidayCalendar;
  today: CivilDate;
}

/**
 * With the counts of the report's date range, summed per notice × village
 * (closed days' cells live in the archive: AggregateStore.sumCells), for the
 * reports that sum cells. Already limited to the range.
 */
export interface CellReportInputs extends ReportInputs {
  cells: readonly CellSum[];
}

export const TOWN_KEY = 'town';
const TOWN_LABEL = '全镇';

interface Item {
  key: string;
  date: CivilDate;
  channels: Set<Channel | 'none'>;
  category: string | null;
  keyAreas: readonly string[];
  villageIds: readonly string[];
  manual: boolean;
}

const inRange = (date: string, from: string, to: string): boolean => date >= from && date <= to;

/** The first step of each kind per notice (e.g. first approval), ignoring voided steps (the aggregates drop them). */
export function firstStep(agg: Readonly<Aggregates>, noticeId: string, steps: readonly string[]): number | null {
  for (const s of agg.lifecycle.get(noticeId) ?? []) if (steps.includes(s.step)) return s.ts;
  return null;
}

/** Channels each notice was shown on (kiosk / LED): a first display on a device is recorded exactly when a display is folded in. */
function shownChannels(input: ReportInputs): Map<string, Set<Channel>> {
  const out = new Map<string, Set<Channel>>();
  for (const f of input.agg.firstShown.values()) {
    const kind = input.agg.signs.has(f.deviceId) || input.devices.get(f.deviceId)?.kind === 'led' ? 'led' : 'kiosk';
    const set = out.get(f.noticeId) ?? new Set<Channel>();
    set.add(kind);
    out.set(f.noticeId, set);
  }
  return out;
}

const targetVillages = (content: NoticeContent | undefined): string[] =>
  !content || content.target.scope === 'town' ? [TOWN_KEY] : content.target.villageIds;

/** Every item disclosed in [from, to]. */
export function disclosedItems(input: ReportInputs, from: CivilDate, to: CivilDate): Item[] {
  const items = new Map<string, Item>();
  const shown = shownChannels(input);
  for (const [noticeId] of input.agg.lifecycle) {
    const approvedAt = firstStep(input.agg, noticeId, ['approved', 'corrected']);
    if (approvedAt === null) continue;
    const date = civilDateOf(approvedAt);
    if (!inRange(date, from, to)) continue;
    const content = input.notices.get(noticeId)?.content;
    const channels = new Set<Channel | 'none'>(shown.get(noticeId) ?? []);
    items.set(noticeId, {
      key: noticeId,
      date,
      channels,
      category: content?.category ?? null,
      keyAreas: content?.keyAreas ?? [],
      villageIds: targetVillages(content),
      manual: false,
    });
  }
  for (const entry of input.agg.manual.values()) {
    if (!inRange(entry.disclosedOn, from, to)) continue;
    const existing = entry.noticeId ? items.get(entry.noticeId) : undefined;
    if (existing) {
      existing.channels.add(entry.channel);
      continue;
    }
    const content = entry.noticeId ? input.notices.get(entry.noticeId)?.content : undefined;
    const key = entry.noticeId ?? `manual:${entry.entryId}`;
    items.set(key, {
      key,
      date: entry.disclosedOn,
      channels: new Set([entry.channel]),
      category: entry.category ?? content?.category ?? null,
      keyAreas: entry.keyAreas.length > 0 ? entry.keyAreas : (content?.keyAreas ?? []),
      villageIds: entry.villageId ? [entry.villageId] : content ? targetVillages(content) : [TOWN_KEY],
      manual: true,
    });
  }
  for (const item of items.values()) if (item.channels.size === 0) item.channels.add('none');
  return [...items.values()];
}

function countBy(
  items: readonly Item[],
  keys: (item: Item) => readonly string[],
  label: (key: string) => string,
  order?: readonly string[],
): CountRow[] {
  const counts = new Map<string, number>();
  for (const key of order ?? []) counts.set(key, 0);
  for (const item of items) for (const key of new Set(keys(item))) counts.set(key, (counts.get(key) ?? 0) + 1);
  const rows = [...counts].map(([key, count]) => ({ key, label: label(key), count }));
  return order ? rows : rows.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export function villageName(input: Pick<ReportInputs, 'villages'>, id: string): string {
  return id === TOWN_KEY ? TOWN_LABEL : (input.villages.find((v) => v.id === id)?.name ?? id);
}

const CHANNEL_ORDER: readonly string[] = ['board', 'wechat', 'website', 'broadcast', 'kiosk', 'led'];

export function channelLabel(key: string): string {
  return key === 'none' ? '已签发未展示' : (CHANNEL_LABELS[key as Channel]?.zh ?? key);
}

export function disclosureStats(input: ReportInputs, from: CivilDate, to: CivilDate, villageId?: string): DisclosureStats {
  const all = disclosedItems(input, from, to);
  const items = villageId ? all.filter((i) => i.villageIds.includes(villageId)) : all;
  const byChannel = countBy(items, (i) => [...i.channels], channelLabel, CHANNEL_ORDER).filter(
    (r) => r.count > 0 || ['board', 'wechat', 'kiosk'].includes(r.key),
  );
  let reviewed = 0;
  let rejected = 0;
  let corrected = 0;
  let withdrawn = 0;
  for (const [noticeId, steps] of input.agg.lifecycle) {
    // A village's figures count the reviews of its own notices only.
    if (villageId && !targetVillages(input.notices.get(noticeId)?.content).includes(villageId)) continue;
    for (const s of steps) {
      if (!inRange(civilDateOf(s.ts), from, to)) continue;
      if (s.step === 'approved' || s.step === 'corrected' || s.step === 'rejected') reviewed++;
      if (s.step === 'rejected') rejected++;
      if (s.step === 'corrected') corrected++;
      if (s.step === 'withdrawn') withdrawn++;
    }
  }
  return {
    from,
    to,
    total: items.length,
    byChannel,
    byCategory: countBy(
      items,
      (i) => [i.category ?? 'none'],
      (k) => (k === 'none' ? '未分类' : categoryLabel(k)),
    ),
    byKeyArea: countBy(
      items.filter((i) => i.keyAreas.length > 0),
      (i) => i.keyAreas,
      (k) => k,
    ),
    byVillage: countBy(
      items,
      // A village's figures name no other village (a notice for several is counted for this one).
      (i) => (villageId ? i.villageIds.filter((id) => id === villageId) : i.villageIds),
      (k) => villageName(input, k),
    ),
    byMonth: countBy(
      items,
      (i) => [i.date.slice(0, 7)],
      (k) => k,
    ).sort((a, b) => a.key.localeCompare(b.key)),
    reviewed,
    rejected,
    corrected,
    withdrawn,
  };
}

/** Devices (kiosks and signs) a notice targets. */
function targetedDevices(input: ReportInputs, content: NoticeContent): { deviceId: string; villageId: string }[] {
  const out: { deviceId: string; villageId: string }[] = [];
  for (const [deviceId, d] of input.devices) {
    if (content.target.scope === 'town' || content.target.villageIds.includes(d.villageId)) out.push({ deviceId, villageId: d.villageId });
  }
  return out;
}

/** Formed date → approval → first display on each targeted device, against the Art. 26 deadline. Notices formed or approved in the range. */
export function timeliness(input: ReportInputs, from: CivilDate, to: CivilDate, villageId?: string): TimelinessRow[] {
  const firstShown = new Map<string, Map<string, number>>();
  for (const f of input.agg.firstShown.values()) {
    const m = firstShown.get(f.noticeId) ?? new Map<string, number>();
    m.set(f.deviceId, f.at);
    firstShown.set(f.noticeId, m);
  }
  // Receipts whose times are not believed give no first display; they are counted apart, by notice × device.
  const untrusted = new Map<string, UntrustedShowings[]>();
  for (const t of input.agg.untrusted.values()) {
    const key = `${t.noticeId}\u0000${t.deviceId}`;
    const list = untrusted.get(key) ?? [];
    const same = list.find((u) => u.reason === t.reason);
    if (same) {
      same.receipts += t.receipts;
      same.claimedMs += t.claimedMs;
    } else list.push({ reason: t.reason, receipts: t.receipts, claimedMs: t.claimedMs });
    untrusted.set(key, list);
  }
  const rows: TimelinessRow[] = [];
  // Many notices share dates: working-day arithmetic is the costly part, so each answer is kept for this call.
  const deadlines = new Map<string, string>();
  const spans = new Map<string, number>();
  const deadlineOf = (formed: CivilDate): CivilDate => {
    let d = deadlines.get(formed);
    if (d === undefined) deadlines.set(formed, (d = disclosureDeadline(input.calendar, formed)));
    return d;
  };
  const workingDays = (from: CivilDate, to: CivilDate): number => {
    const key = `${from}/${to}`;
    let n = spans.get(key);
    if (n === undefined) spans.set(key, (n = countWorkingDays(input.calendar, from, to)));
    return n;
  };
  for (const meta of input.notices.values()) {
    const { content } = meta;
    const approvedAt = firstStep(input.agg, meta.id, ['approved', 'corrected']);
    const approvedOn = approvedAt === null ? null : civilDateOf(approvedAt);
    if (!inRange(content.formedOn, from, to) && !(approvedOn && inRange(approvedOn, from, to))) continue;
    if (villageId && !targetVillages(content).includes(villageId) && !targetVillages(content).includes(TOWN_KEY)) continue;
    const deadline = deadlineOf(content.formedOn);
    const days = (date: CivilDate | null): number | null => (date === null ? null : workingDays(content.formedOn, date));
    const shown = firstShown.get(meta.id) ?? new Map<string, number>();
    const devices = targetedDevices(input, content)
      .filter((d) => !villageId || d.villageId === villageId)
      .map((d) => {
        const at = shown.get(d.deviceId);
        const on = at === undefined ? null : civilDateOf(at);
        const late = on === null ? input.today > deadline : on > deadline;
        return { ...d, firstShownOn: on, workingDays: days(on), late, untrusted: untrusted.get(`${meta.id}\u0000${d.deviceId}`) ?? [] };
      });
    const firstAt = Math.min(...shown.values());
    const firstShownOn = Number.isFinite(firstAt) ? civilDateOf(firstAt) : null;
    rows.push({
      noticeId: meta.id,
      title: meta.title,
      formedOn: content.formedOn,
      deadline,
      approvedOn,
      workingDaysToApproval: days(approvedOn),
      firstShownOn,
      workingDaysToFirstDisplay: days(firstShownOn),
      devices,
      late: approvedOn === null ? input.today > deadline : approvedOn > deadline,
    });
  }
  return rows.sort((a, b) => a.formedOn.localeCompare(b.formedOn) || a.title.localeCompare(b.title));
}

/** 月检查 / 季通报 / 年考核: one row per village (and one for town-wide items) over [from, to]. */
export function villageChecks(input: CellReportInputs, from: CivilDate, to: CivilDate): VillageCheckRow[] {
  const ids = [...input.villages.map((v) => v.id), TOWN_KEY];
  const rows = new Map<string, VillageCheckRow>(
    ids.map((id) => [
      id,
      {
        villageId: id,
        village: villageName(input, id),
        published: 0,
        manual: 0,
        late: 0,
        showings: 0,
        hoursShown: 0,
        interactions: 0,
        ratings: 0,
        averageRating: null,
        devices: [...input.devices.values()].filter((d) => d.villageId === id).length,
      },
    ]),
  );
  const ratingSums = new Map<string, number>();
  for (const item of disclosedItems(input, from, to)) {
    for (const id of item.villageIds) {
      const row = rows.get(id);
      if (!row) continue;
      if (item.manual) row.manual++;
      else row.published++;
    }
  }
  for (const t of timeliness(input, from, to)) {
    if (!t.late) continue;
    const content = input.notices.get(t.noticeId)?.content;
    for (const id of targetVillages(content)) {
      const row = rows.get(id);
      if (row) row.late++;
    }
  }
  for (const cell of input.cells) {
    const row = rows.get(cell.villageId);
    if (!row) continue;
    row.showings += cell.v[COL.showings] ?? 0;
    row.hoursShown += (cell.v[COL.ms] ?? 0) / 3_600_000;
    row.interactions += interactionsOf(cell.v);
    for (let r = 1; r <= 5; r++) {
      const n = cell.v[COL.rating + r - 1] ?? 0;
      row.ratings += n;
      ratingSums.set(row.villageId, (ratingSums.get(row.villageId) ?? 0) + n * r);
    }
  }
  for (const row of rows.values()) {
    row.hoursShown = Math.round(row.hoursShown * 10) / 10;
    row.averageRating = row.ratings > 0 ? Math.round(((ratingSums.get(row.villageId) ?? 0) / row.ratings) * 100) / 100 : null;
  }
  return [...rows.values()];
}

export function interactionsOf(v: readonly number[]): number {
  return (v[COL.opened] ?? 0) + (v[COL.readAloud] ?? 0) + (v[COL.qrShown] ?? 0) + (v[COL.rated] ?? 0) + (v[COL.otherInteractions] ?? 0);
}

/** The civil-date range of `2026-03`, `2026-Q1` or `2026`. */
export function periodRange(key: string): { from: CivilDate; to: CivilDate } {
  const year = Number(key.slice(0, 4));
  const lastDay = (y: number, m: number): string => String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0');
  const month = /^\d{4}-(\d{2})$/.exec(key);
  if (month) {
    const m = Number(month[1]);
    if (m < 1 || m > 12) throw new RangeError(`no month ${key}`);
    return { from: `${key}-01`, to: `${key}-${lastDay(year, m)}` };
  }
  const quarter = /^\d{4}-Q([1-4])$/.exec(key);
  if (quarter) {
    const q = Number(quarter[1]);
    const first = String(q * 3 - 2).padStart(2, '0');
    const last = q * 3;
    return { from: `${year}-${first}-01`, to: `${year}-${String(last).padStart(2, '0')}-${lastDay(year, last)}` };
  }
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

function satisfactionRow(key: string, label: string, counts: number[]): SatisfactionRow {
  const total = counts.reduce((a, b) => a + b, 0);
  const sum = counts.reduce((a, n, i) => a + n * (i + 1), 0);
  return {
    key,
    label,
    counts: [counts[0] ?? 0, counts[1] ?? 0, counts[2] ?? 0, counts[3] ?? 0, counts[4] ?? 0],
    total,
    average: total > 0 ? Math.round((sum / total) * 100) / 100 : null,
  };
}

/** Ratings (好差评, 1–5) per notice and per village in [from, to], with the comments. */
export function satisfaction(input: CellReportInputs, from: CivilDate, to: CivilDate, villageId?: string): Satisfaction {
  const byNotice = new Map<string, number[]>();
  const byVillage = new Map<string, number[]>();
  for (const cell of input.cells) {
    if (villageId && cell.villageId !== villageId) continue;
    const ratings = cell.v.slice(COL.rating, COL.rating + 5);
    if (ratings.every((n) => n === 0)) continue;
    for (const [map, key] of [
      [byNotice, cell.noticeId],
      [byVillage, cell.villageId],
    ] as const) {
      const acc = map.get(key) ?? [0, 0, 0, 0, 0];
      ratings.forEach((n, i) => (acc[i] = (acc[i] ?? 0) + n));
      map.set(key, acc);
    }
  }
  const title = (id: string): string => input.notices.get(id)?.title ?? id;
  return {
    byNotice: [...byNotice].map(([id, c]) => satisfactionRow(id, title(id), c)).sort((a, b) => b.total - a.total),
    byVillage: [...byVillage].map(([id, c]) => satisfactionRow(id, villageName(input, id), c)).sort((a, b) => b.total - a.total),
    comments: input.agg.comments
      .filter((c) => inRange(civilDateOf(c.at), from, to) && (!villageId || c.villageId === villageId))
      .map((c) => ({
        noticeId: c.noticeId,
        title: title(c.noticeId),
        villageId: c.villageId,
        rating: c.rating,
        comment: c.comment,
        at: c.at,
      }))
      .sort((a, b) => b.at - a.at),
  };
}
