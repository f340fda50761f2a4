/** The on-screen keyboard for search: digits and the letters of pinyin initials. No physical keyboard is needed. */

const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'] as const;

export interface KeyboardProps {
  onKey: (key: string) => void;
  onBackspace: () => void;
  onClear: () => void;
}

export function Keyboard({ onKey, onBackspace, onClear }: KeyboardProps) {
  return (
    <div class="keyboard" role="group" aria-label="屏幕键盘">
      {ROWS.map((row, r) => (
        <div class="keyboard-row" key={row}>
          {[...row].map((key) => (
            <button type="button" class="key" key={key} onClick={() => onKey(key)}>
              {key.toUpperCase()}
            </button>
          ))}
          {r === 2 && (
            <button type="button" class="key key-wide" onClick={onBackspace}>
              删除
            </button>
          )}
          {r === 3 && (
            <button type="button" class="key key-wide" onClick={onClear}>
              清空
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
