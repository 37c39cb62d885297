// Every Bot API method the emulator serves, by canonical name.

import type { MethodHandler } from './state.ts'
import type { Webhook } from './updates.ts'
import { memberMethods } from './members.ts'
import { editMethods } from './edit.ts'
import { messageMethods } from './send.ts'

const getMe: MethodHandler = ({ bot }) => ({
  ...bot,
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false
})

const answerCallbackQuery: MethodHandler = () => true

const setWebhook: MethodHandler = ({ state, params }) => {
  const url = params.url as string
  let webhook: Webhook | undefined
  if (url !== '') {
    webhook = { url }
    if (params.secret_token !== undefined) webhook.secretToken = params.secret_token as string
    if (params.max_connections !== undefined) webhook.maxConnections = params.max_connections as number
    if (params.allowed_updates !== undefined) webhook.allowedUpdates = params.allowed_updates as string[]
    if (params.ip_address !== undefined) webhook.ipAddress = params.ip_address as string
  }
  state.updates.setWebhook(webhook, params.drop_pending_updates === true)
  return true
}

const deleteWebhook: MethodHandler = ({ state, params }) => {
  state.updates.setWebhook(undefined, params.drop_pending_updates === true)
  return true
}

const getWebhookInfo: MethodHandler = ({ state }) => state.updates.info()

const getUpdates: MethodHandler = async ({ state, params, onAbort }) => {
  return await state.updates.poll(params as { offset?: number, limit?: number, timeout?: number }, onAbort)
}

export const methodHandlers: Record<string, MethodHandler> = {
  getMe,
  answerCallbackQuery,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  getUpdates,
  ...messageMethods,
  ...editMethods,
  ...memberMethods
}
