/**
 * The annual report (政府信息公开工作年度报告) in the national standard format,
 * V2019 (国办公开办函〔2019〕60号) or V2021 (〔2021〕30号); layouts and
 * rules from docs/reference/disclosure-rules.md §1.4–1.9.
 *
 * Section 一 states the ledger's figures; T2 第二十条第（一）项 is counted from
 * the notices' document type (规章 always 0: a town makes none) and every
 * other T2 cell is entered by staff (§1.9);
 * T3 is counted from the 依申请公开 register and T4 from the case register.
 * {@link validateReport} applies the official rules and names each failing cell.
 */
import {
  APPLICANT_TYPES,
  type AnnualDraft,
  type AnnualReport,
  type CaseKind,
  type CaseResult,
  type DisclosureApplication,
  type HeaderCell,
  type LitigationCase,
  type Outcome,
  type ReportProblem,
  type ReportTable,
  type ReportVersion,
  CHANNEL_LABELS,
  REPORT_VERSION_SOURCES,
  reportVersionFor,
  type Channel,
  civilDateOf,
} from '../../protocol/index.js';
import { type ReportInputs, disclosureStats, firstStep } from './statistics.js';

// ── T2 ──────────────────────────────────────────────────────────────────────

interface T2Def {
  caption: string;
  cols: string[];
  rows: string[];
}

export const T2: Record<ReportVersion, T2Def[]> = {
  V2021: [
    { caption: '第二十条第（一）项', cols: ['本年制发件数', '本年废止件数', '现行有效件数'], rows: ['规章', '行政规范性文件'] },
    { caption: '第二十条第（五）项', cols: ['本年处理决定数量'], rows: ['行政许可'] },
    { caption: '第二十条第（六）项', cols: ['本年处理决定数量'], rows: ['行政处罚', '行政强制'] },
    { caption: '第二十条第（八）项', cols: ['本年收费金额（单位：万元）'], rows: ['行政事业性收费'] },
  ],
  V2019: [
    { caption: '第二十条第（一）项', cols: ['本年新制作数量', '本年新公开数量', '对外公开总数量'], rows: ['规章', '规范性文件'] },
    { caption: '第二十条第（五）项', cols: ['上一年项目数量', '本年增/减', '处理决定数量'], rows: ['行政许可', '其他对外管理服务事项'] },
    { caption: '第二十条第（六）项', cols: ['上一年项目数量', '本年增/减', '处理决定数量'], rows: ['行政处罚', '行政强制'] },
    { caption: '第二十条第（八）项', cols: ['上一年项目数量', '本年增/减'], rows: ['行政事业性收费'] },
    { caption: '第二十条第（九）项', cols: ['采购项目数量', '采购总金额'], rows: ['政府集中采购'] },
  ],
};

export const t2CellId = (table: number, row: number, col: number): string => `t2.${table}.${row}.${col}`;

/**
 * Counts of 行政规范性文件 (notices with `docType` normative) for T2 第二十条第（一）项:
 * formed in the year (by 信息形成日期), issued in it (first approval), repealed in
 * it (撤回 after approval: the document leaves force) and in force on 12-31.
 */
export function normativeCounts(
  input: ReportInputs,
  year: number,
  villageId?: string,
): { formed: number; issued: number; repealed: number; inForce: number } {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const counts = { formed: 0, issued: 0, repealed: 0, inForce: 0 };
  for (const meta of input.notices.values()) {
    if (meta.content.docType !== 'normative') continue;
    const target = meta.content.target;
    if (villageId && (target.scope === 'town' || !target.villageIds.includes(villageId))) continue;
    const approvedAt = firstStep(input.agg, meta.id, ['approved', 'corrected']);
    if (approvedAt === null) continue;
    const approvedOn = civilDateOf(approvedAt);
    const withdrawnAt = firstStep(input.agg, meta.id, ['withdrawn']);
    const withdrawnOn = withdrawnAt === null ? null : civilDateOf(withdrawnAt);
    if (meta.content.formedOn >= from && meta.content.formedOn <= to) counts.formed++;
    if (approvedOn >= from && approvedOn <= to) counts.issued++;
    if (withdrawnOn && withdrawnOn >= from && withdrawnOn <= to) counts.repealed++;
    if (approvedOn <= to && (withdrawnOn === null || withdrawnOn > to)) counts.inForce++;
  }
  return counts;
}

