// The delivery loop. Claims up to `concurrency` messages at a time (claim.lua
// applies priorities, per-chat order and every rate limit, shared by all
// workers through Redis), sends each through the breaker, and records the
// outcome with exactly one state-transition script: ack, retry or dead.
// While the breaker is open nothing is claimed; when idle the loop blocks on
// the wake list that enqueue pushes to, so a new message is picked up at once.
import { hostname } from 'node:os'
import type { RedisClient } from '../redis/client.ts'
import type { Logger } from '../log.ts'
import type { Breaker } from '../telegram/breaker.ts'
import { classifyError, isOutageError, isUnreachable } from '../telegram/classify-error.ts'
import type { BackoffOptions } from './backoff.ts'
import type { QueueKeys } from './keys.ts'
import { toChatId, type BotCall } from '../telegram/bot-call.ts'
import { isUploadRef } from './message.ts'
import { createOutcomes } from './outcomes.ts'
import { decideFailure, type Transition } from './decide-failure.ts'
import { createOutageRefunds } from './outage-refunds.ts'
import { claimJobs, type ClaimLimits, type ClaimResult, type Job } from './claim.ts'
import { isRedisUnavailable } from './errors.ts'
import { HEARTBEAT_MS } from './heartbeats.ts'
import { sleep } from '../sleep.ts'
import type { Transport } from '../transport.ts'

export interface WorkerOptions {
  redis: RedisClient
  /** a connection of its own: BLPOP blocks it */
  blocking: RedisClient
  keys: QueueKeys
  breaker: Breaker
  log: Logger
  concurrency: number
  leaseMs: number
  retentionMs: number
  backoff: BackoffOptions
  /** paidPerSecond: the global rate of messages with allow_paid_broadcast (their own bucket) */
  rate: { requests: number, windowMs: number, chatIntervalMs: number, groupIntervalMs: number, paidPerSecond?: number }
  guarantee: 'at-least-once' | 'at-most-once'
  /** how long stop() waits for in-flight sends before returning them to the queue */
  graceMs?: number
  /**
   * Calls whose method names a transport go there instead of the Bot API
   * (e.g. booking events POSTed to the booking backend), with the same
   * retry, DLQ and per-chat order rules. A transport throws TransportError
   * for an HTTP failure (408/429/5xx retried, other 4xx permanent — never a
   * bot pause or a blocked chat), BotApiError when it called Telegram, and
   * network errors as they are. The breaker is Telegram's only.
   */
  transports?: ReadonlyMap<string, Transport>
  /** told the enqueue (or send_at) to delivery time of each delivered message: an in-memory observation, no Redis call */
  onDelivered?: (latencyMs: number) => void
}

export interface WorkerState {
  id: string
  running: boolean
  inFlight: number
  breaker: string
  delivered: number
}

export interface Worker {
  start (): void
  stop (): Promise<void>
  state (): WorkerState
}

