// The parts of Telegram's Update that the bot reads. Everything is open
// (additionalProperties: true): Telegram adds fields and update types all the
// time, and a webhook that answered 4xx to one it does not know would make
// Telegram retry that update forever. Checked in the handler (TypeCompiler),
// not as a Fastify body schema, so a mismatch is still a 200 and ignored.
import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'

const open = { additionalProperties: true }

/** Every update type Telegram can send (setWebhook / getUpdates allowed_updates). */
export const UPDATE_TYPES = ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'business_connection', 'business_message',
  'edited_business_message', 'deleted_business_messages', 'message_reaction', 'message_reaction_count', 'inline_query',
  'chosen_inline_result', 'callback_query', 'shipping_query', 'pre_checkout_query', 'purchased_paid_media', 'poll',
  'poll_answer', 'my_chat_member', 'chat_member', 'chat_join_request', 'chat_boost', 'removed_chat_boost']

/** Telegram leaves these out unless asked by name: noisy, and need the bot to be an administrator. */
const OPT_IN = new Set(['chat_member', 'message_reaction', 'message_reaction_count'])

/**
 * What the bot asks Telegram for unless told otherwise: what it reads itself, and with
 * update forwarding on, every type Telegram sends by default, so the receiver gets them.
 */
export function defaultAllowedUpdates (forwarding: boolean): string[] {
  return forwarding ? UPDATE_TYPES.filter(u => !OPT_IN.has(u)) : ['message', 'callback_query', 'my_chat_member']
}

export const UserSchema = Type.Object({
  id: Type.Integer(),
  is_bot: Type.Optional(Type.Boolean()),
  first_name: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
  language_code: Type.Optional(Type.String())
}, open)

export const ChatSchema = Type.Object({
  id: Type.Integer(),
  type: Type.String({ description: 'private, group, supergroup or channel' })
}, open)

export const MessageEntitySchema = Type.Object({
  type: Type.String(),
  offset: Type.Integer(),
  length: Type.Integer()
}, open)

export const MessageSchema = Type.Object({
  message_id: Type.Integer(),
  from: Type.Optional(UserSchema),
  chat: ChatSchema,
  date: Type.Integer(),
  text: Type.Optional(Type.String()),
  entities: Type.Optional(Type.Array(MessageEntitySchema))
}, open)

/** A callback's message may be "inaccessible" (older than 48 h): date 0, no content. */
export const CallbackQuerySchema = Type.Object({
  id: Type.String(),
  from: UserSchema,
  message: Type.Optional(Type.Object({
    message_id: Type.Integer(),
    chat: ChatSchema,
    date: Type.Optional(Type.Integer()),
    text: Type.Optional(Type.String()),
    entities: Type.Optional(Type.Array(MessageEntitySchema))
  }, open)),
  data: Type.Optional(Type.String())
}, open)

/** The bot's own membership changed: added to a group, or blocked / unblocked by a user. */
export const ChatMemberUpdatedSchema = Type.Object({
  chat: ChatSchema,
  from: Type.Optional(UserSchema),
  date: Type.Integer(),
  old_chat_member: Type.Optional(Type.Object({ status: Type.String() }, open)),
  new_chat_member: Type.Object({ status: Type.String({ description: 'creator, administrator, member, restricted, left or kicked' }) }, open)
}, open)

export const UpdateSchema = Type.Object({
  update_id: Type.Integer({ minimum: 0 }),
  message: Type.Optional(MessageSchema),
  callback_query: Type.Optional(CallbackQuerySchema),
  my_chat_member: Type.Optional(ChatMemberUpdatedSchema)
}, open)

export type TelegramUser = Static<typeof UserSchema>
export type TelegramMessage = Static<typeof MessageSchema>
export type CallbackQuery = Static<typeof CallbackQuerySchema>
export type ChatMemberUpdated = Static<typeof ChatMemberUpdatedSchema>
export type Update = Static<typeof UpdateSchema>

let checker: ReturnType<typeof TypeCompiler.Compile<typeof UpdateSchema>> | undefined

/** Compiled on first use, not at import. */
export function isUpdate (value: unknown): value is Update {
  checker ??= TypeCompiler.Compile(UpdateSchema)
  return checker.Check(value)
}