/** Cells the system fills: the whole 第二十条第（一）项 table; 规章 is always 0 for a town. */
function t2Auto(version: ReportVersion, input: ReportInputs, year: number, villageId?: string): Map<string, number> {
  const auto = new Map<string, number>();
  const cols = T2[version][0]?.cols.length ?? 3;
  for (let c = 0; c < cols; c++) auto.set(t2CellId(0, 0, c), 0);
  const n = normativeCounts(input, year, villageId);
  // V2019: 本年新制作 · 本年新公开 · 对外公开总数量; V2021: 本年制发 · 本年废止 · 现行有效.
  const row = version === 'V2019' ? [n.formed, n.issued, n.inForce] : [n.issued, n.repealed, n.inForce];
  row.forEach((value, c) => auto.set(t2CellId(0, 1, c), value));
  return auto;
}

/**
 * T2; for a village (`villageId`), the counted cells are its own notices' and the cells staff enter — the town's
 * figures (licences, penalties, fees), which no village's share can be told of — are left blank.
 */
function buildT2(version: ReportVersion, input: ReportInputs, year: number, draft: AnnualDraft | null, villageId?: string): ReportTable[] {
  const auto = t2Auto(version, input, year, villageId);
  return T2[version].map((def, t) => ({
    caption: def.caption,
    cols: ['信息内容', ...def.cols],
    rows: def.rows.map((label, r) => ({
      id: `t2.${t}.${r}`,
      label,
      indent: 0,
      cells: def.cols.map((_, c) => {
        const id = t2CellId(t, r, c);
        const fixed = auto.get(id);
        if (fixed !== undefined) return { id, value: fixed, manual: false };
        return villageId ? { id, value: null, manual: false } : { id, value: draft?.cells[id] ?? 0, manual: true };
      }),
    })),
  }));
}

// ── T3 ──────────────────────────────────────────────────────────────────────

export const T3_COLS = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];
export const T3_COL_KEYS = [...APPLICANT_TYPES, 'total'] as const;

interface T3RowDef {
  id: string;
  label: string;
  indent: number;
  heading?: boolean;
  /** Outcomes counted in this row (leaves only). */
  outcomes?: readonly Outcome[];
}

const OTHER_LEAVES: T3RowDef[] = [
  {
    id: 'other_no_correction',
    label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
    indent: 2,
    outcomes: ['other_no_correction'],
  },
  {
    id: 'other_fee_unpaid',
    label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    indent: 2,
    outcomes: ['other_fee_unpaid'],
  },
  { id: 'other_misc', label: '3.其他', indent: 2, outcomes: ['other_misc'] },
];

