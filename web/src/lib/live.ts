import type { Comment, PostKind } from '$lib/api/client';

/** What GET /api/stream sends (api/src/live/live-event.ts). */
export interface LivePost {
  postId: string;
  kind: PostKind;
  title: string;
  cell: string;
  createdAt: string;
}
export interface LiveComment {
  postId: string;
  comment: Comment & { isAuthor?: boolean };
}
export interface LiveReactions {
  postId: string;
  reactionCounts: { plus_one: number; me_too: number; thanks: number };
}

/** issue 13: a new official alert covering (part of) the watched area */
export interface LiveAlert {
  alertId: string;
  title: string;
  severity: 'info' | 'warning' | 'urgent';
  endsAt: string;
}

export interface LiveHandlers {
  post?: (event: LivePost) => void;
  comment?: (event: LiveComment) => void;
  reactions?: (event: LiveReactions) => void;
  /** the stream could not fill a gap (too long away): reload what is shown */
  reload?: () => void;
  /** the signed-in viewer got notifications (refresh the bell) */
  notifications?: () => void;
  /** the stream is connected and up to date (after every (re)connect) */
  ready?: () => void;
  // --- issue 13: messages and claims (private: the signed-in viewer's own) ---
  /** a new message in one of the viewer's conversations (or their shop's inbox) */
  message?: (event: { conversationId: string | null }) => void;
  /** someone claimed an offer of the viewer's shop (never who) */
  claim?: (event: { offerId: string | null }) => void;
  /** issue 13: an official alert for the watched area */
  alert?: (event: LiveAlert) => void;
}

/**
 * Opens a live stream (Server-Sent Events) for a query like `lat=…&lon=…&radius=…`, `cells=…` or `post=…`. The browser
 * reconnects by itself and sends the last id it saw, so nothing is missed or shown twice. Returns the closer.
 */
export function openLive(query: string, on: LiveHandlers): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  const source = new EventSource(`/api/stream?${query}`);
  const listen = <T>(name: string, fn: ((data: T) => void) | undefined) => {
    if (!fn) return;
    source.addEventListener(name, (e) => {
      try {
        fn(JSON.parse((e as MessageEvent<string>).data) as T);
      } catch {
        // a malformed message is skipped; the next one carries on
      }
    });
  };
  listen<LivePost>('post', on.post);
  listen<LiveComment>('comment', on.comment);
  listen<LiveReactions>('reactions', on.reactions);
  listen<LiveAlert>('alert', on.alert); // issue 13
  source.addEventListener('reload', () => on.reload?.());
  source.addEventListener('ready', () => on.ready?.());
  source.addEventListener('notifications', () => on.notifications?.());
  listen<{ conversationId: string | null }>('message', on.message); // issue 13
  listen<{ offerId: string | null }>('claim', on.claim); // issue 13
  return () => source.close();
}
