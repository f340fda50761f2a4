import {
  CATEGORIES,
  type CategoryCode,
  type Failure,
  KEY_AREAS,
  type KeyArea,
  MANUAL_CHANNELS,
  type ManualChannel,
  type ManualDisclosure,
  PHOTO_MAX_BYTES,
  PHOTO_TYPES,
  REGULATIONS_IN_FORCE,
  categoryLabel,
  keyAreaLabel,
} from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { FailureMessage, Flash, fieldErrorFor } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { type ReportsApi, createReportsApi } from '../../lib/reportsApi';
import type { PageProps } from '../types';

export interface ChannelsPageProps extends Pick<PageProps, 'data'> {
  reports?: ReportsApi;
}

const today = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** 其他渠道公开: record a posting on the paper board (with a photo), a WeChat post, the website or a broadcast. */
export function ChannelsPage({ data, reports }: ChannelsPageProps) {
  const { t, locale } = useI18n();
  const c = t.ledgerReports.channels;
  const [api] = useState(() => reports ?? createReportsApi());
  const [entries, setEntries] = useState<ManualDisclosure[]>([]);
  const [channel, setChannel] = useState<ManualChannel>('board');
  const [title, setTitle] = useState('');
  const [villageId, setVillageId] = useState('');
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
  const villages = data.town?.villages ?? [];

  const load = async (): Promise<void> => {
    const ack = await api.manual();
    if (ack.ok) setEntries(ack.data);
  };
  useEffect(() => void load(), [api]);

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
    setBusy(true);
    setFlash(null);
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
    setEntries([ack.data, ...entries]);
  };

  const err = (field: string): string | null => fieldErrorFor(failure, field);
  const villageName = (id: string | null): string => (id ? (villages.find((v) => v.id === id)?.name ?? id) : c.town);
  return (
    <section aria-labelledby="channels-heading">
      <div class="section-head">
        <h1 id="channels-heading">{c.heading}</h1>
      </div>
      <p class="hint">{c.intro}</p>
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
          <Field id="mc-village" label={c.village} error={err('villageId')}>
            {(control) => (
              <select {...control} value={villageId} onChange={(e) => setVillageId(e.currentTarget.value)}>
                <option value="">{c.town}</option>
                {villages.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name}
                  </option>
                ))}
              </select>
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
        <fieldset class="field">
          <legend>{c.keyAreas}</legend>
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
        </fieldset>
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
      <h2>{c.list}</h2>
      {entries.length === 0 ? (
        <p class="empty">{c.empty}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{c.disclosedOn}</th>
                <th scope="col">{c.recordedAt}</th>
                <th scope="col">{c.channel}</th>
                <th scope="col">{c.title}</th>
                <th scope="col">{c.village}</th>
                <th scope="col">{c.photo}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.entryId}>
                  <td class="nowrap">{e.disclosedOn}</td>
                  <td class="nowrap" data-late={e.late ? 'true' : undefined}>
                    {formatDateTime(e.recordedAt)}
                    {e.late && <span class="hint"> {c.late(e.late.days, e.late.reason)}</span>}
                  </td>
                  <td class="nowrap">{c.names[e.channel]}</td>
                  <td>{e.title}</td>
                  <td class="nowrap">{villageName(e.villageId)}</td>
                  <td>
                    {e.photo ? (
                      <a href={api.links.photo(e.photo.sha256)} target="_blank" rel="noopener">
                        {c.viewPhoto}
                      </a>
                    ) : (
                      c.none
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
