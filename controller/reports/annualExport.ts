/**
 * The annual report as printable HTML and as DOCX, laid out like an official
 * document (GB/T 9704): title in 小标宋 二号, body in 仿宋 三号 with a two-character
 * first-line indent and fixed 28 pt lines, first-level headings in 黑体, tables
 * in 宋体 with every cell ruled. Text keeps full-width Chinese punctuation.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  LineRuleType,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  convertMillimetersToTwip,
} from 'docx';
import type { AnnualReport, ReportTable } from '../protocol/index.js';

export const SECTION_TITLES = [
  '一、总体情况',
  '二、主动公开政府信息情况',
  '三、收到和处理政府信息公开申请情况',
  '四、政府信息公开行政复议、行政诉讼情况',
  '五、存在的主要问题及改进情况',
  '六、其他需要报告的事项',
] as const;

export function reportTitle(report: Pick<AnnualReport, 'town' | 'year'>): string {
  return `${report.town}${report.year}年政府信息公开工作年度报告`;
}

export function preamble(report: Pick<AnnualReport, 'issuer' | 'town' | 'year'>): string {
  return `本报告依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求编制，由${report.issuer || report.town}负责。本报告中所列数据的统计期限为${report.year}年1月1日至${report.year}年12月31日。`;
}

const paragraphs = (text: string): string[] =>
  text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean);

const formatValue = (value: number | null): string => (value === null ? '' : String(value));

// ── HTML ────────────────────────────────────────────────────────────────────

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const STYLE = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: "FangSong_GB2312", "FangSong", "STFangsong", "仿宋", serif; font-size: 16pt; line-height: 28pt; color: #000;
  max-width: 156mm; margin: 0 auto; text-align: justify; line-break: strict; word-break: normal; }
h1 { font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", "SimSun", serif; font-size: 22pt; line-height: 1.5;
  font-weight: normal; text-align: center; margin: 0 0 28pt; }
h2 { font-family: "SimHei", "黑体", "STHeiti", sans-serif; font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em; }
p { margin: 0; text-indent: 2em; }
table { border-collapse: collapse; width: 100%; margin: 8pt 0 14pt; font-family: "SimSun", "宋体", "STSong", serif;
  font-size: 10.5pt; line-height: 1.4; page-break-inside: auto; }
caption { font-family: "SimHei", "黑体", sans-serif; font-size: 12pt; padding-bottom: 4pt; }
th, td { border: 1px solid #000; padding: 3pt 4pt; text-align: center; vertical-align: middle; }
td.label { text-align: left; }
td.indent-1 { padding-left: 1.5em; }
td.indent-2 { padding-left: 3em; }
tr { page-break-inside: avoid; }
.note { text-indent: 0; font-size: 10.5pt; line-height: 1.4; font-family: "SimSun", "宋体", serif; }
@media print { .no-print { display: none; } }
`;

function tableHtml(table: ReportTable): string {
  const head = `<tr>${table.cols.map((c) => `<th scope="col">${escape(c)}</th>`).join('')}</tr>`;
  const width = table.cols.length;
  const body = table.rows
    .map((row) =>
      row.heading
        ? `<tr><td class="label indent-${row.indent}" colspan="${width}">${escape(row.label)}</td></tr>`
        : `<tr><td class="label indent-${row.indent}">${escape(row.label)}</td>${row.cells
            .map((c) => `<td data-cell="${escape(c.id)}">${escape(formatValue(c.value))}</td>`)
            .join('')}</tr>`,
    )
    .join('');
  return `<table><caption>${escape(table.caption)}</caption><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

/** T4 printed as the official one-row table: the three groups side by side. */
function t4Html(table: ReportTable): string {
  const groups = [...new Set(table.cols.map((c) => c.split('·').slice(0, -1).join('·')))];
  const results = [...new Set(table.cols.map((c) => c.split('·').at(-1) ?? ''))];
  const top = `<tr>${groups.map((g) => `<th scope="colgroup" colspan="${results.length}">${escape(g)}</th>`).join('')}</tr>`;
  const second = `<tr>${groups.map(() => results.map((r) => `<th scope="col">${escape(r)}</th>`).join('')).join('')}</tr>`;
  const values = table.rows[0]?.cells.map((c) => `<td data-cell="${escape(c.id)}">${escape(formatValue(c.value))}</td>`).join('') ?? '';
  return `<table><thead>${top}${second}</thead><tbody><tr>${values}</tr></tbody></table>`;
}

