import { type Ack, type AnnualReport, type CheckpointExport, type ComplianceReport, type TimelinessRow, fail } from '@protocol';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportsApi, Verification } from '../../admin/lib/reportsApi';
import { ChannelsPage } from '../../admin/pages/channels/ChannelsPage';
import { LedgerPage } from '../../admin/pages/ledger/LedgerPage';
import { AnnualView } from '../../admin/pages/reports/AnnualView';
import { ReportsPage } from '../../admin/pages/reports/ReportsPage';
import { ADMIN, fakeApi, pageProps } from './fakes';

afterEach(cleanup);

const CHECKPOINT: CheckpointExport = {
  format: 'gongshi-ledger-checkpoint/1',
  town: '彪角镇',
  seq: 42,
  headHash: 'a'.repeat(64),
  at: Date.UTC(2026, 2, 2, 2),
  howToVerify: 'npm run ledger:verify',
};

/** A ReportsApi whose calls answer `overrides`, and refuse anything else. */
function fakeReports(overrides: Partial<ReportsApi>, calls: string[] = []): ReportsApi {
  const refuse = (name: string) => () => (calls.push(name), Promise.resolve(fail('internal', `${name} not in this test`)));
  const base: Record<string, unknown> = {};
  for (const name of ['checkpoint', 'verify', 'manual', 'recordManual', 'uploadPhoto', 'annual', 'saveAnnual']) base[name] = refuse(name);
  return {
    ...(base as unknown as ReportsApi),
    links: {
      csv: () => '/csv',
      checksCsv: () => '/checks.csv',
      annualDocx: () => '/docx',
      annualHtml: () => '/html',
      ledgerExport: (format, filter) => `/api/ledger/export?format=${format}&type=${filter.type ?? ''}`,
      photo: (sha) => `/photo/${sha}`,
    },
    ...overrides,
  };
}

const ok = <T,>(data: T): Promise<Ack<T>> => Promise.resolve({ ok: true, data });

describe('LedgerPage', () => {
  it('shows the checkpoint and verifies against an earlier one, or names the field that is wrong', async () => {
    const asked: unknown[] = [];
    const reports = fakeReports({
      checkpoint: () => ok(CHECKPOINT),
      verify: (against) => {
        asked.push(against);
        if (against && !/^[0-9a-f]{64}$/.test(against.headHash))
          return Promise.resolve(
            fail('invalid_payload', 'headHash: must be a SHA-256 hex digest', { headHash: 'must be a SHA-256 hex digest' }),
          );
        return ok<Verification>({ ok: true, records: 42, checkpoint: { seq: 42, headHash: 'a'.repeat(64), at: 0 } });
      },
    });
    render(<LedgerPage reports={reports} />);
    expect(await screen.findByText('a'.repeat(64))).toBeTruthy();
    expect(screen.getByTestId('checkpoint-seq').textContent).toBe('42');

    fireEvent.click(screen.getByRole('button', { name: '开始校验' }));
    expect(await screen.findByText('账本完整：共 42 条记录，当前检查点序号 42。')).toBeTruthy();
    expect(asked[0]).toBeUndefined();

    fireEvent.input(screen.getByLabelText('检查点序号（可不填）'), { target: { value: '7' } });
    fireEvent.input(screen.getByLabelText('检查点哈希（可不填）'), { target: { value: 'xyz' } });
    fireEvent.click(screen.getByRole('button', { name: '开始校验' }));
    await waitFor(() => expect(screen.getByLabelText('检查点哈希（可不填）').getAttribute('aria-invalid')).toBe('true'));
    expect(asked[1]).toEqual({ seq: 7, headHash: 'xyz' });
    expect(screen.getByText('must be a SHA-256 hex digest')).toBeTruthy();
    expect(screen.getByRole('link', { name: '导出 CSV' }).getAttribute('href')).toContain('format=csv');
  });
});

