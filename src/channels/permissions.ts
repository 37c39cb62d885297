// Can the bot manage members of a channel? getChatMember for the bot itself:
// it must be the creator, or an administrator with can_invite_users and
// can_restrict_members. Asked synchronously: it is a read with nothing to
// make durable, and the caller (setting a channel up) wants the answer now,
// not a message id to poll.
import type { Breaker } from '../telegram/breaker.ts'
import { BotApiError } from '../telegram/client.ts'
import { callTelegram, TelegramCallError } from '../telegram/call-error.ts'
import type { Permissions } from '../schemas/channel.ts'

interface ChatMember {
  status: string
  can_invite_users?: boolean
  can_restrict_members?: boolean
}

const RIGHTS = ['can_invite_users', 'can_restrict_members'] as const

/** Telegram refused to answer for this chat (not found, bot not a member): a "no", not an outage. */
function isRefusal (err: unknown): err is BotApiError {
  return err instanceof BotApiError && err.errorCode >= 400 && err.errorCode < 500 && err.errorCode !== 401 && err.errorCode !== 429
}

export function permissionChecker (breaker: Breaker): (chatId: number | string) => Promise<Permissions> {
  // the bot's id never changes while the process runs
  let me: Promise<number> | undefined
  const botId = () => {
    me ??= callTelegram(() => breaker.call<{ id: number }>('getMe', {}), 'getMe').then(u => u.id)
    me.catch(() => { me = undefined })
    return me
  }

  return async (chatId) => {
    const id = await botId()
    let member: ChatMember
    try {
      member = await breaker.call<ChatMember>('getChatMember', { chat_id: chatId, user_id: id })
    } catch (err) {
      if (!isRefusal(err)) throw TelegramCallError.from('getChatMember', err)
      return { chat_id: chatId, ok: false, bot_id: id, is_admin: false, can_invite_users: false, can_restrict_members: false, missing: ['administrator', ...RIGHTS], reason: `${err.errorCode}: ${err.description}` }
    }
    const creator = member.status === 'creator'
    const isAdmin = creator || member.status === 'administrator'
    const rights = Object.fromEntries(RIGHTS.map(r => [r, creator || (isAdmin && member[r] === true)])) as Record<typeof RIGHTS[number], boolean>
    const missing = [...(isAdmin ? [] : ['administrator']), ...RIGHTS.filter(r => !rights[r])]
    return { chat_id: chatId, ok: missing.length === 0, bot_id: id, status: member.status, is_admin: isAdmin, ...rights, missing }
  }
}
