import type { LinkStatus } from './link';

export interface EmptyScreenProps {
  status: LinkStatus;
  /** Whether any playlist has ever arrived (an empty one means: really nothing to show). */
  hasPlaylist: boolean;
}

/** What the screen says when there is no notice to show, and why. */
export function EmptyScreen({ status, hasPlaylist }: EmptyScreenProps) {
  const [title, text] = hasPlaylist
    ? ['暂无公告', '有新的公告时会在这里显示。']
    : status === 'unpaired'
      ? ['此屏幕尚未配对', '请镇政府工作人员在公示管理后台“设备”页生成配对链接，并在本屏幕上打开。']
      : status === 'failed' || status === 'disconnected'
        ? ['暂无公告', '暂时连不上镇政府的服务器，正在重试。']
        : ['暂无公告', '正在获取公告，请稍候。'];
  return (
    <section class="kiosk-nothing" aria-live="polite">
      <p class="kiosk-nothing-title">{title}</p>
      <p class="kiosk-nothing-text">{text}</p>
    </section>
  );
}
