import type { DisplayRecord, DisplaysRecorded, Failure } from '@protocol';
import { useCallback, useState } from 'preact/hooks';
import type { AdminApi } from '../api';
import { prependRecords } from '../collections';

/** The latest display records, newest first. */
export interface RecordsData {
  records: DisplayRecord[];
}

/** The display records: `load` for the snapshot, `recorded` for a live batch. */
export function useRecords(api: AdminApi): {
  records: DisplayRecord[];
  load: () => Promise<Failure | null>;
  recorded: (batch: DisplaysRecorded) => void;
} {
  const [records, setRecords] = useState<DisplayRecord[]>([]);

  /** The snapshot replaces the list. */
  const load = useCallback(async (): Promise<Failure | null> => {
    const ack = await api.records(100);
    if (!ack.ok) return ack;
    setRecords(ack.data);
    return null;
  }, [api]);

  const refill = useCallback(async () => {
    const ack = await api.records(100);
    // Merged, not replaced: a live batch that arrived while this request was out must stay in the list.
    if (ack.ok) setRecords((list) => prependRecords(list, ack.data));
  }, [api]);

  const recorded = useCallback(
    (batch: DisplaysRecorded) => {
      setRecords((list) => prependRecords(list, batch.records));
      // The controller left some of that second's records out (a storm): the list has a hole, fetch it again.
      if (batch.dropped > 0) void refill();
    },
    [refill],
  );

  return { records, load, recorded };
}
