import type { LinkStatus } from './link';

/** Status in words and colour (never colour alone). */
export const STATUS_WORDS: Record<LinkStatus, string> = {
  connecting: '正在连接',
  online: '已连接',
  disconnected: '连接中断',
  failed: '连接失败',
  unpaired: '未配对',
};

export function StatusBadge({ status }: { status: LinkStatus }) {
  return (
    <span class={`status status-${status}`} role="status" data-status={status}>
      <span class="status-dot" aria-hidden="true" />
      {STATUS_WORDS[status]}
    </span>
  );
}
