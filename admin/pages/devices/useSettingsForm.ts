/**
 * The shape every town settings form shares (设备设置, 预警显示): boxes of text filled from the loaded settings
 * (until the user types), parsed into the request on submit with each bad box named, saved, and a short note
 * once saved. Each form keeps only its boxes, its parser and its layout.
 */
import type { Ack, Failure } from '@protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TownSettings } from '../../lib/api';

/** The boxes as the request, or the failure naming each box that does not hold what it should. */
export type SettingsParse<Body> = { ok: true; value: Body } | { ok: false; failure: Failure };

export interface SettingsForm<Texts> {
  texts: Texts;
  /** A change the user typed: from now on the loaded settings no longer overwrite the boxes. */
  set: (change: (texts: Texts) => Texts) => void;
  busy: boolean;
  failure: Failure | null;
  /** The saved note, until the next change. */
  done: string | null;
  onSubmit: (event: Event) => Promise<void>;
}

export function useSettingsForm<Texts, Body>(props: {
  /** The town's settings as loaded; null while loading. */
  settings: TownSettings | null;
  textsOf: (settings: TownSettings | null) => Texts;
  parse: (texts: Texts) => SettingsParse<Body>;
  save: (body: Body) => Promise<Ack<TownSettings>>;
  onSaved: (settings: TownSettings) => void;
  /** The note shown once saved. */
  saved: string;
}): SettingsForm<Texts> {
  const { settings, textsOf, parse, save, onSaved, saved } = props;
  const [texts, setTexts] = useState<Texts>(() => textsOf(settings));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState<string | null>(null);

  // The settings arrive after the first render; boxes the user has not touched take them.
  const touched = useRef(false);
  useEffect(() => {
    if (!touched.current) setTexts(textsOf(settings));
  }, [settings, textsOf]);

  const set = (change: (texts: Texts) => Texts): void => {
    touched.current = true;
    setDone(null);
    setTexts(change);
  };

  const onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const parsed = parse(texts);
    if (!parsed.ok) return setFailure(parsed.failure);
    setBusy(true);
    const ack = await save(parsed.value);
    setBusy(false);
    if (!ack.ok) return setFailure(ack);
    setFailure(null);
    touched.current = false;
    setDone(saved);
    onSaved(ack.data);
  };

  return { texts, set, busy, failure, done, onSubmit };
}
