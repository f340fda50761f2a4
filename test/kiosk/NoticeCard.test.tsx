import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { NoticeCard } from '../../kiosk/NoticeCard';
import { HASH_A, item } from './fixtures';

afterEach(cleanup);

describe('NoticeCard', () => {
  it('shows title, issuer and posting period, with the notice version on the root', () => {
    const startsAt = new Date(2026, 10, 25, 8, 0).getTime();
    const endsAt = new Date(2027, 0, 5, 0, 0).getTime(); // exclusive: the last day is 4 January
    const { container } = render(<NoticeCard item={item({ noticeId: 'n-42', startsAt, endsAt })} />);

    expect(screen.getByRole('heading', { name: '关于2026年度城乡居民医疗保险集中缴费的通知' })).toBeTruthy();
    expect(screen.getByText('彪角镇人民政府')).toBeTruthy();
    expect(screen.getByText('2026年11月25日 至 2027年1月4日')).toBeTruthy();
    const root = container.firstElementChild;
    expect(root?.getAttribute('data-notice-id')).toBe('n-42');
    expect(root?.getAttribute('data-content-hash')).toBe(HASH_A);
  });

  it('shows a correction (更正) with its reason above the text', () => {
    const { container } = render(<NoticeCard item={item({ correction: { reason: '缴费截止日期延长至1月15日' } })} />);
    expect(container.querySelector('.notice-correction')?.textContent).toBe('更正缴费截止日期延长至1月15日');
    cleanup();
    expect(render(<NoticeCard item={item()} />).container.querySelector('.notice-correction')).toBeNull();
  });

  it('says 长期 for a long-term notice', () => {
    render(<NoticeCard item={item({ startsAt: null, endsAt: null })} />);
    expect(screen.getByText('长期')).toBeTruthy();
  });

  it('renders the text as paragraphs of plain text, never as HTML', () => {
    const { container } = render(<NoticeCard item={item({ body: '第一段<script>alert(1)</script>\n\n<b>第二段</b>' })} />);
    const paragraphs = [...container.querySelectorAll('.notice-text p')].map((p) => p.textContent);
    expect(paragraphs).toEqual(['第一段<script>alert(1)</script>', '<b>第二段</b>']);
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
  });
});
