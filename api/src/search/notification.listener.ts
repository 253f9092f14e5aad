import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from 'pino';

/**
 * A LISTEN connection that stays up: when PostgreSQL drops it (restart, failover, pg_terminate_backend) it reconnects
 * with exponential backoff, capped, for as long as the process runs. After every (re)connect it calls onConnect,
 * because notifications sent while it was away are gone and whoever listens should look once.
 */

export interface ListenerOptions {
  /** first retry delay; doubles per failed attempt up to maxDelayMs and stays there */
  baseDelayMs: number;
  maxDelayMs: number;
  /** shown in pg_stat_activity, so operators (and tests) can find the connection */
  applicationName: string;
}

export const DEFAULT_LISTENER_OPTIONS: ListenerOptions = { baseDelayMs: 250, maxDelayMs: 30_000, applicationName: 'hexhood-outbox-listener' };

/** Delay before reconnect attempt `attempt` (0-based). */
export function reconnectDelayMs(attempt: number, { baseDelayMs, maxDelayMs }: Pick<ListenerOptions, 'baseDelayMs' | 'maxDelayMs'>): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt, 30));
}

export interface ListenerDeps {
  url: string;
  channel: string;
  onNotify: () => void;
  onConnect: () => void;
  logger: Pick<Logger, 'info' | 'warn'>;
  options?: Partial<ListenerOptions>;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class NotificationListener {
  readonly #deps: ListenerDeps;
  readonly #options: ListenerOptions;
  readonly #stopped = new AbortController();
  #client: pg.Client | undefined;
  #loop: Promise<void> | undefined;

  constructor(deps: ListenerDeps) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_LISTENER_OPTIONS, ...deps.options };
  }

  /** Starts listening; resolves after the first attempt, connected or not (it keeps trying in the background). */
  start(): Promise<void> {
    return new Promise((firstAttempt) => {
      this.#loop = this.#run(firstAttempt);
    });
  }

  async stop(): Promise<void> {
    this.#stopped.abort();
    await this.#client?.end().catch(() => undefined);
    await this.#loop;
  }

  async #run(firstAttempt: () => void): Promise<void> {
    const { url, channel, onNotify, onConnect, logger } = this.#deps;
    // consecutive attempts since the connection last worked: the backoff exponent
    let attempts = 0;
    while (!this.#stopped.signal.aborted) {
      const client = new pg.Client({ connectionString: url, application_name: this.#options.applicationName });
      const lost = new Promise<unknown>((resolve) => {
        client.on('error', resolve);
        client.on('end', () => resolve(new Error('connection ended')));
      });
      client.on('notification', () => onNotify());
      try {
        await client.connect();
        await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
        this.#client = client;
        if (attempts > 0) logger.info({ channel, attempts }, 'LISTEN connection is back');
        attempts = 0;
        firstAttempt();
        onConnect();
        if (!this.#stopped.signal.aborted) {
          const error = await lost;
          if (!this.#stopped.signal.aborted)
            logger.warn({ err: errorText(error), channel }, 'LISTEN connection lost; reconnecting (the poll covers the gap)');
        }
      } catch (error) {
        firstAttempt();
        logger.warn({ err: errorText(error), channel, attempts }, 'LISTEN failed; retrying with backoff (the poll covers the gap)');
      } finally {
        this.#client = undefined;
        client.removeAllListeners('notification');
        await client.end().catch(() => undefined);
      }
      await sleep(reconnectDelayMs(attempts++, this.#options), undefined, { signal: this.#stopped.signal }).catch(() => undefined);
    }
  }
}
