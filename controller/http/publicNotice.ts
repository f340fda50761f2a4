/**
 * `/n/:id`: a notice's public page, opened from the QR code on a kiosk. Server
 * rendered for any phone, no script, text always escaped. Only what was
 * published is shown: the live version (with its 更正 note), an expired one
 * marked as ended, and for a withdrawn notice only its title and the 撤回 mark
 * with date and reason (the withdrawn text is not republished). Anything
 * never published answers the same 404 as an unknown id. While the ledger is
 * broken or a device witnessing it reports a mismatch (issue 14 point 4),
 * every page says so above the notice: the public sees what staff see.
 */
import type { Request } from 'express';
import QRCode from 'qrcode';
import {
  EMERGENCY_LEVEL_WORDS,
  LEDGER_MISMATCH_KINDS,
  type Notice,
  type NoticeVersion,
  PUBLIC_PAGE_ROUTES,
  type Town,
  categoryLabel,
  civilDateOf,
} from '../protocol/index.js';
import type { LedgerIntegrityReport } from '../protocol/index.js';
import type { Handlers } from './routes.js';

export interface PublicNoticeDeps {
  notices: { get(id: string): Notice | undefined };
  villages: { info(): { town: Town } };
  /** A kiosk's address; its origin is the controller's public address, which the QR code points to. */
  kioskUrl: (deviceId: string) => string;
  now: () => number;
  /** The ledger's own check and its witnesses' alarms (services/ledger.ts). */
  ledger: { integrity(): LedgerIntegrityReport };
}

/** What the public is told of the ledger: nothing while it is whole and every witness agrees. */
export function ledgerNotice(report: LedgerIntegrityReport): string {
  // A device that cannot read its own checkpoint is a fault of that device, for staff (the devices page): it does
  // not say the ledger differs from what it saw.
  const mismatches = report.witnessAlarms.filter((a) => LEDGER_MISMATCH_KINDS.includes(a.kind)).length;
  const causes = [
    report.status === 'broken' ? '镇政府服务器的核对发现账本记录链断裂' : '',
    mismatches > 0 ? `${mismatches}台村级设备（触摸屏或村级节点）报告账本与其保存的签名检查点不一致` : '',
  ].filter(Boolean);
  if (causes.length === 0) return '';
  return `<aside class="mark mark-ledger" role="alert"><strong>公开账本核对异常</strong>${causes.join('；')}。本页内容可能与原始公开记录不符，请向镇政务公开办核实。</aside>`;
}

