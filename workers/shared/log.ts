/** Structured JSON logs, one object per line; never pass personal data (phones, addresses) in fields. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/**
 * Counts routine requests by a key and writes one line per window instead of one per request:
 * refusals a sold-out crowd makes by the thousand (AppError.routine), and fast successful reads —
 * a JSON log line costs more CPU than a cached read itself. The platform's own request logs still
 * see every request. The line for a window is written by the first count after it closed, so the
 * last window before an idle spell waits for the next count.
 */
export class Tally {
  private counts = new Map<string, number>();
  private since = 0;
  constructor(
    private readonly log: Logger,
    private readonly msg: string,
    private readonly windowMs = 10_000,
  ) {}

  count(key: string, now = Date.now()): void {
    if (!this.since) this.since = now;
    else if (now - this.since >= this.windowMs) {
      this.log.info(this.msg, { windowMs: now - this.since, counts: Object.fromEntries(this.counts) });
      this.counts.clear();
      this.since = now;
    }
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}

export function createLogger(base: Record<string, unknown> = {}): Logger {
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...base, ...fields });
    if (level === 'error') console.error(line);
    else if (level === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
}
