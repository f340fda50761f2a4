/**
 * The EQ2013-F / EQ2023 font-protocol driver, speaking each generation's own
 * dialect (eq/codec.ts `EQ_DIALECTS`). The protocol has no answer, so
 * delivery is "sent" once the bytes are on the wire, and the driver re-sends
 * the current content periodically so that a sign that rebooted or missed a
 * frame catches up. It has no brightness, power or clock commands
 * (led-protocols.md §1.2); those reject with code `unsupported`.
 */
import type { Delivery, SignContent, SignDriver } from '../domain/signs.js';
import type { Logger } from '../logger.js';
import type { SignProfile } from '../protocol/signProfile.js';
import { DriverCore, checkCharset } from './driverCore.js';
import { type EqDialect, type EqFrame, type EqSegment, describeEqFrame, encodeEqFrame, eqCode } from './eq/codec.js';
import { LinkDownError, SignError } from './errors.js';
import type { SerialLink } from './link.js';
import { layoutLedText } from '../protocol/ledText.js';

export interface EqDriverDeps {
  profile: SignProfile;
  /** The card's generation: what it may be sent. */
  dialect: EqDialect;
  link: SerialLink;
  logger: Logger;
  now?: () => number;
  /** Re-send period for the current content (0 = off). */
  refreshIntervalMs?: number;
}

const COLOURS = { red: 1, green: 2, yellow: 3 } as const;

/** `%` and `$` would be read as codes or the end of the frame: written full-width instead. */
function safeText(text: string): string {
  return text.replace(/%/g, '％').replace(/\$/g, '＄').replace(/!#/g, '！#');
}

/**
 * The frame that shows `content` in `dialect`. EQ2013-F: one full-screen area
 * with its effect (scroll or pages), speed and stay time. EQ2023 documents
 * no areas or effects: the text, laid out in lines, is the whole screen.
 */
export function eqTextFrame(content: SignContent, profile: SignProfile, dialect: EqDialect): EqFrame {
  const scroll = content.layout === 'scroll' && dialect.areas;
  const text = scroll
    ? safeText(
        content.text
          .split(/\r\n|\r|\n/)
          .filter((p) => p !== '')
          .join('　'),
      )
    : layoutLedText(safeText(content.text), { widthPx: profile.widthPx, heightPx: profile.heightPx, fontPx: 16 }).lines.join(
        dialect.lineBreak,
      );
  const colour = eqCode(dialect.colour, COLOURS[content.colour]);
  if (!dialect.areas) return { address: profile.address, segments: [colour, { type: 'text', text }] };
  const area = [0, 0, profile.widthPx, profile.heightPx].map((n) => String(n).padStart(4, '0')).join('');
  const segments: EqSegment[] = [
    eqCode('ZD', 0),
    eqCode('ZI', 1),
    { type: 'code', code: 'ZC', value: area },
    eqCode('ZA', scroll ? 49 : 1),
    eqCode('ZS', Math.max(1, Math.min(99, Math.round((content.speed / 24) * 98) + 1))),
    eqCode('ZH', Math.max(1, Math.min(9999, Math.round(content.stayTimeSec * 10)))),
    colour,
    { type: 'text', text },
  ];
  return { address: profile.address, segments };
}

/** The frame that blanks the screen: delete every area (EQ2013-F), or a frame with no text (EQ2023). */
export function eqClearFrame(profile: SignProfile, dialect: EqDialect): EqFrame {
  return { address: profile.address, segments: dialect.areas ? [eqCode('ZD', 0)] : [] };
}

export function createEqDriver(deps: EqDriverDeps): SignDriver & { stop(): void } {
  const { profile, link, logger, dialect } = deps;
  const now = deps.now ?? Date.now;
  const core = new DriverCore(profile.id, now);
  let refresh: NodeJS.Timeout | null = null;

  async function send(frame: EqFrame): Promise<Delivery> {
    const bytes = encodeEqFrame(frame, dialect);
    try {
      const result = await link.request({ frame: bytes, describe: describeEqFrame(frame), replyFrom: null });
      core.st.counters.framesSent++;
      return { proof: 'sent', at: result.at, attempts: 1, bytes: bytes.length };
    } catch (error) {
      core.failed(error);
      throw error;
    }
  }

  async function show(content: SignContent): Promise<Delivery> {
    checkCharset(content.text, profile.charset);
    const frame = eqTextFrame(content, profile, dialect);
    core.st.desired = content;
    const delivery = await core.change({ change: 'show', key: content.key, text: content.text }, () => send(frame));
    if (core.st.desired === content) core.displayed(content, 'sent', delivery.at);
    return delivery;
  }

  async function clear(): Promise<Delivery> {
    core.st.desired = null;
    const delivery = await core.change({ change: 'clear' }, () => send(eqClearFrame(profile, dialect)));
    core.ended('cleared', delivery.at);
    return delivery;
  }

  async function restore(): Promise<void> {
    core.st.counters.restores++;
    if (core.st.desired) await show(core.st.desired);
    else await clear();
  }

  function startRefresh(): void {
    if (!deps.refreshIntervalMs || refresh) return;
    refresh = setInterval(() => {
      const desired = core.st.desired;
      if (link.state() !== 'up' || !desired) return;
      show(desired).catch((error: unknown) => logger.debug(`sign ${profile.id}: periodic re-send failed: ${String(error)}`));
    }, deps.refreshIntervalMs);
    refresh.unref();
  }

  function stopRefresh(): void {
    if (refresh) clearInterval(refresh);
    refresh = null;
  }

  const offLink = link.onState((state, reason) => {
    core.st.link = state;
    const at = now();
    if (state === 'up') {
      core.emit({ type: 'link', signId: profile.id, state: 'up', at, reason });
      startRefresh();
      void restore().catch((error: unknown) => logger.warn(`sign ${profile.id}: re-send after reconnect failed`, { error }));
    } else if (state === 'down' || state === 'stopped') {
      stopRefresh();
      core.st.showing = null;
      core.emit({ type: 'link', signId: profile.id, state: 'down', at, reason });
    }
  });
  core.st.link = link.state();
  if (link.state() === 'up') startRefresh();

  const unsupported = (what: string) => Promise.reject(new SignError('unsupported', `EQ font cards have no ${what} command`));

  return {
    id: profile.id,
    proofLevel: 'sent',
    show,
    restore,
    clear,
    setBrightness: () => unsupported('brightness'),
    setPower: () => unsupported('on/off'),
    syncClock: () => unsupported('clock'),
    ping() {
      // Nothing to ask an EQ card: the link being open is all there is to know.
      if (link.state() !== 'up') return Promise.reject(new LinkDownError(link.path, 'not connected'));
      return Promise.resolve({ proof: 'sent' as const, at: now(), attempts: 0, bytes: 0 });
    },
    status: () => core.status(),
    subscribe: (listener) => core.subscribe(listener),
    stop() {
      stopRefresh();
      offLink();
    },
  };
}
