import type { PostRow } from '../repositories/post.repository.ts';
import type { Repositories } from '../repositories/repositories.ts';
import type { SubscriptionMatch } from '../repositories/subscription.repository.ts';
import { areaPostMail } from './templates.ts';

/**
 * issue 13: email — the mail of an area subscription that asked for one: the post's title, kind and neighbourhood and
 * a link (never its place), queued in the notification worker's transaction.
 */
export function areaPostMailer(publicOrigin: string) {
  return async (tx: Repositories, post: PostRow, subscription: SubscriptionMatch): Promise<void> => {
    if (!subscription.to_address) return;
    const meta = [post.kind.replace('_', ' '), post.region_name, `by ${post.author_display_name}`].filter(Boolean).join(' · ');
    const mail = areaPostMail({
      displayName: subscription.display_name,
      subscriptionName: subscription.name,
      item: { title: post.title, href: `${publicOrigin}/posts/${post.id}`, meta },
      settingsLink: `${publicOrigin}/notifications`,
    });
    await tx.mailOutbox.enqueue('area_post', subscription.to_address, mail);
  };
}
