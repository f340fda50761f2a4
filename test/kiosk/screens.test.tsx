/** The browsing screens on their own: tiles, list, search with the on-screen keyboard, a notice with its tools, the rating. */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InteractionInput } from '../../kiosk/interactions';
import { createRatingGate } from '../../kiosk/ratingLimit';
import { BrowseShell, type BrowseScreen } from '../../kiosk/screens/BrowseShell';
import type { SpeechEngine } from '../../kiosk/speech';
import { HASH_B, item, memoryBackend } from './fixtures';

const ITEMS = [
  item({
    noticeId: 'yb',
    title: '关于2026年度城乡居民医疗保险集中缴费的通知',
    initials: 'gy2026ndcxjmylbxjzjfdtz',
    category: 'a20-welfare',
  }),
  item({
    noticeId: 'db',
    contentHash: HASH_B,
    title: '张堂村低保对象动态调整公示',
    initials: 'ztcdbdxdtdzgs',
    category: 'a21-social-assistance',
    issuer: '张堂村村民委员会',
    body: '经村民代表会议评议，拟新增低保对象2户。\n\n公示期7天。',
    correction: { reason: '新增户数写错' },
  }),
  item({ noticeId: 'fh', title: '冬季森林防火和安全用火提示', initials: 'djslfhhaqyhts', category: 'a20-emergency' }),
  item({ noticeId: 'jz', title: '临时救助对象公示', initials: 'lsjzdxgs', category: 'a21-social-assistance' }),
];

class FakeUtterance {
  voice: unknown = null;
  lang = '';
  rate = 1;
  onend: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly text: string) {}
}

function fakeSpeech(voices: { lang: string; name: string; localService: boolean }[]) {
  const listeners = new Set<() => void>();
  const spoken: FakeUtterance[] = [];
  const engine: SpeechEngine & { voices: typeof voices } = {
    voices,
    getVoices: () => engine.voices as unknown as SpeechSynthesisVoice[],
    speak: (u) => spoken.push(u as unknown as FakeUtterance),
    cancel: vi.fn(),
    addEventListener: (_type, l) => listeners.add(l),
    removeEventListener: (_type, l) => listeners.delete(l),
  };
  const voicesChanged = (next: typeof voices): void => {
    engine.voices = next;
    void act(() => listeners.forEach((l) => l()));
  };
  return { engine, spoken, voicesChanged };
}

