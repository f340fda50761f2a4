import { describe, expect, it } from 'vitest';
import { parseKioskUrl } from '../../kiosk/params';

describe('parseKioskUrl', () => {
  it('reads the device, the one-time token and the receipt delay, and drops the token from the address', () => {
    const p = parseKioskUrl('http://192.168.1.10:8080/kiosk/?device=k%201&token=s3cret&receiptAfter=2');
    expect(p).toEqual({
      deviceId: 'k 1',
      token: 's3cret',
      receiptAfterSec: 2,
      cleanUrl: 'http://192.168.1.10:8080/kiosk/?device=k+1&receiptAfter=2',
    });
  });

  it('treats missing or nonsense values as absent', () => {
    expect(parseKioskUrl('http://x/kiosk/?receiptAfter=soon')).toMatchObject({ deviceId: null, token: null, receiptAfterSec: null });
    expect(parseKioskUrl('http://x/kiosk/?device=&receiptAfter=-3')).toMatchObject({ deviceId: null, receiptAfterSec: null });
  });
});
