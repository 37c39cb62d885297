// Shared by the admin tests: calls with the admin token, and a quick way to
// fill the dead-letter queue through the real path (the emulator refuses the
// chat with 403, the worker dead-letters the message).
import type { Relay } from './relay.ts'
import { ADMIN_TOKEN } from './relay.ts'
import { waitFor } from './wait.ts'

export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` }

export function asAdmin (relay: Relay) {
  return (method: string, path: string, body?: unknown) => relay.call(method, path, body, ADMIN)
}

/**
 * One message per chat (each chat blocked in the emulator first), waits until
 * every one is dead. One per chat, so each carries Telegram's own 403
 * description rather than "chat is blocked: …" from claim.lua.
 */
export async function deadLetters (relay: Relay, chats: number[], extra: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = []
  for (const chat of chats) {
    relay.emulator.blockChat(chat)
    const res = await relay.send({ chat_id: chat, text: `to ${chat}`, ...extra })
    if (res.status !== 202) throw new Error(`send to ${chat}: ${res.status} ${JSON.stringify(res.body)}`)
    ids.push(res.body.id)
  }
  const admin = asAdmin(relay)
  await waitFor(async () => {
    const states = await Promise.all(ids.map(async id => (await admin('GET', `/api/telegram/messages/${id}`)).body.status))
    return states.every(s => s === 'dead')
  }, `${ids.length} dead letters`)
  return ids
}
