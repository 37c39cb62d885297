// What the Bot API is sent: one request (a method and its params), and chat
// ids in the two forms they take. The queue stores calls and chat keys, the
// routes and the composer build them: both import them from here, so the
// telegram layer never reaches up into the queue.

/** One Bot API request; params include chat_id. */
export interface BotCall {
  method: string
  params: Record<string, unknown>
}

/** Chat ids as stored: integers as decimal strings, channel usernames lower-cased. */
export function chatKey (chatId: number | string): string {
  return typeof chatId === 'number' ? String(chatId) : chatId.startsWith('@') ? chatId.toLowerCase() : chatId
}

/** The inverse of chatKey: ids go to Telegram (and the API) as numbers when they are numbers. */
export function toChatId (chat: number | string): number | string {
  return typeof chat === 'string' && /^-?\d+$/.test(chat) ? Number(chat) : chat
}
