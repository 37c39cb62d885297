// The chat directory as GET /api/telegram/chats(/:id) returns it.
import { Type, type Static } from '@sinclair/typebox'

export const ChatViewSchema = Type.Object({
  chat_id: Type.Union([Type.Integer(), Type.String()]),
  type: Type.Optional(Type.String({ description: 'private, group, supergroup or channel, when Telegram said' })),
  registered_at: Type.Optional(Type.String({ description: 'first /start' })),
  last_start_at: Type.Optional(Type.String({ description: 'latest /start' })),
  user: Type.Optional(Type.Object({
    id: Type.Integer(),
    username: Type.Optional(Type.String()),
    first_name: Type.Optional(Type.String()),
    language_code: Type.Optional(Type.String({ description: 'as Telegram reported it' }))
  }, { description: 'who sent /start' })),
  language: Type.Optional(Type.String({ description: 'the language the bot answers this chat in' })),
  payload: Type.Optional(Type.String({ description: 'the deep-link payload of the latest /start (t.me/<bot>?start=<payload>)' })),
  member_status: Type.Optional(Type.String({ description: "the bot's status in the chat from the latest my_chat_member update: member, administrator, kicked, left…" })),
  member_status_at: Type.Optional(Type.String()),
  blocked: Type.Union([
    Type.Object({
      reason: Type.String(),
      since: Type.Union([Type.String(), Type.Null()], { description: 'null when blocked by a release that did not record when' })
    }),
    Type.Null()
  ], { description: 'messages to a blocked chat go to the DLQ without a send' }),
  migrated_to: Type.Union([Type.Integer(), Type.String(), Type.Null()], { description: 'the supergroup a group became; messages follow it' })
})
export type ChatView = Static<typeof ChatViewSchema>

export const ChatParamsSchema = Type.Object({
  id: Type.String({ pattern: '^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$', description: 'chat id, or @channelusername' })
})

export const ChatListQuerySchema = Type.Object({
  blocked: Type.Optional(Type.Boolean({ description: 'true: blocked chats (registered or not); false: registered chats not blocked; unset: every registered chat' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ pattern: '^\\d+:[^\\s]{1,64}$', description: 'next_cursor of the previous page' }))
}, { additionalProperties: false })
export type ChatListQuery = Static<typeof ChatListQuerySchema>

export const ChatListSchema = Type.Object({
  chats: Type.Array(ChatViewSchema, { description: 'newest first (by first /start, or for blocked=true by when blocked)' }),
  next_cursor: Type.Optional(Type.String())
})

export const UnblockedSchema = Type.Object({
  chat_id: Type.Union([Type.Integer(), Type.String()]),
  blocked: Type.Literal(false),
  was_blocked: Type.Boolean()
})
