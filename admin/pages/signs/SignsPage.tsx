import type { Failure, SignFrameView, SignProfile, SignView, StaffUser } from '@protocol';
import { useEffect, useState } from 'preact/hooks';
import { FailureMessage, Flash } from '../../components/Feedback';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { isAdmin } from '../../lib/permissions';
import { describeSign } from '../../lib/signDescription';
import { type SignsApi, createSignsApi } from '../../lib/signsApi';
import type { PageData } from '../../lib/useAdminData';
import { DotMatrix } from './DotMatrix';
import { RemoveSignDialog } from './RemoveSignDialog';
import { SignProfileDialog } from './SignProfileDialog';

export interface SignsPageProps {
  data: PageData<'town' | 'devices'>;
  user: StaffUser;
  signs?: SignsApi;
}

/** Replaces the sign with the same id, or adds it at the end. */
function upsert(list: SignView[] | null, sign: SignView): SignView[] {
  if (!list) return [sign];
  return list.some((x) => x.id === sign.id) ? list.map((x) => (x.id === sign.id ? sign : x)) : [...list, sign];
}

/** LED 屏: each sign's link, last ACK, what it shows (live dot matrix), error counts, and the admin's buttons. */
export function SignsPage({ data, user, signs }: SignsPageProps) {
  const { t } = useI18n();
  const s = t.signs;
  const [api] = useState(() => signs ?? createSignsApi());
  const [list, setList] = useState<SignView[] | null>(null);
  const [frames, setFrames] = useState<Record<string, SignFrameView>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [levels, setLevels] = useState<Record<string, number>>({});
  /** Saved profiles (admins only); the demo's emulated signs have none and cannot be edited or deleted here. */
  const [profiles, setProfiles] = useState<SignProfile[]>([]);
  const [editing, setEditing] = useState<SignProfile | 'new' | null>(null);
  const [removing, setRemoving] = useState<SignView | null>(null);
  /** The push connection dropped: what is shown may be stale until it reconnects. */
  const [offline, setOffline] = useState(false);
  const admin = isAdmin(user);

  const reload = async () => {
    const [listAck, profilesAck] = await Promise.all([api.list(), admin ? api.profiles() : Promise.resolve(null)]);
    if (listAck.ok) setList(listAck.data);
    else setFailure(listAck);
    if (profilesAck?.ok) setProfiles(profilesAck.data);
  };

  useEffect(() => {
    if (!admin) return;
    let alive = true;
    void api.profiles().then((ack) => {
      if (alive && ack.ok) setProfiles(ack.data);
    });
    return () => {
      alive = false;
    };
  }, [api, admin]);

  // The first list over HTTP, then pushes (at most one a second per sign) for as long as the page is open.
  useEffect(() => {
    let alive = true;
    void api.list().then((ack) => {
      if (!alive) return;
      if (ack.ok) setList((current) => current ?? ack.data);
      else setFailure(ack);
    });
    const stop = api.watch({
      snapshot: ({ signs: all, frames: now }) => {
        setList(all);
        setFrames(now);
        setOffline(false);
      },
      status: (sign) => setList((old) => upsert(old, sign)),
      frame: (id, frame) => setFrames((old) => ({ ...old, [id]: frame })),
      removed: (id) => {
        setList((old) => old?.filter((x) => x.id !== id) ?? old);
        setFrames((old) => Object.fromEntries(Object.entries(old).filter(([key]) => key !== id)));
      },
      offline: () => setOffline(true),
    });
    return () => {
      alive = false;
      stop();
    };
  }, [api]);

  const act = async (sign: SignView, label: string, call: () => ReturnType<SignsApi['clear']>) => {
    setFlash(null);
    setFailure(null);
    const ack = await call();
    if (!ack.ok) return setFailure(ack);
    setList((old) => (old ?? []).map((x) => (x.id === sign.id ? ack.data : x)));
    setFlash(s.done(sign.name, label));
  };

  const village = (id: string) => data.town?.villages.find((v) => v.id === id)?.name ?? id;
  const villages = data.town?.villages ?? [];
  const nodes = data.devices.filter((x) => x.kind === 'node' && x.revokedAt === null);
  const nodeOf = (sign: SignView) => (sign.nodeId === null ? null : (data.devices.find((x) => x.id === sign.nodeId) ?? null));

  return (
    <section aria-labelledby="signs-heading">
      <h1 id="signs-heading">{s.title}</h1>
      <p class="muted">{s.intro}</p>
      {admin && (
        <p>
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            {s.add}
          </button>
        </p>
      )}
      <Flash message={flash} />
      <FailureMessage failure={failure} />
      {offline && (
        <p class="note note-warn" role="status">
          {s.liveOffline}
        </p>
      )}
      {list === null && <p>{t.common.loading}</p>}
      {list?.length === 0 && <p>{s.none}</p>}
      <ul class="sign-list">
        {list?.map((sign) => {
          const frame = frames[sign.id];
          const level = levels[sign.id] ?? sign.brightness;
          const errors = sign.counters.nacks + sign.counters.timeouts + sign.counters.busy;
          const saved = profiles.find((p) => p.id === sign.id);
          const node = nodeOf(sign);
          return (
            <li key={sign.id} class="sign-card" data-sign={sign.id} data-node={sign.nodeId ?? undefined}>
              <h2>
                {sign.name} <span class="muted">· {village(sign.villageId)}</span>
              </h2>
              <p class={`sign-link sign-link-${sign.link}`}>
                <span aria-hidden="true">{sign.link === 'up' && sign.reachable ? '● ' : '○ '}</span>
                {s.link[sign.link]}
                {!sign.reachable && sign.link === 'up' && ` · ${s.silent}`}
                {sign.emulated && ` · ${s.emulated}`}
              </p>
              {sign.nodeId !== null && <p class="sign-driver">{s.viaNode(node?.name ?? sign.nodeId)}</p>}
              {node && !node.online && (
                <p class="note note-warn" data-node-offline={node.id}>
                  {s.nodeOffline(node.name)}
                </p>
              )}
              {frame ? <DotMatrix frame={frame} label={s.showing(sign.name)} /> : <p class="led-text">…</p>}
              <dl class="sign-facts">
                <dt>{s.current}</dt>
                <dd>
                  {sign.showing ? `${sign.showing.text} (${s.proof[sign.showing.proof]})` : s.blank}
                  {sign.pending && (
                    <span class="sign-pending">
                      {' · '}
                      {sign.pending.change === 'clear' ? s.pendingClear : s.pendingShow(sign.pending.text)}
                    </span>
                  )}
                </dd>
                <dt>{s.lastAck}</dt>
                <dd>{sign.lastAckAt ? formatDateTime(sign.lastAckAt) : '—'}</dd>
                <dt>{s.errors}</dt>
                <dd>{s.errorCounts(errors, sign.counters.retries, sign.counters.reconnects)}</dd>
                <dt>{s.device}</dt>
                <dd>{describeSign(t, sign)}</dd>
                {sign.lastError && (
                  <>
                    <dt>{s.lastError}</dt>
                    <dd>{sign.lastError.message}</dd>
                  </>
                )}
                {sign.refused.length > 0 && (
                  <>
                    <dt>{s.refused}</dt>
                    <dd>{sign.refused.map((r) => r.chars.join('')).join('、')}</dd>
                  </>
                )}
              </dl>
              {admin && sign.nodeId !== null && <p class="hint">{s.nodeDriven}</p>}
              {admin && (
                <div class="sign-actions" role="group" aria-label={s.actions(sign.name)}>
                  <button type="button" onClick={() => void act(sign, s.testPattern, () => api.testPattern(sign.id))}>
                    {s.testPattern}
                  </button>
                  <label>
                    {s.brightness}{' '}
                    <input
                      type="number"
                      min={0}
                      max={15}
                      value={level}
                      onInput={(e) => setLevels({ ...levels, [sign.id]: Number((e.target as HTMLInputElement).value) })}
                    />
                  </label>
                  <button type="button" onClick={() => void act(sign, s.brightness, () => api.brightness(sign.id, level))}>
                    {s.setBrightness}
                  </button>
                  <button type="button" onClick={() => void act(sign, sign.power ? s.off : s.on, () => api.power(sign.id, !sign.power))}>
                    {sign.power ? s.off : s.on}
                  </button>
                  <button type="button" onClick={() => void act(sign, s.clear, () => api.clear(sign.id))}>
                    {s.clear}
                  </button>
                  <button type="button" onClick={() => void act(sign, s.resend, () => api.resend(sign.id))}>
                    {s.resend}
                  </button>
                  {saved && (
                    <>
                      <button type="button" onClick={() => setEditing(saved)}>
                        {s.edit}
                      </button>
                      <button type="button" class="danger" onClick={() => setRemoving(sign)}>
                        {s.remove}
                      </button>
                    </>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {editing !== null && (
        <SignProfileDialog
          profile={editing === 'new' ? null : editing}
          villages={villages}
          nodes={nodes}
          save={(body) => (editing === 'new' ? api.create(body) : api.saveProfile(editing.id, body))}
          onDone={(profile) => {
            setEditing(null);
            setFlash(s.profile.saved(profile.name));
            void reload();
          }}
          onClose={() => setEditing(null)}
        />
      )}
      {removing !== null && (
        <RemoveSignDialog
          name={removing.name}
          remove={() => api.remove(removing.id)}
          onDone={() => {
            setFlash(s.profile.removed(removing.name));
            setRemoving(null);
            void reload();
          }}
          onClose={() => setRemoving(null)}
        />
      )}
    </section>
  );
}
