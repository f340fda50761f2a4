import { readFileSync } from 'node:fs';
import { EMERGENCY_LEVELS, type EmergencyLevel } from '@protocol';
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { NoticeCard } from '../../kiosk/NoticeCard';
import { HASH_A, item } from './fixtures';

afterEach(cleanup);

describe('NoticeCard', () => {
  it('shows title, issuer and posting period, with the notice version on the root', () => {
    const startsAt = Date.parse('2026-11-25T08:00:00+08:00');
    const endsAt = Date.parse('2027-01-05T00:00:00+08:00'); // exclusive: the last day is 4 January
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

  it('shows a warning level in words as well as colour: 红色预警（一级） … 蓝色预警（四级）', () => {
    const expected: Record<EmergencyLevel, string> = {
      red: '红色预警（一级）',
      orange: '橙色预警（二级）',
      yellow: '黄色预警（三级）',
      blue: '蓝色预警（四级）',
    };
    for (const level of EMERGENCY_LEVELS) {
      const { container } = render(<NoticeCard item={item({ emergency: { level } })} />);
      const banner = container.querySelector('.notice-emergency');
      expect(banner?.textContent).toBe(expected[level]);
      expect(banner?.getAttribute('data-level')).toBe(level);
      expect(container.firstElementChild?.classList.contains(`emergency-${level}`)).toBe(true);
      // The banner comes before the title, so it is read first.
      expect(banner?.nextElementSibling?.tagName).toBe('H2');
      cleanup();
    }
    expect(render(<NoticeCard item={item()} />).container.querySelector('.notice-emergency')).toBeNull();
  });

  it('gives every warning level’s banner text at least 4.5:1 contrast, with dark text on yellow and orange', () => {
    // Vitest stubs CSS imports, so the stylesheet is read as a file (tests run from the repository root).
    const css = readFileSync('kiosk/kiosk.css', 'utf8');
    const ink = /--ink:\s*(#[0-9a-f]{6})/i.exec(css)?.[1];
    const colour = (value: string): string => (value.trim() === 'var(--ink)' && ink ? ink : value.trim());
    for (const level of EMERGENCY_LEVELS) {
      const rule = new RegExp(`\\.notice-card\\.emergency-${level}\\s*\\{([^}]*)\\}`).exec(css)?.[1] ?? '';
      const background = colour(/--level:([^;]+);/.exec(rule)?.[1] ?? '');
      const text = colour(/--level-ink:([^;]+);/.exec(rule)?.[1] ?? '');
      expect(contrast(background, text), `${level}: ${text} on ${background}`).toBeGreaterThanOrEqual(4.5);
      if (level === 'yellow' || level === 'orange') expect(luminance(text)).toBeLessThan(0.05);
    }
  });
});

/** WCAG 2 relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = match.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
