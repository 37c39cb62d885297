// The bot's Redis keys, named in one place. They share the queue's hash tag
// ({prefix}), so they sit in the same Cluster slot as the stats hash the rate
// limiter counts into.
export interface BotKeys {
  /** string, EX 24 h: an update_id already handled */
  update: (updateId: number) => string
  /** string counter, EX 60 s: a user's updates in the current minute */
  rate: (userId: number) => string
  /** hash user id → updates dropped by the rate limit, all time */
  rateLimited: string
  /** hash: a chat registered with /start */
  chat: (chatId: number | string) => string
  /** zset chat id → first /start (ms) */
  chats: string
  /** hash action → JSON of who pressed it and when */
  booking: (bookingId: string) => string
  /** string: the generated webhook secret_token (when TELEGRAM_WEBHOOK_SECRET is unset) */
  webhookSecret: string
  /** string, PX: id of the process allowed to long-poll getUpdates */
  pollerLock: string
}

export function botKeys (base: string): BotKeys {
  const bot = `${base}bot:`
  return {
    update: id => `${bot}update:${id}`,
    rate: id => `${bot}rate:${id}`,
    rateLimited: `${bot}rate-limited`,
    chat: id => `${bot}chat:${id}`,
    chats: `${bot}chats`,
    booking: id => `${bot}booking:${id}`,
    webhookSecret: `${bot}webhook-secret`,
    pollerLock: `${bot}poller`
  }
}
