import { copyText } from './copy.ts';
import { replyText, type Lang } from './phrases.ts';
import { geometricCount, WeightedChoice, type Rng } from './random.ts';
import type { SeedPostKind } from './templates.ts';

// Comments, reactions and poll votes for a post, as COPY lines, with the counts the post row must carry:
// comment_count = its comments (reactions and poll votes are counted from their own table when read).

const COMMENT_MEAN: Record<SeedPostKind, number> = {
  post: 0.9,
  question: 2.5,
  event: 1.2,
  alert: 1.5,
  poll: 0.8,
  lost_found: 1.8,
};
const REACTION_KIND = new WeightedChoice<'plus_one' | 'me_too' | 'thanks'>([
  ['plus_one', 0.55],
  ['thanks', 0.3],
  ['me_too', 0.15],
]);
const MINUTE_MS = 60_000;

export interface EngagementInput {
  postId: string;
  kind: SeedPostKind;
  lang: Lang;
  createdMs: number;
  pollOptionCount: number;
}

export class EngagementWriter {
  readonly commentLines: string[] = [];
  readonly reactionLines: string[] = [];
  /** poll_votes rows (post_id, user_id, option, voted_at) */
  readonly voteLines: string[] = [];

  constructor(
    private readonly rng: Rng,
    private readonly nowMs: number,
  ) {}

  private after(createdMs: number, meanMinutes: number): number | null {
    const t = createdMs + Math.ceil(-Math.log(1 - this.rng.next()) * meanMinutes * MINUTE_MS);
    return t <= this.nowMs ? t : null;
  }

  /**
   * Writes the post's engagement and returns the counts to store on the post. `pickUser` draws someone likely to see
   * the post: mostly neighbours of where it was posted.
   */
  add(post: EngagementInput, pickUser: () => string): { commentCount: number } {
    const { rng } = this;
    let commentCount = 0;
    const comments = geometricCount(rng, COMMENT_MEAN[post.kind], 15);
    for (let i = 0; i < comments; i++) {
      const at = this.after(post.createdMs, 300);
      if (at === null) continue;
      const lang: Lang = rng.chance(0.85) ? post.lang : post.lang === 'de' ? 'en' : 'de';
      this.commentLines.push(`${post.postId}\t${pickUser()}\t${copyText(replyText(post.kind, lang, rng))}\t${new Date(at).toISOString()}`);
      commentCount++;
    }

    const seen = new Set<string>();
    const reactions = geometricCount(rng, post.kind === 'alert' || post.kind === 'lost_found' ? 4 : 2.5, 30);
    for (let i = 0; i < reactions; i++) {
      const user = pickUser();
      const kind = REACTION_KIND.draw(rng);
      if (seen.has(`${user}:${kind}`)) continue;
      const at = this.after(post.createdMs, 120);
      if (at === null) continue;
      seen.add(`${user}:${kind}`);
      this.reactionLines.push(`${post.postId}\t${user}\t${kind}\t\\N\t${new Date(at).toISOString()}`);
    }

    if (post.kind === 'poll' && post.pollOptionCount > 0) {
      // One favourite option per poll so results look like opinions, not noise.
      const favourite = rng.int(0, post.pollOptionCount - 1);
      const voters = new Set<string>();
      const votes = geometricCount(rng, 9, 60);
      for (let i = 0; i < votes; i++) {
        const user = pickUser();
        if (voters.has(user)) continue;
        const at = this.after(post.createdMs, 240);
        if (at === null) continue;
        voters.add(user);
        const option = rng.chance(0.45) ? favourite : rng.int(0, post.pollOptionCount - 1);
        this.voteLines.push(`${post.postId}\t${user}\t${option}\t${new Date(at).toISOString()}`);
      }
    }
    return { commentCount };
  }
}
