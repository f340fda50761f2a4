/** Shared test data for the kiosk: playlist items, receipts and an in-memory key-value store. */
import type { DisplayReceipt, Playlist, PlaylistItem } from '@protocol';
import type { KeyValueBackend } from '../../kiosk/storage';

export const HASH_A = 'a'.repeat(64);
export const HASH_B = 'b'.repeat(64);

export function item(overrides: Partial<PlaylistItem> = {}): PlaylistItem {
  return {
    noticeId: 'n1',
    versionId: 'n1-v1',
    contentHash: HASH_A,
    category: 'a20-welfare',
    docNumber: null,
    emergency: null,
    correction: null,
    title: '关于2026年度城乡居民医疗保险集中缴费的通知',
    body: '各村（社区）村民：\n\n个人缴费标准为每人每年400元。\n\n咨询电话：镇便民服务中心。',
    issuer: '彪角镇人民政府',
    startsAt: null,
    endsAt: null,
    durationSec: 10,
    priority: 0,
    approvedAt: 1_000,
    ...overrides,
  };
}

export function playlist(items: PlaylistItem[], version = 'v1'): Playlist {
  return { version, generatedAt: 0, items };
}

let counter = 0;
export function receipt(overrides: Partial<DisplayReceipt> = {}): DisplayReceipt {
  counter += 1;
  return {
    kind: 'display',
    receiptId: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    noticeId: 'n1',
    contentHash: HASH_A,
    startedAt: 1_000,
    endedAt: 11_000,
    clockTrusted: true,
    ...overrides,
  };
}

/** A Storage stand-in that a "reload" can share between two kiosk storages. */
export function memoryBackend(): KeyValueBackend & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => {
      data.set(key, value);
    },
    removeItem: (key) => {
      data.delete(key);
    },
  };
}