describe('ChannelsPage', () => {
  it('shows the controller’s refusal next to the field', async () => {
    const reports = fakeReports({
      manual: () => ok([]),
      recordManual: () => Promise.resolve(fail('invalid_payload', 'title: enter a title', { title: 'enter a title' })),
    });
    render(<ChannelsPage data={pageProps(fakeApi().api).props.data} user={ADMIN} reports={reports} />);
    fireEvent.click(screen.getByRole('button', { name: '登记' }));
    const title = screen.getByLabelText('信息标题');
    await waitFor(() => expect(title.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('mc-title-error')?.textContent).toBe('请输入标题');
  });
});

describe('AnnualView', () => {
  it('marks the failing cell and offers no export while the report is invalid', async () => {
    const report: AnnualReport = {
      year: 2025,
      version: 'V2021',
      town: '彪角镇',
      issuer: '彪角镇人民政府',
      village: null,
      overview: ['2025年，彪角镇全年共主动公开各类政府信息3条。'],
      staffOverview: '',
      t2: [
        {
          caption: '第二十条第（五）项',
          cols: ['信息内容', '本年处理决定数量'],
          rows: [{ id: 't2.1.0', label: '行政许可', indent: 0, cells: [{ id: 't2.1.0.0', value: -2, manual: true }] }],
        },
      ],
      t3: { caption: 'T3', cols: ['申请人情况'], rows: [] },
      t4: { caption: 'T4', cols: [], rows: [] },
      problems: '',
      other: '',
      invalid: [{ cell: 't2.1.0.0', message: '第二十条第（五）项 行政许可·本年处理决定数量: 不能为负数' }],
      figures: { total: 3, byChannel: [], reviewed: 0, rejected: 0, corrected: 0, applications: 0, cases: 0 },
      prefilledFromYear: null,
    };
    render(<AnnualView api={fakeReports({ annual: () => ok(report) })} user={ADMIN} />);
    const input = await screen.findByLabelText(/行政许可/);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent).toContain('不能为负数');
    expect(screen.getByRole('alert').textContent).toContain('t2.1.0.0');
    expect(screen.queryByRole('link', { name: '导出 Word（DOCX）' })).toBeNull();
  });

  it("puts what section 五 still needs under its box, in the reader's language", async () => {
    const report: AnnualReport = {
      year: 2025,
      version: 'V2021',
      town: '彪角镇',
      issuer: '彪角镇人民政府',
      village: null,
      overview: [],
      staffOverview: '',
      t2: [],
      t3: { caption: 'T3', cols: [], rows: [] },
      t4: { caption: 'T4', cols: [], rows: [] },
      problems: '',
      other: '已按要求公开。',
      invalid: [
        {
          cell: 'problems',
          message: "五、存在的主要问题及改进情况：尚未填写本年度的内容 (section 五 needs this year's text before export)",
        },
      ],
      figures: { total: 0, byChannel: [], reviewed: 0, rejected: 0, corrected: 0, applications: 0, cases: 0 },
      prefilledFromYear: null,
    };
    render(<AnnualView api={fakeReports({ annual: () => ok(report) })} user={ADMIN} />);
    const problems = await screen.findByLabelText(/存在的主要问题/);
    expect(problems.tagName).toBe('TEXTAREA');
    expect(problems.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(problems.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      '五、存在的主要问题及改进情况：尚未填写本年度的内容',
    );
    const other = screen.getByLabelText(/其他需要报告的事项/);
    expect(other.getAttribute('aria-invalid')).toBe('false');
    expect((other as HTMLTextAreaElement).value).toBe('已按要求公开。');
  });

  it('opens on the year under way, and names sections 三 and 四 once, by their headings', async () => {
    const asked: number[] = [];
    const year = new Date().getFullYear();
    const report = {
      year,
      version: 'V2021',
      town: '彪角镇',
      issuer: '彪角镇人民政府',
      village: null,
      overview: [],
      staffOverview: '',
      t2: [],
      t3: { caption: '三、收到和处理政府信息公开申请情况', cols: ['申请人情况'], rows: [] },
      t4: { caption: '四、政府信息公开行政复议、行政诉讼情况', cols: [], rows: [] },
      problems: '',
      other: '',
      invalid: [],
      figures: { total: 0, byChannel: [], reviewed: 0, rejected: 0, corrected: 0, applications: 0, cases: 0 },
      prefilledFromYear: null,
    } satisfies AnnualReport;
    render(<AnnualView api={fakeReports({ annual: (y) => (asked.push(y), ok(report)) })} user={ADMIN} />);
    expect(screen.getByLabelText<HTMLInputElement>('年度').value).toBe(String(year));
    fireEvent.click(screen.getByRole('button', { name: '生成' }));
    await screen.findByRole('heading', { name: report.t3.caption });
    expect(asked.at(-1)).toBe(year);
    for (const caption of [report.t3.caption, report.t4.caption]) {
      expect(screen.getAllByText(caption)).toHaveLength(1);
      expect(screen.getByRole('table', { name: caption })).toBeTruthy();
    }
  });

  it("asks for the year's own format: 〔2019〕60号 for 2019 and 2020, 〔2021〕30号 from 2021 on", async () => {
    const asked: string[] = [];
    const api = fakeReports({ annual: (year, version) => (asked.push(`${year}:${version}`), Promise.resolve(fail('internal', 'x'))) });
    render(<AnnualView api={api} user={ADMIN} />);
    const year = screen.getByLabelText<HTMLInputElement>('年度');
    const format = screen.getByLabelText<HTMLSelectElement>('格式版本');
    for (const [y, v] of [
      ['2020', 'V2019'],
      ['2019', 'V2019'],
      ['2021', 'V2021'],
    ] as const) {
      fireEvent.input(year, { target: { value: y } });
      expect(format.value).toBe(v);
      fireEvent.click(screen.getByRole('button', { name: '生成' }));
      await waitFor(() => expect(asked.at(-1)).toBe(`${y}:${v}`));
    }
  });
});

describe('ComplianceView', () => {
  const H = 3_600_000;
  const T0 = Date.UTC(2026, 10, 2, 2);
  const REPORT: ComplianceReport = {
    from: '2026-11-01',
    to: '2026-11-30',
    villageId: null,
    generatedAt: T0 + 6 * H,
    continuityMs: 30 * 60_000,
    rows: [
      {
        noticeId: 'n1',
        title: '张堂村低保初审名单公示',
        rule: { kind: 'calendar_days', days: 3 },
        plannedFrom: T0 - 10 * H,
        plannedTo: T0 + 62 * H,
        from: T0,
        to: T0 + 5 * H,
        running: false,
        segments: [{ versionId: 'v1', number: 1, contentHash: 'c'.repeat(64), from: T0, to: T0 + 5 * H, end: 'withdrawn' }],
        cuts: [{ from: T0 + 5 * H, to: T0 + 62 * H, ms: 57 * H, cause: 'withdrawn' }],
        devices: [
          {
            deviceId: 'k2',
            name: '张堂村触摸屏',
            kind: 'kiosk',
            villageId: 'v1',
            village: '张堂村',
            requiredMs: 5 * H,
            shownMs: 3 * H,
            offHoursMs: 0,
            firstShownAt: T0,
            lastShownAt: T0 + 5 * H,
            gaps: [
              { from: T0 + H, to: T0 + 3 * H, ms: 2 * H, cause: 'offline', versionNumber: 1 },
              { from: T0 + 4 * H, to: T0 + 4.75 * H, ms: 0.75 * H, cause: 'controller_down', versionNumber: 1 },
            ],
            untrusted: [{ reason: 'starts_before_approval', receipts: 24, claimedMs: 12 * 60_000 }],
            node: null,
          },
        ],
        compliant: false,
        reasons: [
          { code: 'withdrawn', devices: 0, ms: 57 * H },
          { code: 'controller_down', devices: 1, ms: 0.75 * H },
          { code: 'offline', devices: 1, ms: 2 * H },
        ],
      },
    ],
  };

  it('shows each notice’s verdict, reasons and per-device gaps, and filters by village', async () => {
    const asked: unknown[] = [];
    const reports = fakeReports({
      compliance: (range) => {
        asked.push(range);
        return ok(REPORT);
      },
      links: { ...fakeReports({}).links, csv: (report, range) => `/api/reports/${report}.csv?village=${range.villageId ?? ''}` },
    });
    const { props } = pageProps(fakeApi().api);
    render(<ReportsPage data={props.data} go={props.go} user={props.user} tab="compliance" reports={reports} />);
    expect(await screen.findByRole('heading', { name: '张堂村低保初审名单公示' })).toBeTruthy();
    expect(screen.getByText('不合规')).toBeTruthy();
    expect(screen.getByText('设备离线：1 台设备，120 分钟')).toBeTruthy();
    expect(screen.getByText(/已撤回，公示期未满/, { selector: '.device-day' })).toBeTruthy();
    const row = screen.getByRole('row', { name: /张堂村触摸屏/ });
    expect(row.textContent).toContain('3.0');
    expect(row.textContent).toContain('（120 分钟）：设备离线 · v1');
    // A killed controller's downtime is named as such, not put down to the kiosk.
    expect(screen.getByText('控制器停机（崩溃或重启）：1 台设备，45 分钟')).toBeTruthy();
    expect(row.textContent).toContain('（45 分钟）：控制器停机（崩溃或重启） · v1');
    // Receipts whose times are not believed are shown apart, with the reason, never as shown time.
    expect(row.textContent).toContain('未采信的展示记录 24 条：开始时间早于签发时间');

    const village = props.data.town?.villages[0];
    expect(village).toBeDefined();
    fireEvent.change(screen.getByLabelText('村'), { target: { value: village?.id } });
    fireEvent.click(screen.getByRole('button', { name: '统计' }));
    await waitFor(() => expect(asked.at(-1)).toMatchObject({ villageId: village?.id }));
    expect(screen.getByRole('link', { name: '导出 CSV' }).getAttribute('href')).toBe(`/api/reports/compliance.csv?village=${village?.id}`);
  });
});

describe('公开时效', () => {
  it('names each device by its name, not its id (an unknown one keeps its id)', async () => {
    const row: TimelinessRow = {
      noticeId: 'n1',
      title: '张堂村道路维修公示',
      formedOn: '2026-03-02',
      deadline: '2026-03-30',
      approvedOn: '2026-03-03',
      workingDaysToApproval: 1,
      firstShownOn: '2026-03-03',
      workingDaysToFirstDisplay: 1,
      devices: [
        { deviceId: 'k2', villageId: 'v2', firstShownOn: '2026-03-03', workingDays: 1, late: false, untrusted: [] },
        { deviceId: 'gone-9', villageId: 'v2', firstShownOn: null, workingDays: null, late: true, untrusted: [] },
      ],
      late: false,
    };
    const reports = fakeReports({ timeliness: () => ok([row]) });
    const { props } = pageProps(fakeApi().api);
    render(<ReportsPage data={props.data} go={props.go} user={props.user} tab="timeliness" reports={reports} />);
    expect(await screen.findByText('张堂村村委会触摸屏: 2026-03-03')).toBeTruthy();
    expect(screen.getByText(/^gone-9: /)).toBeTruthy();
    expect(screen.queryByText(/^k2: /)).toBeNull();
  });
});
