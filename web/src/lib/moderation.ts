import { ACTION_REASONS, MODERATION_ACTIONS, REPORT_REASONS } from '$contract';
import type { components } from './api/schema';

// Labels for the moderation pages; the values themselves come from the API contract ($contract).

type Schemas = components['schemas'];
export type QueueItem = Schemas['ModerationQueueItem'];
export type ModerationItem = Schemas['ModerationItem'];
export type ModerationAction = Schemas['ModerationAction'];
export type Appeal = Schemas['Appeal'];
export type RoleEntry = Schemas['ModerationRoleList']['items'][number];
export type PublicLogEntry = Schemas['PublicModerationLogEntry'];

export const REASON_LABELS: Record<(typeof ACTION_REASONS)[number], string> = {
  spam: 'Spam or advertising',
  harassment: 'Harassment or insults',
  hate: 'Hate or discrimination',
  misinformation: 'False or misleading',
  privacy: 'Shares private information',
  illegal: 'Illegal content',
  off_topic: 'Not about the neighbourhood',
  other: 'Something else',
  no_violation: 'No rule broken',
  moderator_error: 'Moderator mistake',
};

export const ACTION_LABELS: Record<string, string> = {
  hide: 'Hidden',
  remove: 'Removed',
  restore: 'Restored',
  lock_comments: 'Comments locked',
  unlock_comments: 'Comments unlocked',
  warn: 'Author warned',
  suspend: 'Author suspended in region',
  dismiss: 'Report dismissed',
  appeal_granted: 'Appeal granted',
  appeal_denied: 'Appeal denied',
};

export const ACTION_VERBS: Record<(typeof MODERATION_ACTIONS)[number], string> = {
  hide: 'Hide',
  remove: 'Remove',
  restore: 'Restore',
  lock_comments: 'Lock comments',
  unlock_comments: 'Unlock comments',
  warn: 'Warn the author',
  suspend: 'Suspend the author in this region',
  dismiss: 'Dismiss the reports',
};

export { ACTION_REASONS, MODERATION_ACTIONS, REPORT_REASONS };

export const actionLabel = (action: string) => ACTION_LABELS[action] ?? action;
export const reasonLabel = (reason: string) => REASON_LABELS[reason as keyof typeof REASON_LABELS] ?? reason;
