import { useEffect, useState } from 'preact/hooks';
import { type Fetch, type PairingState, startPairing } from './pairing';

export interface PairingScreenProps {
  fetch: Fetch;
  onPaired: (identity: { deviceId: string; token: string }) => void;
  /** Why the kiosk is here again, e.g. staff revoked it. */
  reason?: string | undefined;
}

/** Shown on a kiosk that is not paired yet: a large code for staff to type into the admin's 设备 page. */
export function PairingScreen({ fetch, onPaired, reason }: PairingScreenProps) {
  const [state, setState] = useState<PairingState>({ step: 'requesting' });
  useEffect(() => startPairing({ fetch, onState: setState, onPaired }), [fetch, onPaired]);

  return (
    <div class="kiosk kiosk-solo">
      <main class="kiosk-main">
        <section class="kiosk-nothing kiosk-pairing" aria-live="polite">
          <h1 class="kiosk-nothing-title">配对此屏幕</h1>
          {reason && <p class="kiosk-nothing-text">此屏幕已被停用：{reason}</p>}
          {state.step === 'showing' && (
            <>
              <p class="kiosk-nothing-text">请镇政府工作人员在公示管理后台“设备”页点“配对新触摸屏”，输入下面的配对码：</p>
              <p class="kiosk-pairing-code" aria-label={`配对码 ${state.code.split('').join(' ')}`}>
                {state.code.slice(0, 3)}
                <span class="kiosk-pairing-gap"> </span>
                {state.code.slice(3)}
              </p>
              <p class="kiosk-nothing-text">配对码 15 分钟内有效，过期后自动换新。</p>
            </>
          )}
          {state.step === 'requesting' && <p class="kiosk-nothing-text">正在获取配对码…</p>}
          {state.step === 'failed' && <p class="kiosk-nothing-text">{state.message}</p>}
          {state.step === 'paired' && <p class="kiosk-nothing-text">配对成功，正在打开公告…</p>}
        </section>
      </main>
    </div>
  );
}
