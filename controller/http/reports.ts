/**
 * Reports, manual channels and registers over HTTP. JSON answers are Acks;
 * CSV, DOCX and HTML answers are downloads (a refused one is still a JSON Ack).
 */
import express, { type Request, type Response } from 'express';
import { type AnnualReport, PHOTO_MAX_BYTES, PHOTO_TYPES, REPORT_ROUTES, fail, ok } from '../protocol/index.js';
import {
  ANNUAL_CSS,
  annualReportDocx,
  annualReportHtml,
  attachment,
  channelLabel,
  COMPLIANCE_CSV_HEADER,
  complianceCsvRows,
  csvDocument,
  reportTitle,
} from '../reports/index.js';
import { inScope, refuseOutside, reportVillage, withinScope } from '../domain/villageScope.js';
import { mayRead } from '../domain/notices.js';
import type { NoticeService } from '../services/notices.js';
import type { ReportService } from '../services/reports.js';
import type { IntegrityCheck } from '../services/ledger.js';
import { currentUser, parse, send, userScope } from './respond.js';
import type { Gate, Handlers } from './routes.js';

const R = REPORT_ROUTES;

function sendCsv(res: Response, filename: string, header: readonly string[], rows: readonly (readonly unknown[])[]): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', attachment(filename));
  res.send(csvDocument(header, rows));
}

const rawPhoto = express.raw({ type: [...PHOTO_TYPES], limit: PHOTO_MAX_BYTES });

/** Refuses an export while the report breaks a rule, naming every failing cell. */
function refuseInvalid(res: Response, report: AnnualReport): boolean {
  if (report.invalid.length === 0) return false;
  send(
    res,
    fail(
      'conflict',
      `the report fails validation; fix ${report.invalid.map((p) => p.cell).join(', ')} before exporting (报告未通过校验：${report.invalid[0]?.message ?? ''})`,
      Object.fromEntries(report.invalid.map((p) => [p.cell, p.message])),
    ),
  );
  return true;
}

/**
 * While the ledger's own check has found a break, reports computed from it are
 * held back: they would state figures the county cannot trust. Every GET under
 * `/reports/` is held.
 */
export function heldWhileBroken(integrity: Pick<IntegrityCheck, 'status'>): Gate {
  return (def) =>
    def.method !== 'get' || !def.path.startsWith('/reports/')
      ? null
      : (_req, res, next) => {
          const status = integrity.status();
          if (status.status !== 'broken') return next();
          send(
            res,
            fail(
              'unavailable',
              `公开账本校验发现断裂（${status.broken.file} 第 ${status.broken.line} 行），在工作人员处理之前不出具报表。the ledger is broken at ${status.broken.file} line ${status.broken.line}: reports are held until staff deal with it (docs/OPERATIONS.md §12)`,
            ),
          );
        };
}

/** The village a report is limited to (domain `reportVillage`), or undefined after answering the refusal. */
function scopedVillage(res: Response, asked: string | undefined): { villageId: string | undefined } | undefined {
  const village = reportVillage(userScope(res), asked);
  if (village.ok) return village;
  send(res, village);
  return undefined;
}