export function createWorker (o: WorkerOptions): Worker {
  const { redis, keys, log } = o
  const id = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`
  const inFlight = new Map<string, Promise<void>>()
  const jobs = new Map<string, Job>()
  const graceMs = o.graceMs ?? 10_000
  // the effective lease always outlives one request
  const leaseMs = o.leaseMs
  const gInterval = o.rate.requests > 0 ? o.rate.windowMs / o.rate.requests : 0
  // allow a small burst (10% of the window's budget): absorbs timer jitter
  // without exceeding what Telegram's own bucket tolerates
  const gBurst = gInterval * Math.floor(o.rate.requests / 10)
  let controller = new AbortController()
  let loop: Promise<void> | undefined
  let heartbeat: NodeJS.Timeout | undefined
  let delivered = 0
  const startedAt = Date.now()

  const refunds = createOutageRefunds({ redis, keys, breaker: o.breaker, log })

  // every worker says it is alive every HEARTBEAT_MS; readers ignore stale entries
  const beat = () => redis.hset(keys.workers, id, JSON.stringify({ ...state(), pid: process.pid, host: hostname(), started_at: startedAt, seen: Date.now() }))
    .catch(() => undefined)

  function state (): WorkerState {
    return { id, running: loop !== undefined, inFlight: inFlight.size, breaker: o.breaker.state(), delivered }
  }

  const paid = o.rate.paidPerSecond ?? 0
  const pInterval = paid > 0 ? 1000 / paid : gInterval
  const pBurst = paid > 0 ? pInterval * Math.floor(paid / 10) : gBurst
  const limits: ClaimLimits = {
    leaseMs,
    globalIntervalMs: gInterval,
    globalBurstMs: gBurst,
    chatIntervalMs: o.rate.chatIntervalMs,
    groupIntervalMs: o.rate.groupIntervalMs,
    paidIntervalMs: pInterval,
    paidBurstMs: pBurst,
    logTtlMs: o.retentionMs
  }
  const outcomes = createOutcomes({ redis, keys, log, leaseMs, retentionMs: o.retentionMs })

  // the acks pending now ride along: one round trip records them and claims
  async function claim (max: number): Promise<ClaimResult> {
    const taken = outcomes.takeAcks()
    try {
      const result = await claimJobs(redis, keys, limits, max, Date.now(), taken)
      taken?.recorded()
      return result
    } catch (err) {
      taken?.failed()
      throw err
    }
  }
  const { retry, dead } = outcomes

  async function onFailure (job: Job, err: unknown, viaTransport: boolean): Promise<void> {
    const t: Transition = decideFailure({
      verdict: classifyError(err),
      outageError: isOutageError(err),
      unreachable: isUnreachable(err),
      job,
      breaker: o.breaker.state(),
      guarantee: o.guarantee,
      backoff: o.backoff,
      viaTransport
    })
    if (t.note) log[t.note.level](t.note.data, t.note.msg)
    if (t.kind === 'dead') return await dead(job, t.reason, t)
    if (t.outageSpend) refunds.spent(job.id)
    if (t.migrateTo !== undefined) await redis.hset(keys.migrated, job.chat, t.migrateTo)
    return await retry(job, t)
  }

  async function deliver (job: Job): Promise<void> {
    let call: BotCall | undefined
    let last = false
    try {
      const calls = JSON.parse(job.payload) as BotCall[]
      call = Array.isArray(calls) ? calls[job.part] : undefined
      last = Array.isArray(calls) && job.part === calls.length - 1
    } catch { /* handled below */ }
    if (!call || typeof call.method !== 'string' || typeof call.params !== 'object') {
      return await dead(job, 'poison: the stored payload is not a valid Bot API call', { spend: false })
    }
    const params: Record<string, unknown> = job.target ? { ...call.params, chat_id: toChatId(job.target) } : { ...call.params }
    for (const [key, value] of Object.entries(params)) {
      if (!isUploadRef(value)) continue
      const bytes = await redis.getBuffer(keys.file(value.upload)).catch(() => undefined)
      if (bytes === undefined) return await retry(job, { delayMs: 1000, error: 'Redis unavailable while reading the upload', spend: false })
      if (bytes === null) return await dead(job, 'the uploaded file is gone (expired or deleted)', { spend: false })
      params[key] = new File([new Uint8Array(bytes)], value.filename, { type: value.content_type })
    }
    let result: unknown
    try {
      const transport = o.transports?.get(call.method)
      // a message's own timeout, never so long that its lease runs out mid-send
      const timeout = job.timeoutMs > 0 ? { attemptMs: Math.min(job.timeoutMs, leaseMs - 1000) } : undefined
      result = transport ? await transport(params) : await o.breaker.call(call.method, params, timeout)
    } catch (err) {
      return outcomes.settle(job, onFailure(job, err, o.transports?.has(call.method) ?? false))
    }
    delivered++
    if (last && o.onDelivered !== undefined) o.onDelivered(Date.now() - job.queuedAt)
    const messageId = (result as { message_id?: number } | null)?.message_id
    outcomes.settle(job, outcomes.ack(job, messageId === undefined ? '0' : String(messageId)))
  }

  function track (job: Job): void {
    const p = deliver(job)
      .catch(err => log.error({ id: job.id, err }, 'delivery crashed'))
      .finally(() => { inFlight.delete(job.id); jobs.delete(job.id) })
    inFlight.set(job.id, p)
    jobs.set(job.id, job)
  }

  async function idle (ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return
    // blpop with a fractional timeout; 0 would block forever
    const seconds = Math.max(0.01, Math.min(ms < 0 ? 1000 : ms, 1000) / 1000)
    try {
      await o.blocking.blpop(keys.wake, seconds)
    } catch (err) {
      if (!signal.aborted) await sleep(200, signal)
      if (!isRedisUnavailable(err) && !signal.aborted) log.error({ err }, 'waiting for work failed')
    }
  }

  /** The first of: an in-flight send finishing, ms passing, stop. Leaves no timer or listener behind. */
  async function untilSendDoneOr (ms: number, signal: AbortSignal): Promise<void> {
    const done = new AbortController()
    const onStop = () => done.abort()
    signal.addEventListener('abort', onStop, { once: true })
    try {
      await Promise.race([...inFlight.values(), sleep(ms, done.signal)])
    } finally {
      signal.removeEventListener('abort', onStop)
      done.abort()
    }
  }

  async function run (signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        if (o.breaker.state() !== 'closed') {
          await o.breaker.whenClosed(signal)
          continue
        }
        const free = o.concurrency - inFlight.size
        if (free <= 0) {
          await Promise.race(inFlight.values())
          continue
        }
        const claimed = await claim(free)
        const { reason, waitMs } = claimed
        for (const job of claimed.jobs) track(job)
        if (claimed.jobs.length === free || waitMs === 0) continue
        if (reason === 'rate' || reason === 'pause') await sleep(Math.max(1, waitMs), signal)
        else if (claimed.jobs.length === 0 || inFlight.size === 0) await idle(waitMs, signal)
        else await untilSendDoneOr(waitMs < 0 ? 1000 : waitMs, signal)
      } catch (err) {
        if (signal.aborted) break
        if (!isRedisUnavailable(err)) log.error({ err }, 'claim failed')
        await sleep(250, signal)
      }
    }
  }

  return {
    start () {
      if (loop) return
      controller = new AbortController()
      log.info({ worker: id, concurrency: o.concurrency }, 'worker started')
      loop = run(controller.signal)
      beat().catch(() => undefined)
      heartbeat = setInterval(beat, HEARTBEAT_MS)
      heartbeat.unref()
    },

    async stop () {
      if (!loop) return
      controller.abort()
      // a BLPOP in progress ends with its timeout (≤ 1 s)
      await loop
      loop = undefined
      const pending = [...inFlight.values()]
      if (pending.length > 0) {
        log.info({ inFlight: pending.length }, 'waiting for in-flight sends')
        let timer: NodeJS.Timeout | undefined
        await Promise.race([
          Promise.allSettled(pending),
          new Promise(resolve => { timer = setTimeout(resolve, graceMs) })
        ])
        clearTimeout(timer)
      }
      // anything still in flight returns to the queue now instead of after its lease
      for (const job of jobs.values()) {
        await retry(job, { delayMs: 0, error: '', spend: false })
      }
      await outcomes.drain()
      clearInterval(heartbeat)
      await redis.hdel(keys.workers, id).catch(() => undefined)
      log.info({ worker: id }, 'worker stopped')
    },

    state
  }
}
