/**
 * One logger interface for the whole controller, namespaced and injected.
 * Debug messages may be passed as functions so they cost nothing when off.
 * Every entry is scrubbed of known secret shapes before it reaches a sink.
 */
import { scrubFields, scrubText } from './logScrub.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Message = string | (() => string);

export interface Logger {
  readonly namespace: string;
  debug(message: Message, fields?: Record<string, unknown>): void;
  info(message: Message, fields?: Record<string, unknown>): void;
  warn(message: Message, fields?: Record<string, unknown>): void;
  error(message: Message, fields?: Record<string, unknown>): void;
  /** A logger for a part of this one: `controller` → `controller:http`. */
  child(name: string): Logger;
}

export interface LogEntry {
  time: number;
  level: Exclude<LogLevel, 'silent'>;
  namespace: string;
  message: string;
  fields?: Record<string, unknown>;
}

export type LogSink = (entry: LogEntry) => void;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Writes one human-readable line per entry to stderr (errors, warnings) or stdout. */
export const consoleSink: LogSink = (entry) => {
  const fields = entry.fields && Object.keys(entry.fields).length > 0 ? ` ${safeJson(entry.fields)}` : '';
  const line = `${new Date(entry.time).toISOString()} ${entry.level.toUpperCase().padEnd(5)} ${entry.namespace} ${entry.message}${fields}\n`;
  (entry.level === 'error' || entry.level === 'warn' ? process.stderr : process.stdout).write(line);
};

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v));
  } catch {
    return '[unserialisable fields]';
  }
}

export function createLogger(options: {
  level: LogLevel;
  sink?: LogSink;
  namespace?: string;
  now?: () => number;
  /** Scrub known secret shapes (default true). Tests turn it off to prove nothing secret is logged in the first place. */
  scrub?: boolean;
}): Logger {
  const sink = options.sink ?? consoleSink;
  const now = options.now ?? Date.now;
  const threshold = RANK[options.level];
  const scrub = options.scrub ?? true;
  const make = (namespace: string): Logger => {
    const emit = (level: LogEntry['level'], message: Message, fields?: Record<string, unknown>): void => {
      if (RANK[level] < threshold) return;
      const raw = typeof message === 'function' ? message() : message;
      const text = scrub ? scrubText(raw) : raw;
      sink(
        fields
          ? { time: now(), level, namespace, message: text, fields: scrub ? scrubFields(fields) : fields }
          : { time: now(), level, namespace, message: text },
      );
    };
    return {
      namespace,
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (name) => make(`${namespace}:${name}`),
    };
  };
  return make(options.namespace ?? 'controller');
}
