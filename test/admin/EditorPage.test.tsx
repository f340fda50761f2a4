import { createHolidayCalendar, idCheckCharacter } from '@protocol';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { EditorPage } from '../../admin/pages/editor/EditorPage';
import { EDITOR, REVIEWER, content, fakeApi, noticeOf, pageProps, version } from './fakes';

afterEach(cleanup);

/** A synthetic ID number with a valid GB 11643 check character (born 1985-06-12 in 内乡县). */
const ID17 = '41000019850612003'; // province-level area code: never issued to a person
const ID = ID17 + idCheckCharacter(ID17);

function openEditor(options: { id?: string | null; correct?: boolean; server?: ReturnType<typeof fakeApi> } = {}) {
  const server = options.server ?? fakeApi({ user: EDITOR });
  const { props, went } = pageProps(server.api, EDITOR);
  render(<EditorPage {...props} id={options.id ?? null} correct={options.correct ?? false} />);
  return { ...server, went };
}

const type = (label: string, value: string): void => {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
};

const privacyPanel = (): HTMLElement => screen.getByRole('region', { name: '个人信息检查' });

describe('notice editor: privacy', () => {
  it('lists each personal number while typing, with its kind, position and masked form', () => {
    openEditor();
    expect(within(privacyPanel()).getByText(/未发现身份证号/)).toBeTruthy();
    type('标题', '低保公示');
    type('正文', `张三，身份证号${ID}，电话13812345678。`);
    const hits = privacyPanel().querySelectorAll('[data-hit-kind]');
    expect([...hits].map((h) => h.getAttribute('data-hit-kind'))).toEqual(['id_card', 'mobile']);
    expect(hits[0]?.textContent).toContain('身份证号');
    expect(hits[0]?.textContent).not.toContain('ID number');
    expect(hits[0]?.textContent).toContain('正文第 8 个字起');
    expect(hits[0]?.textContent).toContain(`${ID.slice(0, 6)}********${ID.slice(-4)}`);
    expect(hits[1]?.textContent).toContain('138****5678');
  });

  it('一键脱敏 saves the draft, has the controller mask it, and shows the masked text', async () => {
    const { calls } = openEditor();
    type('标题', '低保公示');
    type('正文', `身份证号${ID}`);
    fireEvent.click(screen.getByLabelText('张堂村'));
    fireEvent.click(within(privacyPanel()).getByRole('button', { name: '一键脱敏' }));
    await screen.findByText('已脱敏。');
    expect(calls).toEqual(['createNotice', 'maskNotice n-new-1']);
    expect(screen.getByLabelText<HTMLTextAreaElement>('正文').value).toBe(`身份证号${ID.slice(0, 6)}********${ID.slice(-4)}`);
    expect(within(privacyPanel()).getByText(/未发现/)).toBeTruthy();
  });

  it('when submitting is refused for personal data, shows the hits and offers masking or a reason', async () => {
    const { calls, went } = openEditor();
    type('标题', '低保公示');
    type('正文', '联系电话 13812345678');
    fireEvent.click(screen.getByRole('button', { name: '提交审核' }));
    const blocked = await screen.findByRole('region', { name: '不能提交：内容含未脱敏的个人信息' });
    expect(blocked.querySelector('[data-hit-kind="mobile"]')).toBeTruthy();
    expect(calls).toEqual(['createNotice', 'submitNotice n-new-1']);

    fireEvent.click(within(blocked).getByRole('button', { name: '附理由提交审核' }));
    expect(await within(blocked).findByText('请填写保留个人信息的理由')).toBeTruthy();
    fireEvent.input(within(blocked).getByLabelText('保留个人信息的理由'), { target: { value: '村医值班电话，须公开' } });
    fireEvent.click(within(blocked).getByRole('button', { name: '附理由提交审核' }));
    await waitFor(() => expect(went).toEqual([{ page: 'notice', id: 'n-new-1' }]));
    expect(calls.at(-1)).toBe('submitNotice n-new-1 村医值班电话，须公开');
  });
});

describe('notice editor: kiosk preview', () => {
  it('shows the card as the kiosk will while typing: title, issuer, posting period and the text in paragraphs', () => {
    openEditor();
    const preview = (): HTMLElement => screen.getByRole('figure', { name: '触摸屏预览' });
    type('标题', '关于低保资格复核的公示');
    type('正文', '第一段。\n\n  第二段。\n\n');
    expect(preview().querySelector('.kp-title')?.textContent).toBe('关于低保资格复核的公示');
    expect([...preview().querySelectorAll('.kp-body p')].map((p) => p.textContent)).toEqual(['第一段。', '第二段。']);
    // No issuer typed: the town's, as the controller will fill it in.
    expect(within(preview()).getByText('彪角镇人民政府')).toBeTruthy();
    // The default period, 7 calendar days from today: a first and a last day.
    expect(within(preview()).getByText(/^\S+ 至 \S+$/)).toBeTruthy();
    type('标题', '改后的标题');
    expect(preview().querySelector('.kp-title')?.textContent).toBe('改后的标题');
  });
});

