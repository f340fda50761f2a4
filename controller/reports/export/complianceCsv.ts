/**
 * The compliance report as CSV rows: one per gap, one per device without gaps,
 * one per window cut and one for a notice with no targeted device, so a
 * spreadsheet filter on 结论 or 原因 finds every problem. Times in China time.
 * A sign behind a village node also says how long its node was offline and how
 * much of that time display records the node uploaded later prove it shown.
 */
import { COMPLIANCE_LABELS, type ComplianceReport, type ComplianceRow } from '../../protocol/index.js';

export const COMPLIANCE_CSV_HEADER = [
  '公告编号',
  '标题',
  '公示开始',
  '公示结束',
  '检查至',
  '结论',
  '原因',
  '设备',
  '设备类型',
  '村',
  '应展示小时',
  '已展示小时',
  '非开机小时（不计）',
  '村级节点离线小时',
  '其中有补传展示记录的小时',
  '缺口开始',
  '缺口结束',
  '缺口分钟',
  '缺口原因',
  '版本',
] as const;

/** `2026-11-26 10:00` in China time. */
export function chinaTime(ms: number | null): string {
  if (ms === null) return '';
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const hours = (ms: number): number => Math.round((ms / 3_600_000) * 10) / 10;
const minutes = (ms: number): number => Math.round(ms / 60_000);

export function verdictText(row: ComplianceRow): string {
  return `${row.compliant ? '合规' : '不合规'}${row.running ? '（公示中）' : ''}`;
}

export function reasonText(row: ComplianceRow): string {
  return row.reasons
    .map((r) => `${COMPLIANCE_LABELS[r.code]}${r.devices > 0 ? `（${r.devices}台设备，${minutes(r.ms)}分钟）` : ''}`)
    .join('；');
}

export function complianceCsvRows(report: ComplianceReport): unknown[][] {
  const rows: unknown[][] = [];
  for (const row of report.rows) {
    const notice = [
      row.noticeId,
      row.title,
      chinaTime(row.plannedFrom),
      row.plannedTo === null ? '长期' : chinaTime(row.plannedTo),
      chinaTime(row.to),
      verdictText(row),
      reasonText(row),
    ];
    const blank = ['', '', '', '', '', '', '', ''];
    for (const c of row.cuts) {
      rows.push([
        ...notice,
        '全部设备',
        '',
        '',
        ...blank.slice(0, 5),
        chinaTime(c.from),
        chinaTime(c.to),
        minutes(c.ms),
        COMPLIANCE_LABELS[c.cause],
        '',
      ]);
    }
    if (row.devices.length === 0) rows.push([...notice, '', '', '', ...blank, COMPLIANCE_LABELS.no_devices, '']);
    for (const d of row.devices) {
      const device = [
        d.name,
        d.kind === 'led' ? 'LED 屏' : '触摸屏',
        d.village,
        hours(d.requiredMs),
        hours(d.shownMs),
        hours(d.offHoursMs),
        // Behind a village node: how long it was offline, and how much of that the node's uploaded records prove shown.
        d.node ? hours(d.node.offlineMs) : '',
        d.node ? hours(d.node.shownWhileOfflineMs) : '',
      ];
      if (d.gaps.length === 0) rows.push([...notice, ...device, '', '', '', '', '']);
      for (const g of d.gaps) {
        rows.push([
          ...notice,
          ...device,
          chinaTime(g.from),
          chinaTime(g.to),
          minutes(g.ms),
          COMPLIANCE_LABELS[g.cause],
          `v${g.versionNumber}`,
        ]);
      }
    }
  }
  return rows;
}
