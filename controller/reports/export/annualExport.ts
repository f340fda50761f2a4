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
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  convertMillimetersToTwip,
} from 'docx';
import { type AnnualReport, type Grid, type GridCell, REPORT_ROUTES, t2Grid, tableGrid } from '../../protocol/index.js';

export const SECTION_TITLES = [
  '一、总体情况',
  '二、主动公开政府信息情况',
  '三、收到和处理政府信息公开申请情况',
  '四、政府信息公开行政复议、行政诉讼情况',
  '五、存在的主要问题及改进情况',
  '六、其他需要报告的事项',
] as const;

/** The title; a village's figures are titled as that village's extract, never as the town's report. */
export function reportTitle(report: Pick<AnnualReport, 'town' | 'year' | 'village'>): string {
  return report.village
    ? `${report.town}${report.village.name}${report.year}年政府信息公开工作数据（村级摘录）`
    : `${report.town}${report.year}年政府信息公开工作年度报告`;
}

/** Under a village extract's title: what it is and is not, in Chinese and English. */
export function villageNote(village: { name: string }, town: string): { zh: string; en: string } {
  return {
    zh: `本文件只含${village.name}的数据（本村的公告、其他渠道公开和登记事项），不是${town}的政府信息公开工作年度报告，不能代替年度报告报送。`,
    en: `This document holds the figures of ${village.name} only; it is not ${town}'s annual report and does not replace it.`,
  };
}

export function preamble(report: Pick<AnnualReport, 'issuer' | 'town' | 'year' | 'village'>): string {
  if (report.village)
    return `本摘录的数据取自${report.town}政府信息公开台账中${report.village.name}的部分，统计期限为${report.year}年1月1日至${report.year}年12月31日。第二部分中由工作人员填报的全镇数据不分村统计，留空。`;
  return `本报告依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求编制，由${report.issuer || report.town}负责。本报告中所列数据的统计期限为${report.year}年1月1日至${report.year}年12月31日。`;
}

/** What an empty 五 or 六 says: 无。 in the town's report; in a village's extract, where the town's text is. */
const emptySection = (report: Pick<AnnualReport, 'village'>): string => (report.village ? '见全镇年度报告。' : '无。');

const paragraphs = (text: string): string[] =>
  text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean);

// ── HTML ────────────────────────────────────────────────────────────────────

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Where the printable report's stylesheet is served: a file, since the controller's CSP allows no inline style. */
export const ANNUAL_CSS_PATH = `/api${REPORT_ROUTES.annualCss.path}`;

export const ANNUAL_CSS = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: "FangSong_GB2312", "FangSong", "STFangsong", "仿宋", serif; font-size: 16pt; line-height: 28pt; color: #000;
  max-width: 156mm; margin: 0 auto; text-align: justify; line-break: strict; word-break: normal; }
h1 { font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", "SimSun", serif; font-size: 22pt; line-height: 1.5;
  font-weight: normal; text-align: center; margin: 0 0 28pt; }
h2 { font-family: "SimHei", "黑体", "STHeiti", sans-serif; font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em; }
p { margin: 0; text-indent: 2em; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 8pt 0 14pt; font-family: "SimSun", "宋体", "STSong", serif;
  font-size: 10.5pt; line-height: 1.4; page-break-inside: auto; }