export function t3Rows(version: ReportVersion): T3RowDef[] {
  const leaf = (id: Outcome, label: string): T3RowDef => ({ id, label, indent: 2, outcomes: [id] });
  return [
    { id: 'new', label: '一、本年新收政府信息公开申请数量', indent: 0 },
    { id: 'carried', label: '二、上年结转政府信息公开申请数量', indent: 0 },
    { id: 'h3', label: '三、本年度办理结果', indent: 0, heading: true },
    { id: 'granted', label: '（一）予以公开', indent: 1, outcomes: ['granted'] },
    { id: 'partial', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', indent: 1, outcomes: ['partial'] },
    { id: 'h3.3', label: '（三）不予公开', indent: 1, heading: true },
    leaf('deny_state_secret', '1.属于国家秘密'),
    leaf('deny_law_forbidden', '2.其他法律行政法规禁止公开'),
    leaf('deny_three_safety_one_stability', '3.危及“三安全一稳定”'),
    leaf('deny_third_party', '4.保护第三方合法权益'),
    leaf('deny_internal_affairs', '5.属于三类内部事务信息'),
    leaf('deny_process_info', '6.属于四类过程性信息'),
    leaf('deny_enforcement_file', '7.属于行政执法案卷'),
    leaf('deny_admin_query', '8.属于行政查询事项'),
    { id: 'h3.4', label: '（四）无法提供', indent: 1, heading: true },
    leaf('unable_not_held', '1.本机关不掌握相关政府信息'),
    leaf('unable_needs_creation', '2.没有现成信息需要另行制作'),
    leaf('unable_unclear_after_correction', '3.补正后申请内容仍不明确'),
    { id: 'h3.5', label: '（五）不予处理', indent: 1, heading: true },
    leaf('noprocess_petition_complaint', '1.信访举报投诉类申请'),
    leaf('noprocess_duplicate', '2.重复申请'),
    leaf('noprocess_publication', '3.要求提供公开出版物'),
    leaf('noprocess_mass_repeated', '4.无正当理由大量反复申请'),
    leaf('noprocess_confirm_or_reissue', '5.要求行政机关确认或重新出具已获取信息'),
    ...(version === 'V2019'
      ? [{ id: 'other', label: '（六）其他处理', indent: 1, outcomes: ['other_no_correction', 'other_fee_unpaid', 'other_misc'] as const }]
      : [{ id: 'h3.6', label: '（六）其他处理', indent: 1, heading: true }, ...OTHER_LEAVES]),
    { id: 'total', label: '（七）总计', indent: 1 },
    { id: 'carryover', label: '四、结转下年度继续办理', indent: 0 },
  ];
}

/** The printed note on the rule 一 + 二 = 三 + 四, which the template puts in the table's top-left corner. */
export const T3_CHECK_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';

const T3_HEAD: HeaderCell[][] = [
  [
    { text: T3_CHECK_NOTE, colSpan: 3, rowSpan: 3 },
    { text: '申请人情况', colSpan: 7, rowSpan: 1 },
  ],
  [
    { text: '自然人', colSpan: 1, rowSpan: 2 },
    { text: '法人或其他组织', colSpan: 5, rowSpan: 1 },
    { text: '总计', colSpan: 1, rowSpan: 2 },
  ],
  T3_COLS.slice(1, 6).map((text) => ({ text, colSpan: 1, rowSpan: 1 })),
];

/** T3 counts for `year`: received in it (一), open from before it (二), concluded in it by outcome, still open at its end (四). */
function buildT3(version: ReportVersion, applications: readonly DisclosureApplication[], year: number): ReportTable {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const counts = new Map<string, number[]>();
  const add = (row: string, col: number): void => {
    const values = counts.get(row) ?? new Array<number>(7).fill(0);
    values[col]! += 1;
    values[6]! += 1;
    counts.set(row, values);
  };
  const rows = t3Rows(version);
  const rowOfOutcome = new Map<Outcome, string>();
  for (const r of rows) for (const o of r.outcomes ?? []) rowOfOutcome.set(o, r.id);
  for (const a of applications) {
    const col = APPLICANT_TYPES.indexOf(a.applicantType);
    const concludedBefore = a.repliedOn !== null && a.repliedOn < from;
    if (a.receivedOn > to || concludedBefore) continue;
    add(a.receivedOn >= from ? 'new' : 'carried', col);
    if (a.outcome !== null && a.repliedOn !== null && a.repliedOn <= to) {
      add(rowOfOutcome.get(a.outcome) ?? 'unmapped', col);
      add('total', col);
    } else {
      add('carryover', col);
    }
  }
  return {
    caption: '三、收到和处理政府信息公开申请情况',
    cols: ['申请人情况', ...T3_COLS],
    head: T3_HEAD,
    labelCols: 3,
    widthsMm: [8, 16, 41, ...new Array<number>(7).fill(13)],
    rows: rows.map((r) => ({
      id: `t3.${r.id}`,
      label: r.label,
      indent: r.indent,
      ...(r.heading ? { heading: true } : {}),
      cells: r.heading ? [] : T3_COL_KEYS.map((key, c) => ({ id: `t3.${r.id}.${key}`, value: counts.get(r.id)?.[c] ?? 0, manual: false })),
    })),
  };
}

// ── T4 ──────────────────────────────────────────────────────────────────────

export const T4_GROUPS: { kind: CaseKind; label: string }[] = [
  { kind: 'reconsideration', label: '行政复议' },
  { kind: 'litigation_direct', label: '行政诉讼·未经复议直接起诉' },
  { kind: 'litigation_after_reconsideration', label: '行政诉讼·复议后起诉' },
];
export const T4_COLS: { key: CaseResult | 'total'; label: string }[] = [
  { key: 'upheld', label: '结果维持' },
  { key: 'corrected', label: '结果纠正' },
  { key: 'other', label: '其他结果' },
  { key: 'pending', label: '尚未审结' },
  { key: 'total', label: '总计' },
];

/** 行政复议 beside 行政诉讼, which spans its two kinds; each group has the five results under it. */
const T4_HEAD: HeaderCell[][] = [
  [
    { text: '行政复议', colSpan: 5, rowSpan: 2 },
    { text: '行政诉讼', colSpan: 10, rowSpan: 1 },
  ],
  [
    { text: '未经复议直接起诉', colSpan: 5, rowSpan: 1 },
    { text: '复议后起诉', colSpan: 5, rowSpan: 1 },
  ],
  T4_GROUPS.flatMap(() => T4_COLS.map((c) => ({ text: c.label, colSpan: 1, rowSpan: 1 }))),
];

/** T4: cases filed in `year`, each by its result as of the year's end. */
function buildT4(cases: readonly LitigationCase[], year: number): ReportTable {
  const to = `${year}-12-31`;
  const values = new Map<string, number>();
  for (const c of cases) {
    if (c.filedOn.slice(0, 4) !== String(year)) continue;
    const result: CaseResult = c.concludedOn !== null && c.concludedOn <= to ? c.result : 'pending';
    for (const key of [result, 'total']) values.set(`${c.kind}.${key}`, (values.get(`${c.kind}.${key}`) ?? 0) + 1);
  }
  return {
    caption: '四、政府信息公开行政复议、行政诉讼情况',
    cols: ['', ...T4_GROUPS.flatMap((g) => T4_COLS.map((c) => `${g.label}·${c.label}`))],
    head: T4_HEAD,
    labelCols: 0,
    widthsMm: new Array<number>(15).fill(156 / 15),
    rows: [
      {
        id: 't4.cases',
        label: '案件数量',
        indent: 0,
        cells: T4_GROUPS.flatMap((g) =>
          T4_COLS.map((c) => ({ id: `t4.${g.kind}.${c.key}`, value: values.get(`${g.kind}.${c.key}`) ?? 0, manual: false })),
        ),
      },
    ],
  };
}

// ── Validation ──────────────────────────────────────────────────────────────

const cellMap = (table: ReportTable): Map<string, number> => {
  const m = new Map<string, number>();
  for (const row of table.rows) for (const cell of row.cells) m.set(cell.id, cell.value ?? 0);
  return m;
};

/** The official rules (§1.7), each failure naming its cell. */
export function validateReport(report: Pick<AnnualReport, 'version' | 't2' | 't3' | 't4'>): ReportProblem[] {
  const problems: ReportProblem[] = [];
  // Rule 7: whole non-negative numbers, except V2019 本年增/减 (may be negative) and amounts (decimals).
  report.t2.forEach((table, t) =>
    table.rows.forEach((row) =>
      row.cells.forEach((cell, c) => {
        const header = table.cols[c + 1] ?? '';
        const value = cell.value ?? 0;
        const signed = report.version === 'V2019' && header === '本年增/减';
        const decimal = header.includes('金额');
        if (!Number.isFinite(value)) problems.push({ cell: cell.id, message: `${table.caption} ${row.label}·${header}: 不是数字` });
        else if (!decimal && !Number.isInteger(value))
          problems.push({ cell: cell.id, message: `${table.caption} ${row.label}·${header}: 须为整数` });
        else if (!signed && value < 0) problems.push({ cell: cell.id, message: `${table.caption} ${row.label}·${header}: 不能为负数` });
        else if (t === 0 && row.label === '规章' && value !== 0)
          problems.push({ cell: cell.id, message: `${table.caption} 规章·${header}: 乡镇不制定规章，应为 0` });
      }),
    ),
  );
  const t3 = cellMap(report.t3);
  const v = (row: string, col: string): number => t3.get(`t3.${row}.${col}`) ?? 0;
  const leaves = t3Rows(report.version).filter((r) => r.outcomes);
  for (const col of T3_COL_KEYS) {
    // Rule 1: 一 + 二 = 三(七) + 四.
    if (v('new', col) + v('carried', col) !== v('total', col) + v('carryover', col)) {
      problems.push({
        cell: `t3.total.${col}`,
        message: `表三 ${T3_COLS[T3_COL_KEYS.indexOf(col)]}列：一(${v('new', col)}) + 二(${v('carried', col)}) 应等于 三(七)总计(${v('total', col)}) + 四(${v('carryover', col)})`,
      });
    }
    // Rule 3: (七)总计 = Σ outcome leaves.
    const sum = leaves.reduce((a, r) => a + v(r.id, col), 0);
    if (sum !== v('total', col)) {
      problems.push({
        cell: `t3.total.${col}`,
        message: `表三 ${T3_COLS[T3_COL_KEYS.indexOf(col)]}列：（七）总计(${v('total', col)}) 应等于各办理结果之和(${sum})`,
      });
    }
  }
  // Rule 2: each row's 总计 = the six applicant columns.
  for (const row of report.t3.rows) {
    if (row.cells.length === 0) continue;
    const id = row.id.slice(3);
    const sum = APPLICANT_TYPES.reduce((a, col) => a + v(id, col), 0);
    if (sum !== v(id, 'total'))
      problems.push({ cell: `t3.${id}.total`, message: `表三 ${row.label}：总计(${v(id, 'total')}) 应等于各类申请人之和(${sum})` });
    for (const cell of row.cells) {
      if (!Number.isInteger(cell.value ?? 0) || (cell.value ?? 0) < 0)
        problems.push({ cell: cell.id, message: `表三 ${row.label}：须为非负整数` });
    }
  }
  // Rule 5: each T4 group's 总计 = 维持 + 纠正 + 其他 + 尚未审结.
  const t4 = cellMap(report.t4);
  for (const g of T4_GROUPS) {
    const parts = T4_COLS.filter((c) => c.key !== 'total').reduce((a, c) => a + (t4.get(`t4.${g.kind}.${c.key}`) ?? 0), 0);
    const total = t4.get(`t4.${g.kind}.total`) ?? 0;
    if (parts !== total)
      problems.push({ cell: `t4.${g.kind}.total`, message: `表四 ${g.label}：总计(${total}) 应等于各结果之和(${parts})` });
  }
  return problems;
}

// ── Section 一 and the whole report ─────────────────────────────────────────

const channelName = (key: string): string => CHANNEL_LABELS[key as Channel]?.report ?? key;

/** 一、总体情况's figures, in the words of the seed report. */
export function overviewParagraphs(
  input: ReportInputs,
  year: number,
  town: string,
  applications: number,
  cases: number,
  villageId?: string,
): { paragraphs: string[]; figures: AnnualReport['figures'] } {
  const stats = disclosureStats(input, `${year}-01-01`, `${year}-12-31`, villageId);
  const channels = stats.byChannel.filter((r) => r.count > 0 && r.key !== 'none');
  const via = channels.map((r) => `通过${channelName(r.key)}${r.count}条`).join('，');
  const paragraphs = [`${year}年，${town}全年共主动公开各类政府信息${stats.total}条${via ? `。其中，${via}` : ''}。`];
  const areas = stats.byKeyArea.filter((r) => r.count > 0);
  if (areas.length > 0) paragraphs.push(`重点领域信息公开：${areas.map((r) => `${r.label}${r.count}条`).join('，')}。`);
  const villages = stats.byVillage.filter((r) => r.count > 0);
  if (villages.length > 0) paragraphs.push(`按公开范围统计：${villages.map((r) => `${r.label}${r.count}条`).join('，')}。`);
  paragraphs.push(
    `全年信息发布审核${stats.reviewed}次，其中退回修改${stats.rejected}次；更正已发布信息${stats.corrected}次，撤回${stats.withdrawn}次。`,
  );
  paragraphs.push(applications > 0 ? `全年收到政府信息公开申请${applications}件。` : '全年未收到政府信息公开申请。');
  paragraphs.push(cases > 0 ? `全年发生政府信息公开行政复议、行政诉讼案件${cases}件。` : '全年无政府信息公开行政复议、行政诉讼案件。');
  return {
    paragraphs,
    figures: {
      total: stats.total,
      byChannel: stats.byChannel,
      reviewed: stats.reviewed,
      rejected: stats.rejected,
      corrected: stats.corrected,
      applications,
      cases,
    },
  };
}

/**
 * A year's report in the other format can be looked at (a county may ask how it
 * would read) but not exported: the county checks it against the year's format.
 */
export function formatProblem(year: number, version: ReportVersion): ReportProblem[] {
  const expected = reportVersionFor(year);
  if (version === expected) return [];
  return [
    {
      cell: 'version',
      message: `${year}年度报告应使用${REPORT_VERSION_SOURCES[expected]}格式（${expected}），不是 ${version} (the ${year} report is written in the ${expected} format)`,
    },
  ];
}

/**
 * 五 and 六 are the town's own words: until staff save this year's text (last
 * year's prefill is not it), export is held. "无。" typed by staff is text.
 */
export function sectionsNeedingText(draft: Pick<AnnualDraft, 'problems' | 'other'> | null): ReportProblem[] {
  const missing: ReportProblem[] = [];
  if (!draft?.problems.trim())
    missing.push({
      cell: 'problems',
      message: "五、存在的主要问题及改进情况：尚未填写本年度的内容，导出前请填写并保存 (section 五 needs this year's text before export)",
    });
  if (!draft?.other.trim())
    missing.push({
      cell: 'other',
      message:
        "六、其他需要报告的事项：尚未填写本年度的内容；没有需要报告的事项请填写“无。”并保存 (section 六 needs this year's text; write 无。 if there is nothing)",
    });
  return missing;
}

/**
 * The year's report; with `village`, that village's figures instead (an editor limited to it reads this, domain/
 * villageScope.ts): its own notices and 其他渠道 entries in 一 and T2's counted cells, the register rows of its
 * village in T3 and T4, and none of the town's entered figures or text (T2's entered cells blank, 五 and 六 empty).
 */
export function buildAnnualReport(
  input: ReportInputs,
  params: { year: number; version: ReportVersion; town: string; issuer: string; village?: { id: string; name: string } },
): AnnualReport {
  const { year, version } = params;
  const village = params.village ?? null;
  const drafts = input.agg.drafts;
  const saved = drafts.get(`${year}:${version}`) ?? null;
  const draft = village ? null : saved;
  const lastYear =
    saved || village
      ? null
      : (drafts.get(`${year - 1}:${version}`) ?? drafts.get(`${year - 1}:${version === 'V2019' ? 'V2021' : 'V2019'}`) ?? null);
  const ofVillage = <T extends { villageId: string | null }>(rows: readonly T[]): T[] =>
    village ? rows.filter((r) => r.villageId === village.id) : [...rows];
  const applications = ofVillage([...input.agg.applications.values()]);
  const allCases = ofVillage([...input.agg.cases.values()]);
  const received = applications.filter((a) => a.receivedOn.startsWith(`${year}-`)).length;
  const cases = allCases.filter((c) => c.filedOn.startsWith(`${year}-`)).length;
  const { paragraphs, figures } = overviewParagraphs(
    input,
    year,
    village ? `${params.town}${village.name}` : params.town,
    received,
    cases,
    village?.id,
  );
  const staffText = (draft?.overview ?? '')
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const body = {
    version,
    t2: buildT2(version, input, year, draft, village?.id),
    t3: buildT3(version, applications, year),
    t4: buildT4(allCases, year),
  };
  return {
    year,
    town: params.town,
    issuer: params.issuer,
    village,
    overview: [...paragraphs, ...staffText],
    staffOverview: draft?.overview ?? '',
    ...body,
    problems: draft?.problems ?? lastYear?.problems ?? '',
    other: draft?.other ?? lastYear?.other ?? '',
    // A village's figures carry no 五 or 六 of their own: only the format and the tables' rules are checked.
    invalid: [...formatProblem(year, version), ...validateReport(body), ...(village ? [] : sectionsNeedingText(draft))],
    figures,
    prefilledFromYear: lastYear ? year - 1 : null,
  };
}
