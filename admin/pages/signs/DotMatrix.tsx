import type { SignFrameView } from '@protocol';
import { useEffect, useRef } from 'preact/hooks';

/** Pixels per LED in the live view. */
const SCALE = 3;

/**
 * What a sign shows, drawn as round LEDs on a dark panel. Without a bitmap
 * font on the controller there are no pixels; the text is then shown instead,
 * and it is always there for screen readers.
 */
export function DotMatrix({ frame, label }: { frame: SignFrameView; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const text = frame.text.join(' ').trim();
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !frame.rows) return;
    ctx.fillStyle = '#111';
    ctx.fillRect(0, 0, frame.width * SCALE, frame.height * SCALE);
    frame.rows.forEach((row, y) => {
      for (let x = 0; x < row.length; x++) {
        ctx.fillStyle = row[x] === '1' ? '#ff3b1f' : '#2a1410';
        ctx.beginPath();
        ctx.arc(x * SCALE + SCALE / 2, y * SCALE + SCALE / 2, SCALE / 2 - 0.3, 0, Math.PI * 2);
        ctx.fill();
      }
    });
  }, [frame]);
  if (!frame.rows) {
    return (
      <p class="led-text" aria-label={label}>
        {text || '—'}
      </p>
    );
  }
  return (
    <canvas
      ref={canvas}
      class="led-matrix"
      width={frame.width * SCALE}
      height={frame.height * SCALE}
      role="img"
      aria-label={`${label}: ${text || '—'}`}
    />
  );
}