describe('browsing screens', () => {
  let clock = 1_000_000;
  let interactions: InteractionInput[] = [];
  beforeEach(() => {
    clock = 1_000_000;
    interactions = [];
    vi.stubGlobal('SpeechSynthesisUtterance', FakeUtterance);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  const setup = (options: { speech?: SpeechEngine | null; initial?: BrowseScreen; backend?: ReturnType<typeof memoryBackend> } = {}) => {
    const onExit = vi.fn();
    const view = render(
      <BrowseShell
        items={ITEMS}
        header={<header>头部</header>}
        onExit={onExit}
        speech={options.speech ?? null}
        ratings={createRatingGate(options.backend ?? memoryBackend(), () => clock)}
        now={() => clock}
        onInteraction={(i) => interactions.push(i)}
        {...(options.initial ? { initial: options.initial } : {})}
      />,
    );
    return { onExit, view };
  };
  const click = (name: string | RegExp): void => {
    fireEvent.click(screen.getByRole('button', { name }));
  };

  it('shows a tile for each category present, with counts, and lists a category', () => {
    setup();
    const tiles = screen.getAllByRole('button').filter((b) => b.classList.contains('tile'));
    expect(tiles.map((t) => t.textContent)).toEqual([
      '全部公告4 条',
      '扶贫、教育、医疗、社保、就业1 条',
      '突发公共事件应急预案和预警1 条',
      '社会救助2 条',
      '搜索公告可输入拼音首字母',
    ]);
    click(/^社会救助/);
    const list = screen.getByRole('list', { name: '社会救助' });
    expect(
      within(list)
        .getAllByRole('button')
        .map((b) => b.getAttribute('data-notice-id')),
    ).toEqual(['db', 'jz']);
    expect(screen.getByText('更正')).toBeTruthy();
    click('‹ 返回');
    click(/^全部公告/);
    expect(screen.getAllByRole('listitem')).toHaveLength(4);
  });

  it('searches by pinyin initials typed on the on-screen keyboard, and opens the hit', () => {
    setup();
    click(/^搜索公告/);
    for (const key of ['D', 'B', 'G', 'S']) click(key);
    expect(screen.getByText('DBGS')).toBeTruthy();
    expect(screen.getByText('找到 1 条')).toBeTruthy();
    click('删除');
    expect(screen.getByText('DBG')).toBeTruthy();
    click('清空');
    expect(screen.queryByText(/找到/)).toBeNull();
    for (const key of ['L', 'S', 'J', 'Z']) click(key);
    fireEvent.click(screen.getByRole('button', { name: /临时救助对象公示/ }));
    expect(screen.getByRole('heading', { level: 2, name: '临时救助对象公示' })).toBeTruthy();
    expect(interactions).toEqual([{ action: 'opened', noticeId: 'jz', contentHash: ITEMS[3]?.contentHash }]);
    // Back returns to the search as it was.
    click('‹ 返回');
    expect(screen.getByText('LSJZ')).toBeTruthy();
  });

  it('offers three text sizes and high contrast for the whole visit, and shows the correction', () => {
    const { view } = setup({ initial: { name: 'detail', noticeId: 'db', from: { name: 'tiles' } } });
    const root = view.container.querySelector('.kiosk-browsing');
    expect(root?.className).toContain('text-size-1');
    expect(screen.getByRole('button', { name: '字号标准' }).getAttribute('aria-pressed')).toBe('true');
    click('字号特大');
    expect(root?.className).toContain('text-size-3');
    expect(screen.getByRole('button', { name: '字号特大' }).getAttribute('aria-pressed')).toBe('true');
    click('高对比度');
    expect(root?.className).toContain('contrast');
    expect(screen.getByText('新增户数写错')).toBeTruthy();
    click('‹ 返回');
    expect(root?.className).toContain('contrast');
    expect(root?.className).toContain('text-size-3');
  });

  it('hides read-aloud without a zh-CN voice, shows it when one loads, and reports reading', () => {
    const speech = fakeSpeech([{ lang: 'en-US', name: 'English', localService: true }]);
    setup({ speech: speech.engine, initial: { name: 'detail', noticeId: 'db', from: { name: 'tiles' } } });
    expect(screen.queryByRole('button', { name: '朗读' })).toBeNull();
    speech.voicesChanged([
      { lang: 'en-US', name: 'English', localService: true },
      { lang: 'zh-CN', name: '普通话', localService: true },
    ]);
    click('朗读');
    expect(speech.spoken).toHaveLength(1);
    expect(speech.spoken[0]?.text).toContain('张堂村低保对象动态调整公示');
    expect(speech.spoken[0]?.text).toContain('拟新增低保对象2户');
    expect(speech.spoken[0]?.lang).toBe('zh-CN');
    expect(screen.getByRole('button', { name: '停止朗读' })).toBeTruthy();
    expect(interactions).toEqual([{ action: 'read_aloud', noticeId: 'db', contentHash: HASH_B }]);
    void act(() => speech.spoken[0]?.onend?.());
    expect(screen.getByRole('button', { name: '朗读' })).toBeTruthy();
  });

  it('hides read-aloud where the device has no speech at all', () => {
    setup({ speech: null, initial: { name: 'detail', noticeId: 'db', from: { name: 'tiles' } } });
    expect(screen.queryByRole('button', { name: /朗读/ })).toBeNull();
    expect(screen.getByRole('button', { name: '手机扫码' })).toBeTruthy();
  });

  it('shows the QR code of the public page and reports it', () => {
    setup({ initial: { name: 'detail', noticeId: 'db', from: { name: 'tiles' } } });
    click('手机扫码');
    const img = screen.getByRole('img', { name: '本公告的二维码' });
    expect(img.getAttribute('src')).toBe('/n/db/qr.svg');
    expect(interactions).toEqual([{ action: 'qr_shown', noticeId: 'db', contentHash: HASH_B }]);
    click('返回正文');
    expect(screen.getByRole('region', { name: '公告正文' })).toBeTruthy();
  });

  it('takes a five-level rating with an optional phrase, once per notice per ten minutes, and says so kindly', () => {
    const backend = memoryBackend();
    setup({ backend, initial: { name: 'detail', noticeId: 'db', from: { name: 'tiles' } } });
    click('评价');
    expect(
      within(screen.getByRole('group', { name: '满意程度' }))
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['非常满意', '满意', '一般', '不满意', '非常不满意']);
    expect(screen.queryByRole('button', { name: '提交评价' })).toBeNull();
    click('不满意');
    click('看不太懂');
    click('提交评价');
    expect(screen.getByText('谢谢您的评价！')).toBeTruthy();
    expect(interactions).toEqual([{ action: 'rated', noticeId: 'db', contentHash: HASH_B, rating: 2, comment: '看不太懂' }]);

    // The same notice again five minutes later: refused kindly; another notice is fine.
    cleanup();
    clock += 5 * 60_000;
    setup({ backend, initial: { name: 'detail', noticeId: 'db', from: { name: 'tiles' } } });
    click('评价');
    expect(screen.getByText('您已经评价过这条公告，谢谢！')).toBeTruthy();
    expect(screen.getByText(/10分钟内只能评价一次。请约5\s*分钟后再来/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: '非常满意' })).toBeNull();

    cleanup();
    clock += 5 * 60_000;
    setup({ backend, initial: { name: 'detail', noticeId: 'db', from: { name: 'tiles' } } });
    click('评价');
    click('非常满意');
    click('提交评价');
    expect(interactions.at(-1)).toEqual({ action: 'rated', noticeId: 'db', contentHash: HASH_B, rating: 5 });
  });

  it('says a notice has gone when it leaves the playlist while open', () => {
    const { view } = setup({ initial: { name: 'detail', noticeId: 'gone', from: { name: 'tiles' } } });
    expect(view.container.textContent).toContain('公告已撤下');
  });
});
