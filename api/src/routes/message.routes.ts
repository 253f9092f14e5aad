import { Router } from 'express';
import {
  Conversation,
  ConversationList,
  ConversationParams,
  ConversationQuery,
  ConversationRef,
  MessageSettings,
  MessageUnread,
  SendMessageBody,
  StartConversationBody,
} from '../contract/message.schema.ts';
import { MerchantIdParams } from '../contract/merchant.schema.ts';
import { defineRoute } from '../contract/registry.ts';
import { handle } from '../http/route.ts';
import type { MessageService } from '../services/message.service.ts';

// One-to-one messages (issue 13).

const tag = 'messages';
const list = defineRoute({
  method: 'get',
  path: '/api/conversations',
  tag,
  summary: 'My conversations, newest first, with unread counts',
  auth: 'required',
  query: ConversationQuery,
  response: ConversationList,
});
const start = defineRoute({
  method: 'post',
  path: '/api/conversations',
  tag,
  summary: 'Message a person or a shop (continues the conversation with them if there is one)',
  auth: 'required',
  body: StartConversationBody,
  response: ConversationRef,
  status: 201,
  errors: [403, 404, 429],
});
const unread = defineRoute({
  method: 'get',
  path: '/api/conversations/unread',
  tag,
  summary: 'How many of my conversations have unread messages',
  auth: 'required',
  response: MessageUnread,
});
const getSettings = defineRoute({
  method: 'get',
  path: '/api/conversations/settings',
  tag,
  summary: 'Who may message me',
  auth: 'required',
  response: MessageSettings,
});
const putSettings = defineRoute({
  method: 'put',
  path: '/api/conversations/settings',
  tag,
  summary: 'Set who may message me (everyone, neighbours, nobody); blocked people never can',
  auth: 'required',
  body: MessageSettings,
  response: MessageSettings,
});
const thread = defineRoute({
  method: 'get',
  path: '/api/conversations/:id',
  tag,
  summary: 'A conversation I take part in (for a shop: as its owner or staff), oldest message first',
  auth: 'required',
  params: ConversationParams,
  query: ConversationQuery,
  response: Conversation,
  errors: [404],
});
const send = defineRoute({
  method: 'post',
  path: '/api/conversations/:id/messages',
  tag,
  summary: 'Write in a conversation (a shop’s owner or staff write as the shop)',
  auth: 'required',
  params: ConversationParams,
  body: SendMessageBody,
  response: ConversationRef,
  status: 201,
  errors: [403, 404, 429],
});
const read = defineRoute({
  method: 'post',
  path: '/api/conversations/:id/read',
  tag,
  summary: 'Mark a conversation read up to its newest message',
  auth: 'required',
  params: ConversationParams,
  errors: [404],
});
const inbox = defineRoute({
  method: 'get',
  path: '/api/merchants/:id/conversations',
  tag,
  summary: 'A shop’s inbox, for its owner and staff',
  auth: 'required',
  params: MerchantIdParams,
  query: ConversationQuery,
  response: ConversationList,
  errors: [404],
});

export function messageRoutes(messages: MessageService): Router {
  const r = Router();
  r.get(
    list.path,
    handle(list, async ({ viewer, query }) => messages.list(viewer, query.limit)),
  );
  r.post(
    start.path,
    handle(start, async ({ viewer, body }) => messages.start(viewer, body)),
  );
  r.get(
    unread.path,
    handle(unread, async ({ viewer }) => messages.unread(viewer)),
  );
  r.get(
    getSettings.path,
    handle(getSettings, async ({ viewer }) => messages.settings(viewer)),
  );
  r.put(
    putSettings.path,
    handle(putSettings, async ({ viewer, body }) => messages.setSettings(viewer, body.whoMayMessage)),
  );
  r.get(
    thread.path,
    handle(thread, async ({ viewer, params, query }) => messages.thread(viewer, params.id, query.limit)),
  );
  r.post(
    send.path,
    handle(send, async ({ viewer, params, body }) => messages.send(viewer, params.id, body.body)),
  );
  r.post(
    read.path,
    handle(read, async ({ viewer, params }) => messages.markRead(viewer, params.id)),
  );
  r.get(
    inbox.path,
    handle(inbox, async ({ viewer, params, query }) => messages.inbox(viewer, params.id, query.limit)),
  );
  return r;
}
