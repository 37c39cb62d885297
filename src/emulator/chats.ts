// Chats as the emulator sees them: the type follows from the id (positive: private; -100…:
// supergroup; other negative: group; @username: channel), a test can put a chat in a state
// Telegram refuses (blocked, gone, migrated), and each chat numbers its own messages.

import { ApiError, badRequest } from './errors.ts'

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel'

export interface Chat {
  id: number
  type: ChatType
  title?: string
  username?: string
  first_name?: string
}

export interface ResolvedChat {
  /** as the caller named it: a number, or '@username' */
  chatId: number | string
  /** map key: the number as a string, or the lower-cased @username */
  key: string
  chat: Chat
  /** groups, supergroups and channels share the 20/min limit */
  group: boolean
}

type ChatState =
  | { kind: 'blocked', description: string }
  | { kind: 'removed' }
  | { kind: 'migrated', to: number }

export type MemberStatus = 'kicked' | 'left'

export interface ChatRegistry {
  /** throws Telegram's error for a chat in a refused state or a malformed id */
  resolve: (chatId: unknown) => ResolvedChat
  block: (chatId: number | string, description?: string) => void
  remove: (chatId: number | string) => void
  migrate: (oldId: number, newId: number) => void
  nextMessageId: (chat: ResolvedChat) => number
  setMember: (chat: ResolvedChat, userId: number, status: MemberStatus | undefined) => void
  member: (chat: ResolvedChat, userId: number) => MemberStatus | undefined
  /** forgets states and members; message ids keep counting, as in Telegram */
  clear: () => void
}

const USERNAME = /^@[A-Za-z][A-Za-z0-9_]{3,31}$/
const NUMERIC = /^-?\d+$/

export function chatKey (chatId: number | string): string {
  return typeof chatId === 'number' || NUMERIC.test(chatId) ? String(Number(chatId)) : chatId.toLowerCase()
}

// A stable supergroup-style id (-100XXXXXXXXXX) for a channel known only by its @username.
function channelId (username: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < username.length; i++) hash = Math.imul(hash ^ username.charCodeAt(i), 0x01000193) >>> 0
  return -(1_000_000_000_000 + (hash % 1_000_000_000))
}

function describe (chatId: number | string): Chat {
  if (typeof chatId === 'string') {
    const username = chatId.slice(1)
    return { id: channelId(username.toLowerCase()), type: 'channel', title: username, username }
  }
  if (chatId > 0) return { id: chatId, type: 'private', first_name: `User ${chatId}` }
  if (chatId <= -1_000_000_000_000) return { id: chatId, type: 'supergroup', title: `Supergroup ${chatId}` }
  return { id: chatId, type: 'group', title: `Group ${chatId}` }
}

export function createChatRegistry (): ChatRegistry {
  const states = new Map<string, ChatState>()
  const messageIds = new Map<string, number>()
  const members = new Map<string, Map<number, MemberStatus>>()

  return {
    resolve (raw) {
      let chatId: number | string
      if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw !== 0) chatId = raw
      else if (typeof raw === 'string' && USERNAME.test(raw)) chatId = raw
      else throw badRequest('chat not found')
      const key = chatKey(chatId)
      const state = states.get(key)
      if (state?.kind === 'blocked') throw new ApiError(403, state.description)
      if (state?.kind === 'removed') throw badRequest('chat not found')
      if (state?.kind === 'migrated') {
        throw new ApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: state.to })
      }
      const chat = describe(chatId)
      return { chatId, key, chat, group: chat.type !== 'private' }
    },
    block (chatId, description = 'Forbidden: bot was blocked by the user') {
      states.set(chatKey(chatId), { kind: 'blocked', description })
    },
    remove (chatId) {
      states.set(chatKey(chatId), { kind: 'removed' })
    },
    migrate (oldId, newId) {
      states.set(chatKey(oldId), { kind: 'migrated', to: newId })
    },
    nextMessageId (chat) {
      const id = (messageIds.get(chat.key) ?? 0) + 1
      messageIds.set(chat.key, id)
      return id
    },
    setMember (chat, userId, status) {
      let chatMembers = members.get(chat.key)
      if (chatMembers === undefined) members.set(chat.key, chatMembers = new Map())
      if (status === undefined) chatMembers.delete(userId)
      else chatMembers.set(userId, status)
    },
    member (chat, userId) {
      return members.get(chat.key)?.get(userId)
    },
    clear () {
      states.clear()
      members.clear()
    }
  }
}
