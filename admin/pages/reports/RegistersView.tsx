import type { Village } from '@protocol';
import { useState } from 'preact/hooks';
import { Flash } from '../../components/Feedback';
import { useI18n } from '../../i18n';
import type { ReportsApi } from '../../lib/reportsApi';
import { ApplicationsRegister } from './ApplicationsRegister';
import { CasesRegister } from './CasesRegister';

/** 依申请公开 and 复议/诉讼 registers: the sources of tables T3 and T4, each with its own form and list. */
export function RegistersView({ api, villages = [] }: { api: ReportsApi; villages?: readonly Village[] }) {
  const { t } = useI18n();
  const [flash, setFlash] = useState<string | null>(null);
  const saved = (): void => setFlash(t.ledgerReports.registers.saved);
  return (
    <div class="registers">
      <Flash message={flash} />
      <ApplicationsRegister api={api} onSaved={saved} villages={villages} />
      <CasesRegister api={api} onSaved={saved} villages={villages} />
    </div>
  );
}
