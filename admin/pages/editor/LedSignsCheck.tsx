import type { Ack, NoticeTarget, SignTextCheck } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import { charPosition } from '../../lib/format';
import { type SignsApi, createSignsApi } from '../../lib/signsApi';

/** Typing pauses this long before the controller is asked again. */
const CHECK_DELAY_MS = 400;

export interface LedSignsCheckProps {
  /** The LED text as the signs will show it (the title when the LED field is empty). */
  text: string;
  target: NoticeTarget;
  /** The controller's check (`POST /api/signs/check-text`); injected in tests. */
  check?: SignsApi['checkText'];
}

/**
 * The LED text against the font of every sign the notice targets (its villages'
 * signs, or every sign for the whole town), from the controller's own sign
 * profiles: a GB2312 sign lacks characters a GBK sign has. Each character a
 * sign cannot show is listed by position; the driver would refuse it anyway.
 */
export function LedSignsCheck({ text, target, check }: LedSignsCheckProps) {
  const { t } = useI18n();
  const s = t.signs.targets;
  const [result, setResult] = useState<Ack<SignTextCheck[]> | null>(null);
  const key = JSON.stringify([text, target]);
  const incomplete = target.scope === 'villages' && target.villageIds.length === 0;

  useEffect(() => {
    if (incomplete || text === '') return;
    let alive = true;
    const run = check ?? ((t: string, to: NoticeTarget) => createSignsApi().checkText(t, to));
    const timer = setTimeout(() => {
      void run(text, target).then((ack) => {
        if (alive) setResult(ack);
      });
    }, CHECK_DELAY_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
    // `key` stands for text and target.
  }, [key, incomplete]);

  if (incomplete || text === '' || !result) return null;
  if (!result.ok) return <p class="hint led-signs">{s.unavailable}</p>;
  const signs = result.data;
  const failing = signs.filter((c) => c.unsupported.length > 0);
  const tooLong = signs.filter((c) => c.packet !== null && c.packet.bytes > c.packet.max);
  return (
    <div class="led-signs" aria-live="polite" data-led-signs={signs.length}>
      <p class="led-signs-heading">
        <strong>{s.heading}</strong> ·{' '}
        {signs.length === 0 ? s.none : failing.length === 0 && tooLong.length === 0 ? s.allOk(signs.length) : null}
      </p>
      {tooLong.map((c) => (
        <p key={c.id} class="note note-warn" data-led-too-long={c.id}>
          {c.packet && s.tooLong(c.name, c.packet.bytes, c.packet.max)}
        </p>
      ))}
      {failing.map((c) => (
        <div key={c.id} class="led-unsupported" data-led-sign={c.id}>
          <p>{s.cannot(c.name, c.charset.toUpperCase(), c.unsupported.length)}</p>
          <ul>
            {c.unsupported.map((u) => (
              <li key={u.index}>
                <span class="char" lang="zh-CN">
                  「{u.char}」
                </span>{' '}
                U+{u.codePoint.toString(16).toUpperCase().padStart(4, '0')} · {t.editor.position(charPosition(text, u.index))}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