export function reportHandlers(deps: { reports: ReportService; notices: Pick<NoticeService, 'get'> }): Handlers<typeof REPORT_ROUTES> {
  const { reports } = deps;
  /**
   * The timeliness rows the user may read (domain `mayRead`): a town-wide notice counts for their village, but
   * while it is unpublished it is not theirs to see, as on the notice list.
   */
  const timeliness = (res: Response, from: string, to: string, villageId: string | undefined) => {
    const user = currentUser(res);
    return reports.timeliness(from, to, villageId).filter((r) => {
      const notice = deps.notices.get(r.noticeId);
      return notice
        ? mayRead(user, { target: notice.target, published: notice.live !== null || r.approvedOn !== null })
        : userScope(res) === null;
    });
  };
  const annualOf = (req: Request<{ year: string; version: string }>, res: Response) =>
    parse(R.annual.params, { year: req.params.year, version: req.params.version }, res);
  /**
   * The report a read asks for: the town's, or with `?villageId=` one village's figures. A user limited to villages
   * gets their village's figures when they name none (domain `reportVillage`), and is refused another village's.
   */
  const annual = (req: Request<{ year: string; version: string }>, res: Response) => {
    const p = annualOf(req, res);
    const q = p && parse(R.annual.query, req.query, res);
    const v = q && scopedVillage(res, q.villageId);
    if (!p || !v) return undefined;
    const villageId = v.villageId;
    if (villageId !== undefined && !reports.inputs().villages.some((x) => x.id === villageId)) {
      send(
        res,
        fail('invalid_payload', `villageId: 本镇没有村 ${villageId}；the town has no village ${villageId}`, {
          villageId: 'unknown village (未知的村)',
        }),
      );
      return undefined;
    }
    return reports.annual(p.year, p.version, villageId);
  };

  return {
    manual: (req, res) => {
      const q = parse(R.manual.query, req.query, res);
      if (q) send(res, ok(withinScope(userScope(res), reports.manual(q), (m) => m.villageId)));
    },
    recordManual: async (req, res) => {
      const body = parse(R.recordManual.body, req.body, res);
      if (!body) return;
      const refusal = refuseOutside(userScope(res), [body.villageId], 'villageId');
      if (refusal) return send(res, refusal);
      send(res, await reports.recordManual(body, currentUser(res)), 201);
    },
    uploadPhoto: (req, res, next) => {
      rawPhoto(req, res, (error?: unknown) => {
        if ((error as { type?: string } | undefined)?.type === 'entity.too.large') {
          return send(res, fail('payload_too_large', 'photo: larger than 5 MB (照片不能超过 5 MB)', { photo: 'larger than 5 MB' }));
        }
        if (error) return next(error);
        if (!Buffer.isBuffer(req.body)) {
          return send(
            res,
            fail('invalid_payload', `photo: send the image itself as ${PHOTO_TYPES.join(', ')}`, { photo: 'not an image upload' }),
          );
        }
        reports.savePhoto(req.body, req.headers['content-type'], currentUser(res)).then((ack) => send(res, ack, 201), next);
      });
    },
    photo: async (req, res) => {
      const sha = req.params.sha256;
      // A photo on entries of other villages only is not the limited user's (a fresh upload, on none, is).
      const scope = userScope(res);
      const on = reports.manual({}).filter((m) => m.photo?.sha256 === sha);
      const theirs = on.length === 0 || on.some((m) => inScope(scope, m.villageId));
      const photo = theirs && /^[0-9a-f]{64}$/.test(sha) ? await reports.photo(sha) : null;
      if (!photo) return send(res, fail('not_found', `no photo ${sha}`));
      res.setHeader('Content-Type', photo.type);
      res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
      res.sendFile(photo.file);
    },

    stats: (req, res) => {
      const q = parse(R.stats.query, req.query, res);
      const v = q && scopedVillage(res, q.villageId);
      if (q && v) send(res, ok(reports.stats(q.from, q.to, v.villageId)));
    },
    statsCsv: (req, res) => {
      const q = parse(R.stats.query, req.query, res);
      const v = q && scopedVillage(res, q.villageId);
      if (!q || !v) return;
      const s = reports.stats(q.from, q.to, v.villageId);
      const rows = [
        ['合计', 'total', '全部', s.total],
        ...s.byChannel.map((r) => ['渠道', r.key, channelLabel(r.key), r.count]),
        ...s.byCategory.map((r) => ['类别', r.key, r.label, r.count]),
        ...s.byKeyArea.map((r) => ['重点领域', r.key, r.label, r.count]),
        ...s.byVillage.map((r) => ['村', r.key, r.label, r.count]),
        ...s.byMonth.map((r) => ['月份', r.key, r.label, r.count]),
        ['审核', 'reviewed', '审核次数', s.reviewed],
        ['审核', 'rejected', '退回次数', s.rejected],
        ['审核', 'corrected', '更正次数', s.corrected],
        ['审核', 'withdrawn', '撤回次数', s.withdrawn],
      ];
      sendCsv(res, `主动公开统计_${q.from}_${q.to}.csv`, ['分组', '代码', '名称', '条数'], rows);
    },
    timeliness: (req, res) => {
      const q = parse(R.stats.query, req.query, res);
      const v = q && scopedVillage(res, q.villageId);
      if (q && v) send(res, ok(timeliness(res, q.from, q.to, v.villageId)));
    },
    timelinessCsv: (req, res) => {
      const q = parse(R.stats.query, req.query, res);
      const v = q && scopedVillage(res, q.villageId);
      if (!q || !v) return;
      const rows = timeliness(res, q.from, q.to, v.villageId).flatMap((r) =>
        (r.devices.length > 0 ? r.devices : [null]).map((d) => [
          r.noticeId,
          r.title,
          r.formedOn,
          r.deadline,
          r.approvedOn,
          r.workingDaysToApproval,
          r.late ? '是' : '否',
          d?.deviceId ?? '',
          d?.firstShownOn ?? '',
          d?.workingDays ?? '',
          d ? (d.late ? '是' : '否') : '',
        ]),
      );
      sendCsv(
        res,
        `公开时效_${q.from}_${q.to}.csv`,
        [
          '公告编号',
          '标题',
          '形成日期',
          '公开期限',
          '签发日期',
          '至签发工作日',
          '签发超期',
          '设备',
          '首次展示',
          '至展示工作日',
          '展示超期',
        ],
        rows,
      );
    },
    checks: async (req, res) => {
      const q = parse(R.checks.query, req.query, res);
      if (!q) return;
      const c = await reports.checks(q.period, q.key);
      send(res, ok({ ...c, rows: withinScope(userScope(res), c.rows, (r) => r.villageId) }));
    },
    checksCsv: async (req, res) => {
      const q = parse(R.checks.query, req.query, res);
      if (!q) return;
      const checks = await reports.checks(q.period, q.key);
      const c = { ...checks, rows: withinScope(userScope(res), checks.rows, (r) => r.villageId) };
      sendCsv(
        res,
        `${{ month: '月检查', quarter: '季通报', year: '年考核' }[q.period]}_${q.key}.csv`,
        ['村', '发布公告', '其他渠道', '超期', '展示次数', '展示小时', '互动次数', '评价数', '平均满意度', '设备数'],
        c.rows.map((r) => [
          r.village,
          r.published,
          r.manual,
          r.late,
          r.showings,
          r.hoursShown,
          r.interactions,
          r.ratings,
          r.averageRating,
          r.devices,
        ]),
      );
    },
    compliance: (req, res) => {
      const q = parse(R.compliance.query, req.query, res);
      const v = q && scopedVillage(res, q.villageId);
      if (q && v) send(res, ok(reports.compliance(q.from, q.to, v.villageId)));
    },
    complianceCsv: (req, res) => {
      const q = parse(R.compliance.query, req.query, res);
      const v = q && scopedVillage(res, q.villageId);
      if (!q || !v) return;
      const report = reports.compliance(q.from, q.to, v.villageId);
      sendCsv(res, `公示期合规_${q.from}_${q.to}.csv`, COMPLIANCE_CSV_HEADER, complianceCsvRows(report));
    },
    satisfaction: async (req, res) => {
      const q = parse(R.stats.query, req.query, res);
      const v = q && scopedVillage(res, q.villageId);
      if (q && v) send(res, ok(await reports.satisfaction(q.from, q.to, v.villageId)));
    },
    satisfactionCsv: async (req, res) => {
      const q = parse(R.stats.query, req.query, res);
      const v = q && scopedVillage(res, q.villageId);
      if (!q || !v) return;
      const s = await reports.satisfaction(q.from, q.to, v.villageId);
      const rows = [
        ...s.byNotice.map((r) => ['公告', r.key, r.label, ...r.counts, r.total, r.average, '']),
        ...s.byVillage.map((r) => ['村', r.key, r.label, ...r.counts, r.total, r.average, '']),
        ...s.comments.map((c) => ['留言', c.noticeId, c.title, '', '', '', '', '', c.rating, '', c.comment]),
      ];
      sendCsv(
        res,
        `满意度_${q.from}_${q.to}.csv`,
        ['分组', '代码', '名称', '非常不满意', '不满意', '一般', '满意', '非常满意', '合计/评分', '平均分', '留言'],
        rows,
      );
    },

    // A user limited to villages reads their villages' rows of the registers (not the town-wide ones).
    applications: (_req, res) => {
      send(res, ok(withinScope(userScope(res), reports.applications(), (a) => a.villageId)));
    },
    createApplication: async (req, res) => {
      const body = parse(R.createApplication.body, req.body, res);
      if (body) send(res, await reports.saveApplication(null, body, currentUser(res)), 201);
    },
    updateApplication: async (req, res) => {
      const body = parse(R.createApplication.body, req.body, res);
      if (body) send(res, await reports.saveApplication(req.params.id, body, currentUser(res)));
    },
    cases: (_req, res) => {
      send(res, ok(withinScope(userScope(res), reports.cases(), (c) => c.villageId)));
    },
    createCase: async (req, res) => {
      const body = parse(R.createCase.body, req.body, res);
      if (body) send(res, await reports.saveCase(null, body, currentUser(res)), 201);
    },
    updateCase: async (req, res) => {
      const body = parse(R.createCase.body, req.body, res);
      if (body) send(res, await reports.saveCase(req.params.id, body, currentUser(res)));
    },

    annual: (req, res) => {
      const report = annual(req, res);
      if (report) send(res, ok(report));
    },
    // Staff save the town's report (reviewers and admins are town-wide); a village's figures hold nothing to save.
    saveAnnual: async (req, res) => {
      const p = annualOf(req, res);
      const body = p && parse(R.saveAnnual.body, req.body, res);
      if (!p || !body) return;
      const manual = new Set(
        reports.annual(p.year, p.version).t2.flatMap((t) => t.rows.flatMap((r) => r.cells.filter((c) => c.manual).map((c) => c.id))),
      );
      const unknown = Object.keys(body.cells).filter((id) => !manual.has(id));
      if (unknown.length > 0) {
        return send(
          res,
          fail(
            'invalid_payload',
            `cells: ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not entered by staff in the ${p.version} format`,
            Object.fromEntries(unknown.map((id) => [`cells.${id}`, 'not a cell staff enter in this format'])),
          ),
        );
      }
      send(res, ok(await reports.saveAnnual(p.year, p.version, body, currentUser(res))));
    },
    annualDocx: async (req, res) => {
      const report = annual(req, res);
      if (!report || refuseInvalid(res, report)) return;
      res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      res.setHeader('Content-Disposition', attachment(`${reportTitle(report)}.docx`));
      res.send(await annualReportDocx(report));
    },
    annualCss: (_req, res) => {
      res.setHeader('Cache-Control', 'private, max-age=3600');
      res.type('text/css; charset=utf-8').send(ANNUAL_CSS);
    },
    annualHtml: (req, res) => {
      const report = annual(req, res);
      if (!report || refuseInvalid(res, report)) return;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.send(annualReportHtml(report));
    },
  };
}
