import type { StaffUser } from '@protocol';
import { useI18n } from '../i18n';
import { mayOpen } from '../lib/permissions';
import { SECTIONS, type Section } from '../lib/route';

export interface NavProps {
  user: StaffUser;
  current: Section;
  /** Notices waiting for this user's review, shown as a count. */
  reviewCount: number | null;
}

/** The main menu: plain links to `#section`, the current one marked with `aria-current`. */
export function Nav({ user, current, reviewCount }: NavProps) {
  const { t } = useI18n();
  const visible = SECTIONS.filter((s) => mayOpen(user, s));
  return (
    <nav class="nav" aria-label={t.nav.label}>
      {visible.map((section) => (
        <a
          key={section}
          href={`#${section}`}
          class={section === current ? 'nav-link active' : 'nav-link'}
          aria-current={section === current ? 'page' : undefined}
        >
          {t.nav[section]}
          {section === 'review' && reviewCount !== null && reviewCount > 0 && (
            <span class="count">
              {' '}
              {reviewCount}
              <span class="sr-only">{t.nav.pending}</span>
            </span>
          )}
        </a>
      ))}
    </nav>
  );
}
