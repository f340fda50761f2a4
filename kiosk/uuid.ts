/**
 * A random (v4) UUID for receipt ids. `crypto.randomUUID` exists only in
 * secure contexts (https or localhost), and a village kiosk usually opens the
 * controller over plain http on the LAN; `getRandomValues` works everywhere.
 */
export function randomId(source: Pick<Crypto, 'getRandomValues'> = crypto): string {
  if (typeof crypto !== 'undefined' && source === crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = source.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
