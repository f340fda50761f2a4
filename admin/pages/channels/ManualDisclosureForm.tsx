import {
  CATEGORIES,
  type CategoryCode,
  type Failure,
  KEY_AREAS,
  type KeyArea,
  MANUAL_CHANNELS,
  type ManualChannel,
  type ManualDisclosure,
  type Village,
  PHOTO_MAX_BYTES,
  PHOTO_TYPES,
  REGULATIONS_IN_FORCE,
  categoryLabel,
  civilDateOf,
  keyAreaLabel,
} from '@protocol';
import { useState } from 'preact/hooks';
import { FailureMessage, Flash, fieldErrorFor } from '../../components/Feedback';
import { Field, FieldSet } from '../../components/Field';
import { useI18n } from '../../i18n';
import type { ReportsApi } from '../../lib/reportsApi';
import { VillageSelect } from '../../components/VillageSelect';

export interface ManualDisclosureFormProps {
  api: ReportsApi;
  /** The villages the user may record for. */
  villages: readonly Village[];
  /** The user is limited to those villages: one of them must be chosen (the whole town is not theirs). */
  limited?: boolean;
  /** A disclosure the controller has just recorded. */
  onRecorded: (entry: ManualDisclosure) => void;
}

const today = (): string => civilDateOf(Date.now());

/** Records one disclosure made outside the system: channel, title, date, village, category, key areas, photo, note. */
export function ManualDisclosureForm({ api, villages, limited = false, onRecorded }: ManualDisclosureFormProps) {
  const { t, locale } = useI18n();
  const c = t.ledgerReports.channels;
  const [channel, setChannel] = useState<ManualChannel>('board');
  const [title, setTitle] = useState('');
  const [chosenVillage, setVillageId] = useState('');
  // A user limited to one village records for it; to several, they choose.
  const villageId = chosenVillage !== '' ? chosenVillage : limited && villages.length === 1 ? (villages[0]?.id ?? '') : '';
  const [mustChoose, setMustChoose] = useState(false);
  const [category, setCategory] = useState<CategoryCode | ''>('');
  const [keyAreas, setKeyAreas] = useState<KeyArea[]>([]);
  const [disclosedOn, setDisclosedOn] = useState(today);
  const [note, setNote] = useState('');
  const [lateReason, setLateReason] = useState('');
  const [photo, setPhoto] = useState<string | null>(null);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onPhoto = async (file: File | undefined): Promise<void> => {
    setPhoto(null);
    setPhotoError(null);
    if (!file) return;
    if (file.size > PHOTO_MAX_BYTES) return setPhotoError(c.photoTooBig);
    if (!(PHOTO_TYPES as readonly string[]).includes(file.type)) return setPhotoError(c.photo);
    const ack = await api.uploadPhoto(file);
    if (ack.ok) setPhoto(ack.data.sha256);
    else setPhotoError(ack.fields?.photo ?? ack.message);
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setFlash(null);
    if (limited && villageId === '') return setMustChoose(true);
    setBusy(true);
    const ack = await api.recordManual({
      channel,
      title,
      villageId: villageId || null,
      category: category || null,
      keyAreas,
      disclosedOn,
      photo,
      note,
      ...(lateReason.trim() ? { lateReason } : {}),
    });
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    setFailure(null);
    setFlash(c.saved);
    setTitle('');
    setNote('');
    setLateReason('');
    setPhoto(null);
    onRecorded(ack.data);
  };

  const err = (field: string): string | null => fieldErrorFor(failure, field);
  return (
    <form class="card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="channel-form-heading">
      <h2 id="channel-form-heading">{c.add}</h2>
      <div class="row">
        <Field id="mc-channel" label={c.channel} error={err('channel')}>
          {(control) => (
            <select {...control} value={channel} onChange={(e) => setChannel(e.currentTarget.value as ManualChannel)}>
              {MANUAL_CHANNELS.map((ch) => (
                <option key={ch} value={ch}>
                  {c.names[ch]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="mc-title" label={c.title} error={err('title')} class="wide">
          {(control) => <input {...control} value={title} maxLength={200} onInput={(e) => setTitle(e.currentTarget.value)} />}
        </Field>
        <Field id="mc-date" label={c.disclosedOn} error={err('disclosedOn')}>
          {(control) => (
            <input
              {...control}
              type="date"
              min={REGULATIONS_IN_FORCE}
              max={today()}
              value={disclosedOn}
              onInput={(e) => setDisclosedOn(e.currentTarget.value)}
            />
          )}
        </Field>
      </div>
      <div class="row">
        <Field id="mc-village" label={c.village} error={mustChoose ? t.ledgerReports.reports.chooseVillageError : err('villageId')}>
          {(control) => (
            <VillageSelect
              {...control}
              value={villageId}
              onChange={(id) => {
                setVillageId(id);
                setMustChoose(false);
              }}
              villages={villages}
              emptyLabel={limited ? t.ledgerReports.reports.chooseVillage : c.town}
            />
          )}
        </Field>
        <Field id="mc-category" label={c.category}>
          {(control) => (
            <select {...control} value={category} onChange={(e) => setCategory(e.currentTarget.value as CategoryCode | '')}>
              <option value="">{c.none}</option>
              {CATEGORIES.map((cat) => (
                <option key={cat.code} value={cat.code}>
                  {categoryLabel(cat.code, locale)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <FieldSet id="mc-key-areas" class="field" legend={c.keyAreas} error={err('keyAreas')} path="keyAreas">
        <div class="checks">
          {KEY_AREAS.map((area) => (
            <label key={area} class="check">
              <input
                type="checkbox"
                checked={keyAreas.includes(area)}
                onChange={(e) => setKeyAreas(e.currentTarget.checked ? [...keyAreas, area] : keyAreas.filter((a) => a !== area))}
              />{' '}
              {keyAreaLabel(area, locale)}
            </label>
          ))}
        </div>
      </FieldSet>
      <div class="row">
        <Field id="mc-photo" label={c.photo} hint={photo ? c.photoUploaded : null} error={photoError ?? err('photo')} class="wide">
          {(control) => (
            <input {...control} type="file" accept={PHOTO_TYPES.join(',')} onChange={(e) => void onPhoto(e.currentTarget.files?.[0])} />
          )}
        </Field>
        <Field id="mc-note" label={c.note} error={err('note')} class="wide">
          {(control) => <input {...control} value={note} maxLength={500} onInput={(e) => setNote(e.currentTarget.value)} />}
        </Field>
        <Field id="mc-late" label={c.lateReason} hint={c.lateHint} error={err('lateReason')} class="wide">
          {(control) => <input {...control} value={lateReason} maxLength={300} onInput={(e) => setLateReason(e.currentTarget.value)} />}
        </Field>
      </div>
      <p class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {c.save}
        </button>
      </p>
      <FailureMessage failure={failure} />
      <Flash message={flash} />
    </form>
  );
}
