// The worker's side of channel member operations: transports (see
// consumer.ts) that make the Bot API calls of one operation through the
// breaker, so an outage pauses them like any send and they keep the queue's
// retry, DLQ and per-chat order rules.
// A retry must not undo or repeat what already happened: an invite reuses the
// link it created before (kept in the operation's hash) and only sends it
// again; ban and unban are idempotent.
import type { RedisClient } from '../redis/client.ts'
import type { Transport } from '../transport.ts'
import type { QueueKeys } from '../queue/keys.ts'
import type { Breaker } from '../telegram/breaker.ts'
import { BotApiError } from '../telegram/client.ts'
import { INVITE, recordInviteHalf, REMOVE, type InviteParams, type RemoveParams } from './operations.ts'

export interface ChannelTransportDeps {
  breaker: Breaker
  redis: RedisClient
  keys: QueueKeys
  /** how long an operation's record is kept when the worker creates it */
  retentionMs: number
}

export function channelTransports (d: ChannelTransportDeps): Map<string, Transport> {
  /**
   * One Bot API call. A refusal (4xx) names the method and, for the invite's
   * message, the link already created, so the status's last_error says how
   * far the operation got. (A 403 here never marks a chat blocked: the
   * worker does that only for Bot API sends, see queue/decide-failure.ts.)
   */
  async function call<T> (method: string, params: Record<string, unknown>, context = ''): Promise<T> {
    try {
      return await d.breaker.call<T>(method, params)
    } catch (err) {
      if (!(err instanceof BotApiError) || err.errorCode < 400 || err.errorCode >= 500 || err.errorCode === 401 || err.errorCode === 429 ||
        err.parameters.migrate_to_chat_id !== undefined) throw err
      throw new BotApiError(method, err.errorCode, `${method} refused (${err.errorCode} ${err.description})${context}`, err.parameters)
    }
  }

  const invite: Transport = async (raw) => {
    const p = raw as unknown as InviteParams
    let link = await d.redis.hget(d.keys.operation(p.ref), 'link')
    if (link === null) {
      const created = await call<{ invite_link: string }>('createChatInviteLink', {
        chat_id: p.chat_id,
        member_limit: 1,
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.expire_date !== undefined ? { expire_date: p.expire_date } : {})
      })
      link = created.invite_link
      await recordInviteHalf(d.redis, d.keys, p.ref, { link, user: p.user_id }, d.retentionMs)
    }
    return await call('sendMessage', { chat_id: p.user_id, text: `${p.text}\n${link}` },
      `; the link ${link} was created but not delivered to user ${p.user_id}`)
  }

  const remove: Transport = async (raw) => {
    const p = raw as unknown as RemoveParams
    await call('banChatMember', { chat_id: p.chat_id, user_id: p.user_id })
    // only_if_banned: lift the ban just made and nothing else (a plain unban also kicks a member)
    return await call('unbanChatMember', { chat_id: p.chat_id, user_id: p.user_id, only_if_banned: true })
  }

  return new Map([[INVITE, invite], [REMOVE, remove]])
}
