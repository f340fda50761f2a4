/**
 * The demo's LED signs: one emulated BX-5K door sign (192×32, GB2312) per demo
 * village, in-process, so a new user sees the LED output without hardware.
 */
import type { Village } from '../protocol/index.js';
import { type SignProfile, parseSignProfile } from '../protocol/signProfile.js';

export function demoSignProfiles(villages: readonly Village[]): SignProfile[] {
  return villages.map((village, i) =>
    parseSignProfile({
      id: `demo-sign-${i + 1}`,
      name: `${village.name}村委会门头屏`,
      villageId: village.id,
      protocol: 'bx5k',
      port: { path: `emulated:demo-sign-${i + 1}`, baudRate: 57600 },
      address: 1,
      widthPx: 192,
      heightPx: 32,
      charset: 'gb2312',
      emulated: true,
    }),
  );
}
