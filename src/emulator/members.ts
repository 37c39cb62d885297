// Channel membership methods: invite links, ban/unban, and getChatMember, where
// the bot itself is an administrator with invite and restrict rights.

import { randomBytes } from 'node:crypto'
import type { MethodHandler } from './state.ts'

const createChatInviteLink: MethodHandler = ({ state, params, bot }) => {
  state.chats.resolve(params.chat_id)
  const link: Record<string, unknown> = {
    invite_link: `https://t.me/+${randomBytes(12).toString('base64url')}`,
    creator: bot,
    creates_join_request: params.creates_join_request === true,
    is_primary: false,
    is_revoked: false
  }
  for (const key of ['name', 'expire_date', 'member_limit']) {
    if (params[key] !== undefined) link[key] = params[key]
  }
  return link
}

const banChatMember: MethodHandler = ({ state, params }) => {
  state.chats.setMember(state.chats.resolve(params.chat_id), params.user_id as number, 'kicked')
  return true
}

const unbanChatMember: MethodHandler = ({ state, params }) => {
  const chat = state.chats.resolve(params.chat_id)
  const userId = params.user_id as number
  if (params.only_if_banned === true && state.chats.member(chat, userId) !== 'kicked') return true
  // Unbanning removes the ban, not the absence: the user has to join again.
  state.chats.setMember(chat, userId, 'left')
  return true
}

const getChatMember: MethodHandler = ({ state, params, bot }) => {
  const chat = state.chats.resolve(params.chat_id)
  const userId = params.user_id as number
  if (userId === bot.id) {
    return {
      status: 'administrator',
      user: bot,
      can_be_edited: false,
      is_anonymous: false,
      can_manage_chat: true,
      can_delete_messages: true,
      can_manage_video_chats: true,
      can_restrict_members: true,
      can_promote_members: false,
      can_change_info: true,
      can_invite_users: true,
      can_post_stories: true,
      can_edit_stories: true,
      can_delete_stories: true,
      can_post_messages: true,
      can_edit_messages: true,
      can_pin_messages: true
    }
  }
  const user = { id: userId, is_bot: false, first_name: `User ${userId}` }
  const status = state.chats.member(chat, userId)
  if (status === 'kicked') return { status: 'kicked', user, until_date: 0 }
  if (status === 'left') return { status: 'left', user }
  return { status: 'member', user }
}

export const memberMethods: Record<string, MethodHandler> = {
  createChatInviteLink, banChatMember, unbanChatMember, getChatMember
}
