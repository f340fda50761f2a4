/** Shown when the address names no device: the kiosk cannot know which village it serves. */
export function Unconfigured() {
  return (
    <div class="kiosk kiosk-solo">
      <main class="kiosk-main">
        <section class="kiosk-nothing">
          <p class="kiosk-nothing-title">此屏幕尚未设置</p>
          <p class="kiosk-nothing-text">请镇政府工作人员在公示管理后台“设备”页打开本屏幕的配对链接。</p>
        </section>
      </main>
    </div>
  );
}
