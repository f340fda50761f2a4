/**
 * Typed errors of the LED subsystem. Every one carries a stable `code` for the
 * admin's error counts and the ledger, and a message a person can act on.
 */

export type SignErrorCode =
  'nack' | 'busy' | 'crc' | 'timeout' | 'link_down' | 'charset' | 'too_long' | 'invalid_argument' | 'unsupported' | 'stopped';

export class SignError extends Error {
  override readonly name: string = 'SignError';
  constructor(
    readonly code: SignErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Error codes of a BX NACK (`A0 01`), as listed in the Onbon manuals
 * (docs/reference/led-protocols.md §1.1.2, 5th manual §5.2.2).
 */
export const BX_ERROR_NAMES: Readonly<Record<number, string>> = {
  0: 'ok',
  1: 'bad command group',
  2: 'no such command',
  3: 'busy',
  4: 'out of memory',
  5: 'CRC error',
  12: 'font missing',
  18: 'bad screen parameter',
};

export const BX_ERROR_BUSY = 3;
export const BX_ERROR_CRC = 5;

export function bxErrorName(code: number): string {
  return BX_ERROR_NAMES[code] ?? `error ${code}`;
}

/** The sign answered NACK. `busy` and `crc` are their own subclasses: both are retried. */
export class SignNackError extends SignError {
  override readonly name: string = 'SignNackError';
  constructor(
    readonly errorCode: number,
    readonly address: number,
    code: SignErrorCode = 'nack',
  ) {
    super(code, `sign ${address} refused the frame: NACK ${errorCode} (${bxErrorName(errorCode)})`);
  }
}

export class SignBusyError extends SignNackError {
  override readonly name = 'SignBusyError';
  constructor(address: number) {
    super(BX_ERROR_BUSY, address, 'busy');
  }
}

export class SignCrcError extends SignNackError {
  override readonly name = 'SignCrcError';
  constructor(address: number) {
    super(BX_ERROR_CRC, address, 'crc');
  }
}

export function nackError(errorCode: number, address: number): SignNackError {
  if (errorCode === BX_ERROR_BUSY) return new SignBusyError(address);
  if (errorCode === BX_ERROR_CRC) return new SignCrcError(address);
  return new SignNackError(errorCode, address);
}

export class SignTimeoutError extends SignError {
  override readonly name = 'SignTimeoutError';
  constructor(
    readonly address: number,
    readonly attempts: number,
    readonly timeoutMs: number,
  ) {
    super('timeout', `sign ${address} did not answer ${attempts} attempt(s) within ${timeoutMs} ms each`);
  }
}

export class LinkDownError extends SignError {
  override readonly name = 'LinkDownError';
  constructor(
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super('link_down', `serial link ${path} is down: ${reason}`, options);
  }
}

/** Characters the sign's font does not have, listed by position; raised before anything is sent. */
export class SignCharsetError extends SignError {
  override readonly name = 'SignCharsetError';
  constructor(
    readonly charset: string,
    readonly unsupported: readonly { index: number; char: string; codePoint: number }[],
  ) {
    const list = unsupported
      .slice(0, 10)
      .map((u) => `“${u.char}” (U+${u.codePoint.toString(16).toUpperCase().padStart(4, '0')}) at ${u.index}`)
      .join(', ');
    super(
      'charset',
      `LED 屏字库 ${charset.toUpperCase()} 没有这些字 / the sign's ${charset.toUpperCase()} font lacks: ${list}${unsupported.length > 10 ? ` and ${unsupported.length - 10} more` : ''}`,
    );
  }
}

/** A frame's data does not parse as the command it names (a codec error, not a sign's answer). */
export class BxCommandError extends Error {
  override readonly name = 'BxCommandError';
}
