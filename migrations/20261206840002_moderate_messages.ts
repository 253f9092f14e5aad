import type { Knex } from 'knex';

// Reporting a message (issue 13): a message can be the target of a moderation case and action. A message belongs to no
// post, so cases may have none. Which moderators see it: region_ids of the sender's home (computed when the case opens,
// like a post's display cell), so the moderators of where the sender lives handle what they write.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE moderation_cases DROP CONSTRAINT moderation_cases_target_kind_check;
    ALTER TABLE moderation_cases ADD CONSTRAINT moderation_cases_target_kind_check CHECK (target_kind IN ('post', 'comment', 'message'));
    ALTER TABLE moderation_cases ALTER COLUMN post_id DROP NOT NULL;
    ALTER TABLE moderation_actions DROP CONSTRAINT moderation_actions_target_kind_check;
    ALTER TABLE moderation_actions ADD CONSTRAINT moderation_actions_target_kind_check CHECK (target_kind IN ('post', 'comment', 'message'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DELETE FROM moderation_cases WHERE target_kind = 'message';
    ALTER TABLE moderation_cases ALTER COLUMN post_id SET NOT NULL;
    ALTER TABLE moderation_cases DROP CONSTRAINT moderation_cases_target_kind_check;
    ALTER TABLE moderation_cases ADD CONSTRAINT moderation_cases_target_kind_check CHECK (target_kind IN ('post', 'comment'));
    ALTER TABLE moderation_actions DROP CONSTRAINT moderation_actions_target_kind_check;
    ALTER TABLE moderation_actions ADD CONSTRAINT moderation_actions_target_kind_check CHECK (target_kind IN ('post', 'comment'));
  `);
}
