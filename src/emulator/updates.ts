// Updates from "users" (pushed by a test) reach the bot as Telegram delivers them: POSTed to
// the webhook with the secret token header if one is set, else queued for getUpdates, whose
// long poll returns as soon as an update arrives. Confirmed updates (offset) are forgotten.

import { STATUS_CODES } from 'node:http'
import { request } from 'undici'
import { ApiError, badRequest } from './errors.ts'

export type Update = Record<string, unknown> & { update_id: number }

export interface Webhook {
  url: string
  secretToken?: string
  maxConnections?: number
  allowedUpdates?: string[]
  ipAddress?: string
}

export interface WebhookInfo {
  url: string
  has_custom_certificate: boolean
  pending_update_count: number
  ip_address?: string
  last_error_date?: number
  last_error_message?: string
  max_connections?: number
  allowed_updates?: string[]
}

export interface PollOptions { offset?: number, limit?: number, timeout?: number }

export interface UpdateHub {
  push: (update: Record<string, unknown>) => Promise<void>
  /** `closed` aborts a long poll whose client went away */
  poll: (options: PollOptions, closed?: (cb: () => void) => void) => Promise<Update[]>
  setWebhook: (webhook: Webhook | undefined, dropPending: boolean) => void
  info: () => WebhookInfo
  /** drops the webhook and pending updates, wakes pollers */
  clear: () => void
}

const MAX_POLL_SECONDS = 50
const WEBHOOK_TIMEOUT_MS = 10_000

export function createUpdateHub (): UpdateHub {
  let queue: Update[] = []
  let nextId = 1
  let webhook: Webhook | undefined
  let lastError: { date: number, message: string } | undefined
  const waiters = new Set<() => void>()

  const wake = (): void => {
    for (const waiter of waiters) waiter()
    waiters.clear()
  }

  async function deliver (hook: Webhook, update: Update): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (hook.secretToken !== undefined) headers['x-telegram-bot-api-secret-token'] = hook.secretToken
    let failure: string | undefined
    try {
      const res = await request(hook.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
        headersTimeout: WEBHOOK_TIMEOUT_MS,
        bodyTimeout: WEBHOOK_TIMEOUT_MS
      })
      await res.body.dump()
      if (res.statusCode < 200 || res.statusCode > 299) {
        failure = `Wrong response from the webhook: ${res.statusCode} ${STATUS_CODES[res.statusCode] ?? ''}`.trim()
      }
    } catch (err) {
      failure = `Connection failed: ${(err as Error).message}`
    }
    if (failure !== undefined) {
      lastError = { date: Math.floor(Date.now() / 1000), message: failure }
      throw new Error(`emulator: webhook ${hook.url} refused update ${update.update_id}: ${failure}`)
    }
  }

  return {
    async push (raw) {
      const given = raw.update_id
      const id = typeof given === 'number' && Number.isSafeInteger(given) ? given : nextId
      nextId = Math.max(nextId, id + 1)
      const update: Update = { ...raw, update_id: id }
      if (webhook !== undefined) return await deliver(webhook, update)
      queue.push(update)
      wake()
    },

    async poll (options, closed) {
      if (webhook !== undefined) {
        throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
      }
      const { offset = 0, limit = 100, timeout = 0 } = options
      if (offset < 0) queue = queue.slice(offset)
      else if (offset > 0) queue = queue.filter(u => u.update_id >= offset)
      const count = Math.min(100, Math.max(1, limit))
      if (queue.length === 0 && timeout > 0) {
        await new Promise<void>(resolve => {
          const timer = setTimeout(done, Math.min(timeout, MAX_POLL_SECONDS) * 1000)
          function done (): void {
            clearTimeout(timer)
            waiters.delete(done)
            resolve()
          }
          waiters.add(done)
          closed?.(done)
        })
      }
      return queue.slice(0, count)
    },

    setWebhook (next, dropPending) {
      if (next !== undefined) {
        if (!/^https?:$/.test(URL.canParse(next.url) ? new URL(next.url).protocol : '')) {
          throw badRequest('bad webhook: An HTTPS URL must be provided for webhook')
        }
        if (next.secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(next.secretToken)) {
          throw badRequest('secret token contains unallowed characters')
        }
      }
      webhook = next
      lastError = undefined
      if (dropPending) queue = []
      // Pollers must learn that getUpdates now conflicts with the webhook.
      if (next !== undefined) wake()
    },

    info () {
      const info: WebhookInfo = { url: webhook?.url ?? '', has_custom_certificate: false, pending_update_count: queue.length }
      if (webhook?.ipAddress !== undefined) info.ip_address = webhook.ipAddress
      if (lastError !== undefined) {
        info.last_error_date = lastError.date
        info.last_error_message = lastError.message
      }
      if (webhook !== undefined) info.max_connections = webhook.maxConnections ?? 40
      if (webhook?.allowedUpdates !== undefined) info.allowed_updates = webhook.allowedUpdates
      return info
    },

    clear () {
      webhook = undefined
      lastError = undefined
      queue = []
      wake()
    }
  }
}
