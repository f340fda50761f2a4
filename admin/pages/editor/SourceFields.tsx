import { DOC_TYPES, KEY_AREAS, type DocType, type HolidayCalendar, disclosureDeadline, isCivilDate, keyAreaLabel } from '@protocol';
import { CategorySelect } from '../../components/CategorySelect';
import { FieldError, describe, fieldErrorFor } from '../../components/Feedback';
import { useI18n } from '../../i18n';
import type { DraftFieldsProps } from './types';

export interface SourceFieldsProps extends DraftFieldsProps {
  calendar: HolidayCalendar;
  /** The town's issuing body, used when the field is left empty. */
  townIssuer: string;
}

/** Category, 重点领域, 文号 and 文件类型, issuing body and the formed date that starts the 20-working-day clock. */
export function SourceFields({ draft, update, failure, calendar, townIssuer }: SourceFieldsProps) {
  const { t, locale } = useI18n();
  const e = t.editor;
  const categoryError = fieldErrorFor(failure, 'category');
  const docError = fieldErrorFor(failure, 'docNumber');
  const docTypeError = fieldErrorFor(failure, 'docType');
  const issuerError = fieldErrorFor(failure, 'issuer');
  const formedError = fieldErrorFor(failure, 'formedOn');
  const deadline = isCivilDate(draft.formedOn) ? disclosureDeadline(calendar, draft.formedOn) : null;
  return (
    <fieldset class="group">
      <legend>{e.sections.source}</legend>
      <div class="row">
        <div class="field">
          <label for="notice-category">{e.category}</label>
          <CategorySelect
            id="notice-category"
            value={draft.category}
            onChange={(category) => category && update({ category })}
            {...describe('notice-category', categoryError)}
          />
          <FieldError id="notice-category-error" message={categoryError} />
        </div>
        <div class="field">
          <label for="notice-doc-number">{e.docNumber}</label>
          <input
            id="notice-doc-number"
            maxLength={60}
            value={draft.docNumber}
            placeholder={e.docNumberHint}
            onInput={(ev) => update({ docNumber: ev.currentTarget.value })}
            {...describe('notice-doc-number', docError)}
          />
          <FieldError id="notice-doc-number-error" message={docError} />
        </div>
        <div class="field">
          <label for="notice-doc-type">{e.docType}</label>
          <select
            id="notice-doc-type"
            value={draft.docType}
            onChange={(ev) => update({ docType: ev.currentTarget.value as DocType | '' })}
            {...describe('notice-doc-type', docTypeError)}
          >
            <option value="">{e.docTypes.none}</option>
            {DOC_TYPES.map((type) => (
              <option key={type} value={type}>
                {e.docTypes[type]}
              </option>
            ))}
          </select>
          <FieldError id="notice-doc-type-error" message={docTypeError} />
        </div>
      </div>
      <fieldset class="field inner">
        <legend>{e.keyAreas}</legend>
        <div class="choices">
          {KEY_AREAS.map((area) => (
            <label class="choice" key={area}>
              <input
                type="checkbox"
                checked={draft.keyAreas.includes(area)}
                onChange={(ev) =>
                  update({ keyAreas: ev.currentTarget.checked ? [...draft.keyAreas, area] : draft.keyAreas.filter((a) => a !== area) })
                }
              />
              {keyAreaLabel(area, locale)}
            </label>
          ))}
        </div>
      </fieldset>
      <div class="row">
        <div class="field">
          <label for="notice-issuer">{e.issuer}</label>
          <input
            id="notice-issuer"
            maxLength={60}
            value={draft.issuer}
            placeholder={townIssuer}
            onInput={(ev) => update({ issuer: ev.currentTarget.value })}
            {...describe('notice-issuer', issuerError, true)}
          />
          <p class="hint" id="notice-issuer-hint">
            {e.issuerHint(townIssuer)}
          </p>
          <FieldError id="notice-issuer-error" message={issuerError} />
        </div>
        <div class="field">
          <label for="notice-formed-on">{e.formedOn}</label>
          <input
            id="notice-formed-on"
            type="date"
            value={draft.formedOn}
            onInput={(ev) => update({ formedOn: ev.currentTarget.value })}
            {...describe('notice-formed-on', formedError, deadline !== null)}
          />
          {deadline && (
            <p class="hint" id="notice-formed-on-hint">
              {e.deadlineHint(deadline)}
            </p>
          )}
          <FieldError id="notice-formed-on-error" message={formedError} />
        </div>
      </div>
    </fieldset>
  );
}