describe('notice editor: LED text', () => {
  it('counts the characters and screens for the chosen sign and lists characters outside GB2312 by position', () => {
    openEditor();
    type('标题', '关于低保资格复核的公示');
    const count = (): HTMLElement => document.querySelector<HTMLElement>('[data-led-pages]')!;
    // Empty LED text: the sign shows the title, 11 characters, on a 2×12 sign one screen.
    expect(count().textContent).toBe('11 个字，需要 1 屏');
    fireEvent.change(screen.getByLabelText('屏幕规格'), { target: { value: '64x16' } });
    expect(count().textContent).toBe('11 个字，需要 3 屏');
    type('LED 屏文字', '王喆家门口停水');
    const missing = [...document.querySelectorAll('[data-led-unsupported]')];
    expect(missing.map((m) => m.getAttribute('data-led-unsupported'))).toEqual(['喆']);
    expect(missing[0]?.textContent).toContain('第 2 个字');
    expect(document.querySelectorAll('.led-page')).toHaveLength(2);
  });
});

describe('notice editor: fields', () => {
  it('shows the posting period it will get, worked out on the holiday calendar', () => {
    openEditor();
    fireEvent.input(screen.getByLabelText('开始日期'), { target: { value: '2026-10-01' } });
    fireEvent.click(screen.getByLabelText('按工作日'));
    type('工作日数', '7');
    expect(document.querySelector('[data-window-end]')?.getAttribute('data-window-end')).toBe('2026-10-15');
    expect(screen.getByText('公示期：2026-10-01 至 2026-10-15（含当天）')).toBeTruthy();
  });

  it('counts working days on the town’s calendar, its own days off included', () => {
    const server = fakeApi({ user: EDITOR });
    const { props } = pageProps(server.api, EDITOR);
    // Mon 2026-11-30 start, 3 working days; the town has Tue 12-01 off.
    render(
      <EditorPage
        {...props}
        data={{ ...props.data, calendar: createHolidayCalendar({ holidays: ['2026-12-01'] }) }}
        id={null}
        correct={false}
      />,
    );
    fireEvent.input(screen.getByLabelText('开始日期'), { target: { value: '2026-11-30' } });
    fireEvent.click(screen.getByLabelText('按工作日'));
    type('工作日数', '3');
    expect(document.querySelector('[data-window-end]')?.getAttribute('data-window-end')).toBe('2026-12-03');
  });

  it('puts errors next to their fields and focuses the first', async () => {
    const { calls } = openEditor();
    fireEvent.click(screen.getByLabelText('指定村'));
    fireEvent.click(screen.getByRole('button', { name: '保存草稿' }));
    await screen.findByText('请输入标题');
    expect(screen.getByText('请至少选择一个村')).toBeTruthy();
    const title = screen.getByLabelText('标题');
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(title.getAttribute('aria-describedby') ?? '')?.textContent).toBe('请输入标题');
    expect(document.activeElement).toBe(title);
    expect(calls).toEqual([]);
  });

  it('opens 更正 on a published notice with the correction reason required, and sends it', async () => {
    const published = noticeOf([version({ id: 'p-v1', noticeId: 'p', state: 'approved', content: content({ title: '停水通知' }) })]);
    const server = fakeApi({ user: EDITOR, notices: [published] });
    const { calls } = openEditor({ id: 'p', correct: true, server });
    await screen.findByRole('heading', { name: '更正已发布的公告' });
    expect(screen.getByText(/原版本继续展示/)).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('更正原因')));
    fireEvent.click(screen.getByRole('button', { name: '保存草稿' }));
    await screen.findByText('请说明原公告哪里有误');
    type('更正原因', '停水日期写错了');
    type('正文', '停水时间改为12月3日。');
    fireEvent.click(screen.getByRole('button', { name: '保存草稿' }));
    await screen.findByText('草稿已保存。');
    expect(calls).toEqual(['editNotice p']);
    expect(server.notices()[0]?.working?.correction).toEqual({ reason: '停水日期写错了' });
  });

  it('does not offer editing while the notice waits for review', async () => {
    const pending = noticeOf([version({ id: 'q-v1', noticeId: 'q', state: 'pending_review' })]);
    openEditor({ id: 'q', server: fakeApi({ user: REVIEWER, notices: [pending] }) });
    await screen.findByText(/正在等待审核，不能编辑/);
    expect(screen.queryByRole('button', { name: '保存草稿' })).toBeNull();
  });
});