export const PUBLIC_NOTICE_CSS_PATH = PUBLIC_PAGE_ROUTES.publicNoticeCss.path;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content and attribute values: nothing staff typed is ever markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** 2026年11月26日, in China Standard Time whatever the server's zone. */
export function chineseDate(epochMs: number): string {
  const [y, m, d] = civilDateOf(epochMs).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export type PublicView =
  | { kind: 'live'; version: NoticeVersion }
  | { kind: 'expired'; version: NoticeVersion }
  | { kind: 'withdrawn'; version: NoticeVersion; withdrawal: { at: number; reason: string } }
  | { kind: 'not_found' };

const wasPublished = (v: NoticeVersion): boolean => v.review?.decision === 'approved';

/** What the public may see of `notice` at `now`. */
export function publicView(notice: Notice | undefined, now: number): PublicView {
  if (!notice) return { kind: 'not_found' };
  const live = notice.live;
  if (live && (live.startsAt === null || live.startsAt <= now)) return { kind: 'live', version: live };
  const published = notice.versions.filter(wasPublished).sort((a, b) => b.number - a.number);
  const last = published[0];
  if (!last || live) return { kind: 'not_found' };
  if (last.state === 'withdrawn' && last.withdrawal) {
    return { kind: 'withdrawn', version: last, withdrawal: { at: last.withdrawal.at, reason: last.withdrawal.reason } };
  }
  if (last.state === 'expired') return { kind: 'expired', version: last };
  return { kind: 'not_found' };
}

function postingPeriod(v: NoticeVersion): string {
  if (v.endsAt === null) return v.startsAt === null ? '长期' : `${chineseDate(v.startsAt)} 起，长期`;
  const last = chineseDate(v.endsAt - 1);
  return v.startsAt === null ? `至 ${last}` : `${chineseDate(v.startsAt)} 至 ${last}`;
}

function paragraphs(body: string): string {
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

function layout(title: string, town: Town, main: string, alarm: string): string {
  const site = town.name ? `${escapeHtml(town.name)}公示公告` : '公示公告';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} · ${site}</title>
<link rel="stylesheet" href="${PUBLIC_NOTICE_CSS_PATH}">
</head>
<body>
<header class="site"><p>${site}</p></header>
<main>
${alarm}${main}
</main>
<footer class="site-foot"><p>本页由${town.issuer ? escapeHtml(town.issuer) : '镇人民政府'}公示系统生成，内容以发布单位公告为准。</p></footer>
</body>
</html>
`;
}

function meta(v: NoticeVersion): string {
  const rows: [string, string][] = [
    ['发布单位', v.content.issuer],
    ['类别', categoryLabel(v.content.category)],
    ['公示期', postingPeriod(v)],
  ];
  if (v.content.docNumber) rows.splice(1, 0, ['文号', v.content.docNumber]);
  if (v.review) rows.push(['发布日期', chineseDate(v.review.at)]);
  return `<dl class="meta">${rows.map(([k, val]) => `<div><dt>${k}</dt><dd>${escapeHtml(val)}</dd></div>`).join('')}</dl>`;
}

/** The page for `view`, with its HTTP status. */
export function renderPublicNotice(view: PublicView, town: Town, alarm = ''): { status: number; html: string } {
  switch (view.kind) {
    case 'not_found':
      return {
        status: 404,
        html: layout(
          '未找到公告',
          town,
          `<article class="notice missing"><h1>未找到这条公告</h1><p>这条公告不存在，或尚未发布。请核对二维码或网址，或到村委会咨询。</p></article>`,
          alarm,
        ),
      };
    case 'withdrawn': {
      const { version: v, withdrawal } = view;
      return {
        status: 200,
        html: layout(
          `【已撤回】${v.content.title}`,
          town,
          `<article class="notice withdrawn">
<p class="mark mark-withdrawn"><strong>已撤回</strong>本公告已于${chineseDate(withdrawal.at)}撤回，不再有效。</p>
<h1>${escapeHtml(v.content.title)}</h1>
${meta(v)}
<p class="reason"><strong>撤回原因：</strong>${escapeHtml(withdrawal.reason)}</p>
<p class="note">撤回的公告原文不再公开。如有疑问，请联系发布单位。</p>
</article>`,
          alarm,
        ),
      };
    }
    case 'live':
    case 'expired': {
      const v = view.version;
      const emergency = v.content.emergency;
      const words = emergency ? EMERGENCY_LEVEL_WORDS[emergency.level] : null;
      const marks = [
        view.kind === 'expired' ? `<p class="mark mark-ended"><strong>公示期已结束</strong>本公告仅供查阅。</p>` : '',
        emergency && words
          ? `<p class="mark level level-${emergency.level}"><strong>${words.colour}预警（${words.grade}）</strong></p>`
          : '',
        v.correction
          ? `<p class="mark mark-correction"><strong>更正</strong>本公告是对此前发布内容的更正。更正原因：${escapeHtml(v.correction.reason)}</p>`
          : '',
      ].join('');
      return {
        status: 200,
        html: layout(
          v.content.title,
          town,
          `<article class="notice">
${marks}
<h1>${escapeHtml(v.content.title)}</h1>
${meta(v)}
<div class="body">
${paragraphs(v.content.body)}
</div>
</article>`,
          alarm,
        ),
      };
    }
  }
}

/** The controller's public origin, from the kiosk address (which carries the configured public URL). */
function publicBase(deps: PublicNoticeDeps, req: Request): string {
  try {
    return new URL(deps.kioskUrl('qr')).origin;
  } catch {
    return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  }
}

const CSS = `*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f6f1e7;color:#161616;font:18px/1.7 'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC',system-ui,sans-serif}
.site{background:#8f1414;color:#fff;padding:.6rem 1rem;font-weight:700;font-size:1.1rem}
.site p{margin:0;max-width:46rem;margin-inline:auto}
main{padding:1rem}
.notice{max-width:46rem;margin:0 auto;background:#fff;border:1px solid #d9cfbd;border-top:6px solid #8f1414;border-radius:8px;padding:1.2rem 1.1rem 1.6rem}
h1{font-size:1.5rem;line-height:1.45;margin:.2rem 0 .8rem;text-align:center;overflow-wrap:anywhere}
.meta{margin:0 0 1rem;padding:0 0 .8rem;border-bottom:2px solid #d9cfbd;color:#333}
.meta div{display:flex;gap:.2rem}
.meta dt{font-weight:700;color:#8f1414;white-space:nowrap}
.meta dt::after{content:'：'}
.meta dd{margin:0;overflow-wrap:anywhere}
.body p{margin:0 0 .8em;text-indent:2em;overflow-wrap:anywhere}
.mark{margin:0 0 1rem;padding:.6rem .8rem;border-radius:6px;line-height:1.6}
.mark strong{margin-right:.6em}
.mark-withdrawn{background:#8f1414;color:#fff;font-size:1.15rem}
.mark-withdrawn strong{padding:.05em .5em;border:2px solid #fff;border-radius:4px}
.mark-ended{background:#eeeeee;border-left:6px solid #555}
.mark-correction{background:#fff4e0;border-left:6px solid #a15c00}
.mark-correction strong{color:#8f1414}
.mark-ledger{max-width:46rem;margin:0 auto 1rem;background:#fff0f0;border:2px solid #b71c1c;color:#161616}
.mark-ledger strong{color:#b71c1c}
.level{text-align:center;font-size:1.25rem}
.level-red{background:#b71c1c;color:#fff}
.level-orange{background:#ff8c1a;color:#161616}
.level-yellow{background:#ffd60a;color:#161616}
.level-blue{background:#0d47a1;color:#fff}
.reason{font-size:1.1rem}
.note,.missing p{color:#333}
.site-foot{max-width:46rem;margin:0 auto;padding:0 1rem 2rem;color:#444;font-size:.9rem}
@media (min-width:48rem){body{font-size:20px}h1{font-size:1.8rem}}
`;

/** The public notice page, its QR code and its stylesheet. */
export function publicNoticeHandlers(deps: PublicNoticeDeps): Handlers<typeof PUBLIC_PAGE_ROUTES> {
  return {
    publicNoticeCss: (_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.type('text/css; charset=utf-8').send(CSS);
    },
    publicNotice: (req, res) => {
      const view = publicView(deps.notices.get(req.params.id), deps.now());
      const { status, html } = renderPublicNotice(view, deps.villages.info().town, ledgerNotice(deps.ledger.integrity()));
      res.setHeader('Cache-Control', 'no-cache');
      res.status(status).type('text/html; charset=utf-8').send(html);
    },
    publicNoticeQr: async (req, res) => {
      const id = req.params.id;
      if (publicView(deps.notices.get(id), deps.now()).kind === 'not_found') {
        res.status(404).type('text/plain; charset=utf-8').send('未找到这条公告 / no such published notice\n');
        return;
      }
      const svg = await QRCode.toString(`${publicBase(deps, req)}/n/${encodeURIComponent(id)}`, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
      });
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.type('image/svg+xml').send(svg);
    },
  };
}
