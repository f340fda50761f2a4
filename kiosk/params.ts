/** What the kiosk's address says: `/kiosk/?device=<id>&token=<pairing token>&receiptAfter=<seconds>`. */

export interface KioskParams {
  deviceId: string | null;
  /** Present only on the pairing link; stored, then removed from the address bar. */
  token: string | null;
  /** Seconds before the first display receipt; null = the item's own duration. */
  receiptAfterSec: number | null;
  /** The address without the token, for `history.replaceState`. */
  cleanUrl: string;
}

/**
 * @example
 * parseKioskUrl('http://town:8080/kiosk/?device=k1&token=abc').cleanUrl // 'http://town:8080/kiosk/?device=k1'
 */
export function parseKioskUrl(href: string): KioskParams {
  const url = new URL(href);
  const deviceId = url.searchParams.get('device')?.trim() || null;
  const token = url.searchParams.get('token') || null;
  const after = Number(url.searchParams.get('receiptAfter') ?? Number.NaN);
  url.searchParams.delete('token');
  return {
    deviceId,
    token,
    receiptAfterSec: Number.isFinite(after) && after > 0 ? after : null,
    cleanUrl: url.toString(),
  };
}
