/**
 * The villager's own visit, entered by touching the rotating screen: category
 * tiles → list → notice, or search. Text size and contrast hold for the whole
 * visit; going idle (handled by the app) ends it.
 */
import type { CategoryCode, PlaylistItem } from '@protocol';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { RecordInteraction } from '../interactions';
import type { RatingGate } from '../ratingLimit';
import type { SpeechEngine } from '../speech';
import { CategoryList, CategoryTiles, SearchScreen } from './Browse';
import { Detail, type TextSize } from './Detail';

export type BrowseScreen =
  | { name: 'tiles' }
  | { name: 'list'; category: CategoryCode | null }
  | { name: 'search'; query: string }
  | { name: 'detail'; noticeId: string; from: Exclude<BrowseScreen, { name: 'detail' }> };

export interface BrowseShellProps {
  /** The notices active now. */
  items: readonly PlaylistItem[];
  header: ComponentChildren;
  /** A warning's banner between its takeovers (under the header). */
  banner?: ComponentChildren;
  onExit: () => void;
  speech: SpeechEngine | null;
  ratings: RatingGate;
  now: () => number;
  onInteraction?: RecordInteraction | undefined;
  initial?: BrowseScreen;
}

export function BrowseShell({ items, header, banner, onExit, speech, ratings, now, onInteraction, initial }: BrowseShellProps) {
  const [screen, setScreen] = useState<BrowseScreen>(initial ?? { name: 'tiles' });
  const [textSize, setTextSize] = useState<TextSize>(1);
  const [contrast, setContrast] = useState(false);

  const open = (item: PlaylistItem): void => {
    if (screen.name === 'detail') return;
    onInteraction?.({ action: 'opened', noticeId: item.noticeId, contentHash: item.contentHash });
    setScreen({ name: 'detail', noticeId: item.noticeId, from: screen });
  };
  const back = (): void => {
    if (screen.name === 'detail') setScreen(screen.from);
    else if (screen.name === 'tiles') onExit();
    else setScreen({ name: 'tiles' });
  };

  let content: ComponentChildren;
  switch (screen.name) {
    case 'tiles':
      content = (
        <CategoryTiles
          items={items}
          onPick={(category) => setScreen({ name: 'list', category })}
          onSearch={() => setScreen({ name: 'search', query: '' })}
        />
      );
      break;
    case 'list':
      content = <CategoryList items={items} category={screen.category} onOpen={open} />;
      break;
    case 'search':
      content = <SearchScreen items={items} query={screen.query} onQuery={(query) => setScreen({ name: 'search', query })} onOpen={open} />;
      break;
    case 'detail': {
      const item = items.find((i) => i.noticeId === screen.noticeId);
      content = item ? (
        <Detail
          key={`${item.noticeId}:${item.contentHash}`}
          item={item}
          textSize={textSize}
          onTextSize={setTextSize}
          contrast={contrast}
          onContrast={setContrast}
          speech={speech}
          ratings={ratings}
          now={now}
          onInteraction={onInteraction}
        />
      ) : (
        <section class="kiosk-nothing" aria-live="polite">
          <p class="kiosk-nothing-title">公告已撤下</p>
          <p class="kiosk-nothing-text">这条公告已经结束公示或被撤回，请查看其他公告。</p>
        </section>
      );
      break;
    }
  }

  return (
    <div
      class={`kiosk kiosk-browsing text-size-${textSize}${contrast ? ' contrast' : ''}${banner ? ' kiosk-warned' : ''}`}
      data-screen={screen.name}
    >
      {header}
      {banner}
      <main class="kiosk-main browse-main">{content}</main>
      <nav class="browse-bar" aria-label="浏览">
        <button type="button" class="action" onClick={back}>
          ‹ 返回
        </button>
        <button
          type="button"
          class="action"
          aria-current={screen.name === 'tiles' ? 'page' : undefined}
          onClick={() => setScreen({ name: 'tiles' })}
        >
          公告分类
        </button>
        <button
          type="button"
          class="action"
          aria-current={screen.name === 'search' ? 'page' : undefined}
          onClick={() => setScreen({ name: 'search', query: '' })}
        >
          搜索
        </button>
        <button type="button" class="action action-primary" onClick={onExit}>
          结束查看
        </button>
      </nav>
    </div>
  );
}