export function annualReportHtml(report: AnnualReport): string {
  const p = (text: string): string => `<p>${escape(text)}</p>`;
  const sections = [
    `<h2>${SECTION_TITLES[0]}</h2>${report.overview.map(p).join('')}`,
    `<h2>${SECTION_TITLES[1]}</h2>${report.t2.map(tableHtml).join('')}`,
    `<h2>${SECTION_TITLES[2]}</h2><p class="note">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</p>${tableHtml(report.t3)}`,
    `<h2>${SECTION_TITLES[3]}</h2>${t4Html(report.t4)}`,
    `<h2>${SECTION_TITLES[4]}</h2>${paragraphs(report.problems).map(p).join('') || p('无。')}`,
    `<h2>${SECTION_TITLES[5]}</h2>${paragraphs(report.other).map(p).join('') || p('无。')}`,
  ];
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${escape(reportTitle(report))}</title><style>${STYLE}</style></head>
<body>
<h1>${escape(reportTitle(report))}</h1>
${p(preamble(report))}
${sections.join('\n')}
</body>
</html>
`;
}

// ── DOCX ────────────────────────────────────────────────────────────────────

const FANGSONG = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312' };
const HEITI = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };
const XIAOBIAOSONG = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体' };
const SONGTI = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
/** 28 pt exactly, in twentieths of a point. */
const LINE = { line: 560, lineRule: LineRuleType.EXACT };
/** Half-points: 三号 = 16 pt, 二号 = 22 pt, 五号 = 10.5 pt. */
const SIZE = { body: 32, title: 44, table: 21 };

const bodyParagraph = (text: string): Paragraph =>
  new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    spacing: LINE,
    indent: { firstLine: 640 },
    children: [new TextRun({ text, font: FANGSONG, size: SIZE.body })],
  });

const heading = (text: string): Paragraph =>
  new Paragraph({ spacing: LINE, indent: { firstLine: 640 }, children: [new TextRun({ text, font: HEITI, size: SIZE.body })] });

const cell = (text: string, options: { left?: boolean; indent?: number; span?: number; bold?: boolean } = {}): TableCell =>
  new TableCell({
    verticalAlign: VerticalAlign.CENTER,
    columnSpan: options.span ?? 1,
    children: [
      new Paragraph({
        alignment: options.left ? AlignmentType.LEFT : AlignmentType.CENTER,
        indent: options.indent ? { left: options.indent * 210 } : undefined,
        children: [new TextRun({ text, font: options.bold ? HEITI : SONGTI, size: SIZE.table })],
      }),
    ],
  });

const BORDERS = {
  top: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
  bottom: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
  left: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
  right: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
  insideHorizontal: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
  insideVertical: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
};

function docxTable(table: ReportTable): Table {
  const width = table.cols.length;
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: BORDERS,
    rows: [
      new TableRow({ tableHeader: true, children: table.cols.map((c) => cell(c, { bold: true })) }),
      ...table.rows.map(
        (row) =>
          new TableRow({
            cantSplit: true,
            children: row.heading
              ? [cell(row.label, { left: true, indent: row.indent, span: width })]
              : [cell(row.label, { left: true, indent: row.indent }), ...row.cells.map((c) => cell(formatValue(c.value)))],
          }),
      ),
    ],
  });
}

function docxT4(table: ReportTable): Table {
  const groups = [...new Set(table.cols.map((c) => c.split('·').slice(0, -1).join('·')))];
  const results = [...new Set(table.cols.map((c) => c.split('·').at(-1) ?? ''))];
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: BORDERS,
    rows: [
      new TableRow({ tableHeader: true, children: groups.map((g) => cell(g, { bold: true, span: results.length })) }),
      new TableRow({ tableHeader: true, children: groups.flatMap(() => results.map((r) => cell(r, { bold: true }))) }),
      new TableRow({ children: table.rows[0]?.cells.map((c) => cell(formatValue(c.value))) ?? [] }),
    ],
  });
}

const caption = (text: string): Paragraph =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 120, after: 60 },
    children: [new TextRun({ text, font: HEITI, size: 24 })],
  });

export async function annualReportDocx(report: AnnualReport): Promise<Buffer> {
  const texts = (text: string): Paragraph[] => {
    const list = paragraphs(text);
    return (list.length > 0 ? list : ['无。']).map(bodyParagraph);
  };
  const children = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 560 },
      children: [new TextRun({ text: reportTitle(report), font: XIAOBIAOSONG, size: SIZE.title })],
    }),
    bodyParagraph(preamble(report)),
    heading(SECTION_TITLES[0]),
    ...report.overview.map(bodyParagraph),
    heading(SECTION_TITLES[1]),
    ...report.t2.flatMap((t) => [caption(t.caption), docxTable(t)]),
    heading(SECTION_TITLES[2]),
    new Paragraph({
      children: [
        new TextRun({ text: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', font: SONGTI, size: SIZE.table }),
      ],
    }),
    docxTable(report.t3),
    heading(SECTION_TITLES[3]),
    docxT4(report.t4),
    heading(SECTION_TITLES[4]),
    ...texts(report.problems),
    heading(SECTION_TITLES[5]),
    ...texts(report.other),
  ];
  const doc = new Document({
    creator: report.issuer || report.town,
    title: reportTitle(report),
    styles: { default: { document: { run: { font: FANGSONG, size: SIZE.body } } } },
    sections: [
      {
        properties: {
          page: {
            margin: {
              top: convertMillimetersToTwip(37),
              bottom: convertMillimetersToTwip(35),
              left: convertMillimetersToTwip(28),
              right: convertMillimetersToTwip(26),
            },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
