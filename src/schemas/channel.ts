// Bot operations on channels (README "Channel members"): invite a user with a one-use
// link, remove a user (ban + unban), check the bot's rights.
import { Type, type Static } from '@sinclair/typebox'
import { LanguageSchema } from './booking.ts'
import { ChatIdSchema, DeliveryOptions } from './common.ts'
import { ListingIdSchema, MaxRetriesOption } from './compat/bot-operations.ts'

export const ChannelParamsSchema = Type.Object({ chat_id: ChatIdSchema })

const UserIdSchema = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1, description: 'Telegram user id' })

export const MemberParamsSchema = Type.Object({ chat_id: ChatIdSchema, user_id: UserIdSchema })

const Reference = (what: string) => Type.Union([
  Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]+$' }),
  Type.Integer({ minimum: 0 })
], { description: `${what}; names the invite link and makes a repeat within 5 minutes a duplicate` })

/** Options of a queued operation: like a message's, without a schedule or idempotency key (an operation is deduplicated by what it does). */
const OperationOptions = {
  priority: Type.Optional(Type.Union(DeliveryOptions.priority.anyOf, { default: 'high', description: 'default high: someone is waiting for it' })),
  expires_at: DeliveryOptions.expires_at,
  ttl: DeliveryOptions.ttl,
  attempts: DeliveryOptions.attempts,
  ...MaxRetriesOption,
  metadata: DeliveryOptions.metadata,
  callback_url: DeliveryOptions.callback_url
}

export const InviteBodySchema = Type.Object({
  user_id: UserIdSchema,
  order_id: Type.Optional(Reference('the order that pays for the membership')),
  subscription_id: Type.Optional(Reference('the subscription that pays for the membership (with order_id too: both recorded, the link named after the order)')),
  expire_date: Type.Optional(Type.String({ format: 'date-time', description: 'the link stops working at this time (ISO 8601)' })),
  message: Type.Optional(Type.String({ minLength: 1, maxLength: 3000, description: 'plain text sent to the user above the link; default: a short line in the user\'s language' })),
  language: Type.Optional(LanguageSchema),
  ...OperationOptions
}, {
  additionalProperties: false,
  examples: [{ user_id: 123456789, order_id: 'A-1042', message: 'Thanks for your order! Join the course channel:', language: 'en' }]
})
export type InviteBody = Static<typeof InviteBodySchema>

export const REMOVE_REASONS = ['expiry', 'refund', 'cancellation'] as const

export const RemoveBodySchema = Type.Object({
  reason: Type.Union(REMOVE_REASONS.map(r => Type.Literal(r)), { description: 'why: expiry, refund or cancellation' }),
  subscription_id: Type.Optional(Reference('the subscription that ended')),
  ...OperationOptions
}, { additionalProperties: false, examples: [{ reason: 'refund' }] })
export type RemoveBody = Static<typeof RemoveBodySchema>

export const OperationAcceptedSchema = Type.Object({
  id: Type.String({ description: 'the queued operation: GET /api/telegram/messages/:id' }),
  status: Type.String({ examples: ['queued'] }),
  operation: Type.Union([Type.Literal('invite'), Type.Literal('remove')]),
  priority: Type.String(),
  duplicate: Type.Optional(Type.Boolean({ description: 'true: the same operation was asked for within 5 minutes; its id is returned' }))
})

// No `type: object`: the body is optional (most callers send none), and a
// JSON Schema with a type refuses a missing body.
const VerifyPermissionsBody = Type.Object({ listing_id: Type.Optional(ListingIdSchema) }, { additionalProperties: false })
export const VerifyPermissionsBodySchema = Type.Unsafe<Static<typeof VerifyPermissionsBody> | undefined>({
  properties: VerifyPermissionsBody.properties,
  additionalProperties: false,
  description: 'optional: {listing_id}, echoed in the answer'
})

export const PermissionsSchema = Type.Object({
  chat_id: Type.Union([Type.Integer(), Type.String()]),
  listing_id: Type.Optional(ListingIdSchema),
  ok: Type.Boolean({ description: 'the bot can invite and remove members here' }),
  bot_id: Type.Optional(Type.Integer()),
  status: Type.Optional(Type.String({ description: 'the bot\'s ChatMember status: creator, administrator, member…' })),
  is_admin: Type.Boolean(),
  can_invite_users: Type.Boolean(),
  can_restrict_members: Type.Boolean(),
  missing: Type.Array(Type.String(), { description: 'what the bot lacks' }),
  reason: Type.Optional(Type.String({ description: 'Telegram\'s answer when it refused to say (chat not found, bot not a member…)' }))
})
export type Permissions = Static<typeof PermissionsSchema>
