import type { Logger } from 'pino';
import type { AudienceScope } from '../policy/audience.policy.ts';
import { EVENTS_CHANNEL, type EventRepository, type LiveEventRow } from '../repositories/event.repository.ts';
import { NotificationListener } from '../search/notification.listener.ts';
import { frameOf, reaches, sseMessage, type Frame, type Watch } from './live-event.ts';

/**
 * One per API process: reads new live events once (woken by LISTEN events, with a slow poll as a safety net) and fans
 * each out to the streams connected to this process whose watch and viewer it matches. Ids are gap free in commit order
 * (migration 20261206600001), so "everything after the last id I sent" is exact: a stream resuming with Last-Event-ID —
 * here or on another process, before or after a restart — replays from the table, then continues live, with nothing
 * missing and nothing twice. Too far behind (older than the kept window, or too many to replay) → one "reload" event.
 */

export interface LiveHubOptions {
  /** LISTEN on this database (omit: poll only) */
  listenUrl?: string;
  /** safety-net poll while LISTEN is down or a notification was missed */
  pollMs: number;
  heartbeatMs: number;
  /** at most this many events are replayed on resume; more → reload */
  replayMax: number;
  /** events older than this are purged (the replay window) */
  retainSeconds: number;
  /** a stream whose unsent output grows past this is closed (its client resumes where it was) */
  maxBufferedBytes: number;
}

export const DEFAULT_LIVE_OPTIONS: LiveHubOptions = {
  pollMs: 2000,
  heartbeatMs: 15_000,
  replayMax: 1000,
  retainSeconds: 24 * 3600,
  maxBufferedBytes: 1 << 20,
};

export interface StreamSink {
  /** writes an SSE chunk; false when the socket's buffer is full */
  write(text: string): boolean;
  bufferedBytes(): number;
  close(): void;
}

interface Stream {
  watch: Watch;
  scope: AudienceScope;
  sink: StreamSink;
  /** id of the last event this stream has been brought up to (sent or skipped) */
  lastId: bigint;
  /** while replaying, live events wait here */
  pending: { row: LiveEventRow; frame: Frame | undefined }[] | null;
}

const BATCH = 500;