caption { font-family: "SimHei", "黑体", sans-serif; font-size: 12pt; padding-bottom: 4pt; }
th, td { border: 1px solid #000; padding: 2pt 2pt; text-align: center; vertical-align: middle; }
td.label { text-align: left; }
th { font-weight: normal; }
th.caption { font-family: "SimHei", "黑体", sans-serif; }
tr { page-break-inside: avoid; }
.note { text-indent: 0; font-size: 10.5pt; line-height: 1.4; font-family: "SimSun", "宋体", serif; }
@media print { .no-print { display: none; } }
`;

function gridHtml(grid: Grid): string {
  const cellHtml = (c: GridCell): string => {
    const tag = c.kind === 'head' ? 'th' : 'td';
    const span = `${c.colSpan > 1 ? ` colspan="${c.colSpan}"` : ''}${c.rowSpan > 1 ? ` rowspan="${c.rowSpan}"` : ''}`;
    const cls = c.kind === 'label' ? ' class="label"' : c.caption ? ' class="caption"' : '';
    const id = c.cellId ? ` data-cell="${escape(c.cellId)}"` : '';
    return `<${tag}${span}${cls}${id}>${escape(c.text)}</${tag}>`;
  };
  const total = grid.widthsMm.reduce((a, w) => a + w, 0);
  // The width attribute, not a style attribute: the CSP (style-src 'self') refuses inline styles.
  const cols = grid.widthsMm.map((w) => `<col width="${((w / total) * 100).toFixed(2)}%">`).join('');
  const rows = (list: GridCell[][]): string => list.map((r) => `<tr>${r.map(cellHtml).join('')}</tr>`).join('');
  const head = grid.head.length > 0 ? `<thead>${rows(grid.head)}</thead>` : '';
  return `<table><colgroup>${cols}</colgroup>${head}<tbody>${rows(grid.body)}</tbody></table>`;
}

const noteHtml = (note: { zh: string; en: string }): string =>
  `<p class="note">${escape(note.zh)} <span lang="en">${escape(note.en)}</span></p>\n`;

export function annualReportHtml(report: AnnualReport): string {
  const p = (text: string): string => `<p>${escape(text)}</p>`;
  const sections = [
    `<h2>${SECTION_TITLES[0]}</h2>${report.overview.map(p).join('')}`,
    `<h2>${SECTION_TITLES[1]}</h2>${gridHtml(t2Grid(report.t2))}`,
    `<h2>${SECTION_TITLES[2]}</h2>${gridHtml(tableGrid(report.t3))}`,
    `<h2>${SECTION_TITLES[3]}</h2>${gridHtml(tableGrid(report.t4))}`,
    `<h2>${SECTION_TITLES[4]}</h2>${paragraphs(report.problems).map(p).join('') || p(emptySection(report))}`,
    `<h2>${SECTION_TITLES[5]}</h2>${paragraphs(report.other).map(p).join('') || p(emptySection(report))}`,
  ];
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${escape(reportTitle(report))}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="${ANNUAL_CSS_PATH}"></head>
<body>
<h1>${escape(reportTitle(report))}</h1>
${report.village ? noteHtml(villageNote(report.village, report.town)) : ''}${p(preamble(report))}
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

const BORDERS = {
  top: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
  bottom: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
  left: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
  right: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
  insideHorizontal: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
  insideVertical: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
};

/** Cell margins of 0.7 mm left and right: a 10.4 mm column of 四 still holds two characters a line. */
const CELL_MARGINS = { left: 40, right: 40, top: 20, bottom: 20 };

/**
 * A grid as a fixed-layout Word table: the grid columns in twips (so Word and
 * LibreOffice keep the template's widths), each cell as wide as the columns it
 * spans; row spans become vertical merges (docx adds the continuation cells).
 */
function docxGrid(grid: Grid): Table {
  const twips = grid.widthsMm.map((mm) => Math.round(convertMillimetersToTwip(mm)));
  const row = (cells: GridCell[], header: boolean): TableRow => {
    let col = 0;
    return new TableRow({
      tableHeader: header,
      cantSplit: true,
      children: cells.map((c) => {
        const width = twips.slice(col, col + c.colSpan).reduce((a, w) => a + w, 0);
        col += c.colSpan;
        return new TableCell({
          verticalAlign: VerticalAlign.CENTER,
          columnSpan: c.colSpan,
          rowSpan: c.rowSpan,
          width: { size: width, type: WidthType.DXA },
          margins: CELL_MARGINS,
          children: [
            new Paragraph({
              alignment: c.kind === 'label' ? AlignmentType.LEFT : AlignmentType.CENTER,
              children: [new TextRun({ text: c.text, font: c.caption ? HEITI : SONGTI, size: SIZE.table })],
            }),
          ],
        });
      }),
    });
  };
  return new Table({
    width: { size: twips.reduce((a, w) => a + w, 0), type: WidthType.DXA },
    columnWidths: twips,
    layout: TableLayoutType.FIXED,
    borders: BORDERS,
    rows: [...grid.head.map((r) => row(r, true)), ...grid.body.map((r) => row(r, false))],
  });
}

export async function annualReportDocx(report: AnnualReport): Promise<Buffer> {
  const texts = (text: string): Paragraph[] => {
    const list = paragraphs(text);
    return (list.length > 0 ? list : [emptySection(report)]).map(bodyParagraph);
  };
  const children = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 560 },
      children: [new TextRun({ text: reportTitle(report), font: XIAOBIAOSONG, size: SIZE.title })],
    }),
    ...(report.village ? [villageNote(report.village, report.town)].map((n) => bodyParagraph(`${n.zh} ${n.en}`)) : []),
    bodyParagraph(preamble(report)),
    heading(SECTION_TITLES[0]),
    ...report.overview.map(bodyParagraph),
    heading(SECTION_TITLES[1]),
    docxGrid(t2Grid(report.t2)),
    heading(SECTION_TITLES[2]),
    docxGrid(tableGrid(report.t3)),
    heading(SECTION_TITLES[3]),
    docxGrid(tableGrid(report.t4)),
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
