/** How staff read a sign's hardware: the controller card by its model name, how it is reached, its number and size. */
import type { SignView } from '@protocol';
import type { Dictionary } from '../i18n';

/** The controller cards' model names, as printed on them. */
export const PROTOCOL_NAMES: Readonly<Record<string, string>> = { bx5k: 'BX-5K', bx6k: 'BX-6K', eq2013: 'EQ2013-F', eq2023: 'EQ2023' };

type Described = Pick<SignView, 'protocol' | 'portPath' | 'baudRate' | 'address' | 'widthPx' | 'heightPx' | 'charset' | 'emulated'>;

/**
 * A sentence a clerk can read, e.g. 「BX-5K 控制卡，接在串口 /dev/ttyUSB0（9600 波特），屏号 1，64×16 点，GB2312 字库」, in
 * place of the wire's shorthand (`bx5k · /dev/ttyUSB0 @9600`). A network card names its address, a
 * demo sign says it is one.
 */
export function describeSign(t: Dictionary, sign: Described): string {
  const d = t.signs.describe;
  const card = PROTOCOL_NAMES[sign.protocol] ?? sign.protocol;
  const size = d.size(sign.widthPx, sign.heightPx, sign.charset.toUpperCase());
  if (sign.emulated) return d.emulated(card, size);
  const tcp = /^tcp:\/\/(.+)$/.exec(sign.portPath);
  const link = tcp ? d.network(tcp[1] ?? sign.portPath) : d.serial(sign.portPath, sign.baudRate);
  return d.sentence(card, link, sign.address, size);
}
