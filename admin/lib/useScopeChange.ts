import { useEffect, useRef } from 'preact/hooks';

/**
 * Runs `onChange` when an admin changes the signed-in user's villages while a page is open (`access:changed`), not
 * on the page's first render: the page drops a choice that is no longer the user's.
 */
export function useScopeChange(scope: readonly string[] | null, onChange: () => void): void {
  const key = scope === null ? '*' : scope.join(',');
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    onChange();
  }, [key]);
}
