import { DOC_TYPES, KEY_AREAS, type DocType, type HolidayCalendar, disclosureDeadline, isCivilDate, keyAreaLabel } from '@protocol';
import { CategorySelect } from '../../components/CategorySelect';
import { fieldErrorFor } from '../../components/Feedback';
import { Field, FieldSet } from '../../components/Field';
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
        <Field id="notice-category" label={e.category} error={categoryError}>
          {(control) => <CategorySelect {...control} value={draft.category} onChange={(category) => category && update({ category })} />}
        </Field>
        <Field id="notice-doc-number" label={e.docNumber} error={docError}>
          {(control) => (
            <input
              {...control}
              maxLength={60}
              value={draft.docNumber}
              placeholder={e.docNumberHint}
              onInput={(ev) => update({ docNumber: ev.currentTarget.value })}
            />
          )}
        </Field>
        <Field id="notice-doc-type" label={e.docType} error={docTypeError}>
          {(control) => (
            <select {...control} value={draft.docType} onChange={(ev) => update({ docType: ev.currentTarget.value as DocType | '' })}>
              <option value="">{e.docTypes.none}</option>
              {DOC_TYPES.map((type) => (
                <option key={type} value={type}>
                  {e.docTypes[type]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <FieldSet id="notice-key-areas" class="field inner" legend={e.keyAreas} error={fieldErrorFor(failure, 'keyAreas')} path="keyAreas">
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
      </FieldSet>
      <div class="row">
        <Field id="notice-issuer" label={e.issuer} hint={e.issuerHint(townIssuer)} error={issuerError}>
          {(control) => (
            <input
              {...control}
              maxLength={60}
              value={draft.issuer}
              placeholder={townIssuer}
              onInput={(ev) => update({ issuer: ev.currentTarget.value })}
            />
          )}
        </Field>
        <Field id="notice-formed-on" label={e.formedOn} hint={deadline ? e.deadlineHint(deadline) : null} error={formedError}>
          {(control) => (
            <input {...control} type="date" value={draft.formedOn} onInput={(ev) => update({ formedOn: ev.currentTarget.value })} />
          )}
        </Field>
      </div>
    </fieldset>
  );
}
