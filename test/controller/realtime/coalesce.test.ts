import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoalescer } from '../../../controller/realtime/coalesce.js';

interface Item {
  id: string;
  v: number;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function collect(max?: number) {
  const flushed: { items: Item[]; dropped: number }[] = [];
  const c = createCoalescer<Item>({
    intervalMs: 1_000,
    key: (i) => i.id,
    flush: (items, dropped) => flushed.push({ items, dropped }),
    ...(max !== undefined && { max }),
  });
  return { c, flushed };
}

describe('createCoalescer', () => {
  it('hands over everything pushed within an interval at once, a second after the first push', () => {
    const { c, flushed } = collect();
    c.push({ id: 'a', v: 1 });
    vi.advanceTimersByTime(600);
    c.push({ id: 'b', v: 1 });
    expect(flushed).toEqual([]);
    vi.advanceTimersByTime(399);
    expect(flushed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(flushed).toEqual([
      {
        items: [
          { id: 'a', v: 1 },
          { id: 'b', v: 1 },
        ],
        dropped: 0,
      },
    ]);
    c.push({ id: 'c', v: 1 });
    vi.advanceTimersByTime(1_000);
    expect(flushed.map((f) => f.items.map((i) => i.id))).toEqual([['a', 'b'], ['c']]);
  });

  it('keeps the newest item per key, in the place its key first arrived', () => {
    const { c, flushed } = collect();
    c.push({ id: 'a', v: 1 });
    c.push({ id: 'b', v: 1 });
    c.push({ id: 'a', v: 2 });
    vi.advanceTimersByTime(1_000);
    expect(flushed).toEqual([
      {
        items: [
          { id: 'a', v: 2 },
          { id: 'b', v: 1 },
        ],
        dropped: 0,
      },
    ]);
  });

  it('with a max, lets the oldest go and counts them, then starts counting afresh', () => {
    const { c, flushed } = collect(3);
    for (let v = 1; v <= 5; v++) c.push({ id: `r${v}`, v });
    vi.advanceTimersByTime(1_000);
    expect(flushed[0]).toEqual({ items: [3, 4, 5].map((v) => ({ id: `r${v}`, v })), dropped: 2 });
    c.push({ id: 'r6', v: 6 });
    vi.advanceTimersByTime(1_000);
    expect(flushed[1]).toEqual({ items: [{ id: 'r6', v: 6 }], dropped: 0 });
  });

  it('hands nothing over after stop', () => {
    const { c, flushed } = collect();
    c.push({ id: 'a', v: 1 });
    c.stop();
    vi.advanceTimersByTime(5_000);
    expect(flushed).toEqual([]);
  });

  it('refuses a max below one', () => {
    expect(() => createCoalescer<Item>({ intervalMs: 1_000, key: (i) => i.id, flush: () => undefined, max: 0 })).toThrow(/max/);
  });
});