export class LiveHub {
  readonly #events: EventRepository;
  readonly #logger: Pick<Logger, 'info' | 'warn'>;
  readonly #options: LiveHubOptions;
  readonly #streams = new Set<Stream>();
  #cursor = 0n;
  #started: Promise<void> | undefined;
  #listener: NotificationListener | undefined;
  #timers: NodeJS.Timeout[] = [];
  #reading: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(events: EventRepository, logger: Pick<Logger, 'info' | 'warn'>, options: Partial<LiveHubOptions> = {}) {
    this.#events = events;
    this.#logger = logger;
    this.#options = { ...DEFAULT_LIVE_OPTIONS, ...options };
  }

  get size(): number {
    return this.#streams.size;
  }

  /** Starts on first use: processes (and tests) that never stream open no LISTEN connection. */
  start(): Promise<void> {
    this.#started ??= (async () => {
      this.#cursor = BigInt((await this.#events.bounds()).maxId);
      if (this.#options.listenUrl) {
        this.#listener = new NotificationListener({
          url: this.#options.listenUrl,
          channel: EVENTS_CHANNEL,
          onNotify: () => this.poke(),
          onConnect: () => this.poke(),
          logger: this.#logger,
          options: { applicationName: 'hexhood-live-listener' },
        });
        await this.#listener.start();
      }
      this.#timers.push(setInterval(() => this.poke(), this.#options.pollMs).unref());
      this.#timers.push(setInterval(() => this.#heartbeat(), this.#options.heartbeatMs).unref());
      this.#timers.push(
        setInterval(() => {
          this.#events.purgeOlderThan(this.#options.retainSeconds).catch(() => undefined);
        }, 600_000).unref(),
      );
    })();
    return this.#started;
  }

  /** Ends every stream (shutdown); clients reconnect elsewhere with their Last-Event-ID. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearInterval(t);
    for (const s of this.#streams) s.sink.close();
    this.#streams.clear();
    await this.#listener?.stop();
    await this.#reading?.catch(() => undefined);
  }

  /** Reads what is new (coalesced: one read at a time, one more if poked meanwhile). */
  poke(): void {
    if (this.#stopped) return;
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = (async () => {
      do {
        this.#again = false;
        try {
          await this.#drain();
        } catch (error) {
          this.#logger.warn({ err: (error as Error).message }, 'reading live events failed; the poll retries');
        }
      } while (this.#again && !this.#stopped);
    })().finally(() => {
      this.#reading = undefined;
    });
  }

  /** Resolves when what has been committed until now has been read and sent (tests, benchmarks). */
  async flush(): Promise<void> {
    await this.#reading;
    this.poke();
    await this.#reading;
  }

  async #drain(): Promise<void> {
    for (;;) {
      const rows = await this.#events.after(this.#cursor.toString(), BATCH);
      for (const row of rows) {
        const frame = frameOf(row);
        for (const stream of this.#streams) this.#deliver(stream, row, frame);
        this.#cursor = BigInt(row.id);
      }
      if (rows.length < BATCH) return;
    }
  }

  #deliver(stream: Stream, row: LiveEventRow, frame: Frame | undefined): void {
    if (stream.pending) {
      stream.pending.push({ row, frame });
      return;
    }
    const id = BigInt(row.id);
    if (id <= stream.lastId) return;
    stream.lastId = id;
    if (frame && reaches(row, stream.watch, stream.scope)) this.#write(stream, frame.text);
  }

  #write(stream: Stream, text: string): void {
    stream.sink.write(text);
    if (stream.sink.bufferedBytes() > this.#options.maxBufferedBytes) {
      this.#logger.warn({ buffered: stream.sink.bufferedBytes() }, 'closing a live stream that does not keep up');
      this.#drop(stream);
    }
  }

  #drop(stream: Stream): void {
    this.#streams.delete(stream);
    stream.sink.close();
  }

  #heartbeat(): void {
    for (const s of this.#streams) if (!s.pending) this.#write(s, ': heartbeat\n\n');
  }

  /**
   * Connects a stream. Without lastEventId it starts live, and its first message ("ready") carries the current id so a
   * reconnect can resume from there. With one it replays what came after (or says "reload"), then continues live.
   * Returns the function that disconnects it.
   */
  async open(watch: Watch, scope: AudienceScope, sink: StreamSink, lastEventId?: string): Promise<() => void> {
    await this.start();
    const stream: Stream = { watch, scope, sink, lastId: this.#cursor, pending: lastEventId === undefined ? null : [] };
    this.#streams.add(stream);
    const close = () => {
      this.#streams.delete(stream);
    };
    sink.write(`retry: 2000\n\n`);
    if (lastEventId === undefined) {
      sink.write(sseMessage(String(stream.lastId), 'ready', { lastEventId: String(stream.lastId) }));
      return close;
    }
    try {
      await this.#replay(stream, lastEventId);
    } catch (error) {
      this.#drop(stream);
      throw error;
    }
    return close;
  }

  async #replay(stream: Stream, lastEventId: string): Promise<void> {
    const { maxId, minId } = await this.#events.bounds();
    const last = /^(0|[1-9][0-9]{0,18})$/.test(lastEventId) ? BigInt(lastEventId) : -1n;
    const max = BigInt(maxId);
    // unknown to this deployment (from the future, malformed) or older than what is kept: a gap we cannot fill
    const inWindow = last >= 0n && last <= max && (minId === null ? last === 0n || last === max : last >= BigInt(minId) - 1n);
    const replayed: { row: LiveEventRow; frame: Frame | undefined }[] = [];
    let cursor = last;
    let overflow = !inWindow;
    while (!overflow) {
      const rows = await this.#events.after(cursor.toString(), BATCH);
      for (const row of rows) replayed.push({ row, frame: frameOf(row) });
      if (replayed.length > this.#options.replayMax) overflow = true;
      if (rows.length < BATCH) break;
      cursor = BigInt(rows[rows.length - 1]!.id);
    }
    const pending = stream.pending ?? [];
    stream.pending = null;
    if (overflow) {
      // start over from now: the client reloads its page, and its next stream resumes from this id
      stream.lastId = [max, this.#cursor, ...pending.map((p) => BigInt(p.row.id))].reduce((a, b) => (b > a ? b : a));
      stream.sink.write(sseMessage(String(stream.lastId), 'reload', { reason: 'too far behind; reload to catch up' }));
      return;
    }
    stream.lastId = last;
    for (const item of [...replayed, ...pending]) this.#deliver(stream, item.row, item.frame);
    // nothing matched: still tell the client where it is, so its next resume is short
    if (stream.lastId > last) stream.sink.write(sseMessage(String(stream.lastId), 'ready', { lastEventId: String(stream.lastId) }));
    else stream.sink.write(sseMessage(String(last), 'ready', { lastEventId: String(last) }));
  }
}
