/**
 * The demo's LED signs: one emulated BX-5K door sign (192×32, GB2312) per demo
 * village, in-process, so a new user sees the LED output without hardware.
 * The sign of the demo village node's village hangs off that node (the
 * controller runs it in-process, controller/ops/demoNode.ts), so the signs page
 * shows that path too.
 */
import type { Device, Village } from '../protocol/index.js';
import { type SignProfile, parseSignProfile } from '../protocol/signProfile.js';

export function demoSignProfiles(
  villages: readonly Village[],
  devices: readonly Pick<Device, 'id' | 'kind' | 'villageId' | 'demo'>[] = [],
): SignProfile[] {
  const node = devices.find((d) => d.demo && d.kind === 'node');
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
      node: node?.villageId === village.id ? node.id : null,
    }),
  );
}
