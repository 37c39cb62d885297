// Long polling (TELEGRAM_ENABLE_WEBHOOKS=false): getUpdates in a loop, each
// update through the same dispatch as the webhook. Telegram allows one
// getUpdates per bot, so only the process holding a Redis lock polls; it
// renews the lock before every poll (TTL > one poll) and releases it on stop,
// and the others retry to take it over. The offset moves past an update only
// once it is handled; one fetched twice (after a failure, or by the next
// holder) is dropped by the update_id check.
// stop() aborts a poll in progress (the client's abort signal) rather than
// waiting out its long-poll timeout.
import { randomBytes } from 'node:crypto'
import type { RedisClient } from '../redis/client.ts'
import type { Logger } from '../log.ts'
import { BotApiError, type BotApi } from '../telegram/client.ts'
import { sleep } from '../sleep.ts'

export interface PollerOptions {
  redis: RedisClient
  lockKey: string
  /** the Bot API client (a poll does not go through the breaker: it is not a send) */
  api: BotApi
  dispatch: (update: unknown) => Promise<unknown>
  log: Logger
  /** getUpdates long-poll timeout, seconds */
  pollSeconds?: number
  allowedUpdates: string[]
}

export interface PollerState { running: boolean, leader: boolean, offset: number }

export interface Poller {
  start (): void
  stop (): Promise<void>
  state (): PollerState
}

// KEYS[1] lock  ARGV[1] owner  ARGV[2] ttl ms. Returns 1 when ARGV[1] holds the lock afterwards.
const ACQUIRE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
return 0`
// KEYS[1] lock  ARGV[1] owner. Deletes the lock only if ARGV[1] holds it.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`

export function createPoller (o: PollerOptions): Poller {
  const owner = `${process.pid}:${randomBytes(6).toString('hex')}`
  const pollSeconds = o.pollSeconds ?? 25
  const lockMs = (pollSeconds + 15) * 1000
  let controller = new AbortController()
  let loop: Promise<void> | undefined
  let leader = false
  let offset = 0
  let refusedBefore = false

  async function getUpdates (signal: AbortSignal): Promise<unknown[]> {
    const updates = await o.api.call<unknown>('getUpdates', { offset, timeout: pollSeconds, allowed_updates: o.allowedUpdates }, {
      signal,
      timeoutMs: (pollSeconds + 10) * 1000
    })
    if (!Array.isArray(updates)) throw new BotApiError('getUpdates', 502, 'the answer holds no list of updates')
    return updates
  }

  /** Handles a batch in order; stops at the first failure so that update is fetched again. */
  async function handle (updates: unknown[]): Promise<boolean> {
    for (const update of updates) {
      const id = (update as { update_id?: unknown } | null)?.update_id
      try {
        await o.dispatch(update)
      } catch (err) {
        o.log.warn({ update_id: id, err: (err as Error).message }, 'update not handled; fetching it again')
        return false
      }
      if (typeof id === 'number' && Number.isSafeInteger(id)) offset = Math.max(offset, id + 1)
    }
    return true
  }

  async function run (signal: AbortSignal): Promise<void> {
    let failures = 0
    while (!signal.aborted) {
      const backoff = () => sleep(Math.min(30_000, 500 * 2 ** Math.min(failures++, 6)), signal)
      try {
        const was = leader
        leader = await o.redis.eval(ACQUIRE, 1, o.lockKey, owner, lockMs) === 1
        if (leader !== was) o.log.info({ leader }, leader ? 'this process now long-polls getUpdates' : 'another process long-polls getUpdates')
      } catch (err) {
        leader = false
        o.log.warn({ err: (err as Error).message }, 'poller lock: RedisClient unavailable')
        await backoff()
        continue
      }
      if (!leader) {
        await sleep(lockMs / 4, signal)
        continue
      }
      let updates: unknown[]
      try {
        updates = await getUpdates(signal)
      } catch (err) {
        if (signal.aborted) break
        const refused = err instanceof BotApiError && err.errorCode === 409
        if (refused && !refusedBefore) o.log.warn({ reason: err.description }, 'getUpdates refused: a webhook is set (DELETE /api/telegram/webhook) or another client polls this bot')
        else if (!refused) o.log.warn({ err: (err as Error).message }, 'getUpdates failed; retrying')
        refusedBefore = refused
        await backoff()
        continue
      }
      refusedBefore = false
      if (await handle(updates)) failures = 0
      else await backoff()
    }
  }

  return {
    start () {
      if (loop) return
      controller = new AbortController()
      loop = run(controller.signal)
    },

    async stop () {
      if (!loop) return
      controller.abort()
      await loop
      loop = undefined
      if (leader) await o.redis.eval(RELEASE, 1, o.lockKey, owner).catch(() => undefined)
      leader = false
    },

    state: () => ({ running: loop !== undefined, leader, offset })
  }
}
