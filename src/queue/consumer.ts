// The delivery loop. Claims up to `concurrency` messages at a time (claim.lua
// applies priorities, per-chat order and every rate limit, shared by all
// workers through Redis), sends each through the breaker, and records the
// outcome with exactly one state-transition script: ack, retry or dead.
// While the breaker is open nothing is claimed; when idle the loop blocks on
// the wake list that enqueue pushes to, so a new message is picked up at once.
import { hostname } from 'node:os'
import type { Redis } from 'ioredis'
import type { Logger } from '../log.ts'
import type { Breaker } from '../telegram/breaker.ts'
import { classifyError, isOutageError, type Verdict } from '../telegram/classify-error.ts'
import { backoffDelay, type BackoffOptions } from './backoff.ts'
import { toChatId, type QueueKeys } from './keys.ts'
import { isUploadRef, type BotCall } from './message.ts'
import { ackScript, deadScript, refundScript, retryScript, type ScriptReply } from './scripts.ts'
import { claimJobs, type ClaimLimits, type Job } from './claim.ts'
import { isRedisUnavailable } from './errors.ts'
import { sleep } from '../sleep.ts'

export interface WorkerOptions {
  redis: Redis
  /** a connection of its own: BLPOP blocks it */
  blocking: Redis
  keys: QueueKeys
  breaker: Breaker
  log: Logger
  concurrency: number
  leaseMs: number
  retentionMs: number
  backoff: BackoffOptions
  rate: { requests: number, windowMs: number, chatIntervalMs: number, groupIntervalMs: number }
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
}

export type Transport = (params: Record<string, unknown>) => Promise<unknown>

export interface WorkerState {
  id: string
  running: boolean
  inFlight: number
  breaker: string
  delivered: number
}

const ACK_BATCH_MS = 2
const ACK_BATCH_MAX = 32

/** Worker entries in keys.workers older than this are dead workers. */
export const HEARTBEAT_MS = 2000

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

  // Attempts spent on network failures just before the breaker opened were
  // spent detecting the outage, not on the message: refund them when it opens,
  // so an outage (or a flapping network) costs no message an attempt.
  const outageSpends = new Map<string, { count: number, at: number }>()
  o.breaker.onOpen(() => {
    const since = Date.now() - o.breaker.windowMs
    const refunds = [...outageSpends].filter(([, s]) => s.at >= since)
    outageSpends.clear()
    if (refunds.length === 0) return
    log.info({ messages: refunds.length }, 'refunding attempts spent detecting the outage')
    for (const [jobId, s] of refunds) {
      refundScript(redis, { message: keys.msg(jobId) }, { attempts: s.count }).catch(() => undefined)
    }
  })

  // every worker says it is alive every HEARTBEAT_MS; readers ignore stale entries
  const beat = () => redis.hset(keys.workers, id, JSON.stringify({ ...state(), pid: process.pid, host: hostname(), started_at: startedAt, seen: Date.now() }))
    .catch(() => undefined)

  function state (): WorkerState {
    return { id, running: loop !== undefined, inFlight: inFlight.size, breaker: o.breaker.state(), delivered }
  }

  const limits: ClaimLimits = { leaseMs, globalIntervalMs: gInterval, globalBurstMs: gBurst, chatIntervalMs: o.rate.chatIntervalMs, groupIntervalMs: o.rate.groupIntervalMs }
  const claim = (max: number) => claimJobs(redis, keys, limits, max)

  /**
   * Recording an outcome must survive a Redis restart: a send that reached
   * Telegram but was not acked would be sent again after its lease. Keep
   * trying until the lease is nearly over.
   */
  async function record (job: Job, what: string, op: () => Promise<ScriptReply>): Promise<void> {
    const deadline = Date.now() + leaseMs - 1000
    for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
      try {
        const result = await op()
        if (result === 'stale') log.debug({ id: job.id, what }, 'outcome for a message another worker took over')
        return
      } catch (err) {
        if (!isRedisUnavailable(err) || Date.now() > deadline) {
          log.error({ id: job.id, what, err }, 'could not record outcome; the lease will return the message')
          return
        }
        await new Promise(resolve => setTimeout(resolve, wait))
      }
    }
  }

  const ackOne = (job: Job, messageId: string) => record(job, 'ack', async () =>
    (await ackScript(redis, keys, { base: keys.base, now: Date.now(), retentionMs: o.retentionMs, acks: [{ id: job.id, part: job.part, messageId }] }))[0] ?? 'stale')

  // Acks that arrive within ACK_BATCH_MS go to Redis in one script call: under
  // load that is one round trip for many messages instead of one each.
  let pendingAcks: Array<{ job: Job, messageId: string, done: () => void }> = []
  let ackTimer: NodeJS.Timeout | undefined
  function flushAcks (): void {
    clearTimeout(ackTimer)
    ackTimer = undefined
    const batch = pendingAcks
    pendingAcks = []
    if (batch.length === 0) return
    const acks = batch.map(a => ({ id: a.job.id, part: a.job.part, messageId: a.messageId }))
    ackScript(redis, keys, { base: keys.base, now: Date.now(), retentionMs: o.retentionMs, acks }).then(
      () => { for (const a of batch) a.done() },
      // Redis trouble: each ack on its own, with record()'s patient retries
      () => { for (const a of batch) ackOne(a.job, a.messageId).finally(a.done).catch(() => undefined) }
    )
  }
  const ack = (job: Job, messageId: string) => new Promise<void>(resolve => {
    pendingAcks.push({ job, messageId, done: resolve })
    if (pendingAcks.length >= ACK_BATCH_MAX) flushAcks()
    else ackTimer ??= setTimeout(flushAcks, ACK_BATCH_MS)
  })

  // An outcome is recorded after the send's slot is free again: a Redis round
  // trip never holds up the next send. The chat stays held until the ack
  // lands, so per-chat order is unchanged; stop() waits for these.
  const recording = new Set<Promise<void>>()
  function settle (job: Job, outcome: Promise<void>): void {
    const p: Promise<void> = outcome
      .catch(err => log.error({ id: job.id, err }, 'recording an outcome failed'))
      .finally(() => recording.delete(p))
    recording.add(p)
  }

  const retry = (job: Job, a: { delayMs: number, error: string, spend: boolean, pauseMs?: number, stat?: string }) =>
    record(job, 'retry', () => retryScript(redis, keys, {
      base: keys.base, id: job.id, now: Date.now(), delayMs: a.delayMs, error: a.error, spend: a.spend, pauseMs: a.pauseMs ?? 0, part: job.part, stat: a.stat ?? ''
    }))

  const dead = (job: Job, reason: string, a: { block?: boolean, spend: boolean, stat?: string }) =>
    record(job, 'dead', async () => {
      if (a.stat) await redis.hincrby(keys.stats, a.stat, 1)
      return await deadScript(redis, keys, {
        base: keys.base, id: job.id, now: Date.now(), state: 'dead', reason, blockReason: a.block ? reason : '', part: job.part, spend: a.spend
      })
    })

  async function onFailure (job: Job, err: unknown, viaTransport: boolean): Promise<void> {
    const v: Verdict = classifyError(err)
    switch (v.kind) {
      case 'outage':
        return await retry(job, { delayMs: 0, error: '', spend: false })
      case 'rate-limited':
        log.warn({ id: job.id, retryAfterMs: v.retryAfterMs }, 'Telegram said 429: pausing the bot')
        return await retry(job, { delayMs: 0, error: v.reason, spend: false, pauseMs: v.retryAfterMs, stat: 'rate_limited' })
      case 'migrated':
        log.info({ chat: job.chat, to: v.toChatId }, 'group migrated to a supergroup; following')
        await redis.hset(keys.migrated, job.chat, String(v.toChatId))
        return await retry(job, { delayMs: 0, error: v.reason, spend: false, stat: 'migrated' })
      case 'permanent':
        log.info({ id: job.id, reason: v.reason }, 'permanent failure: dead-lettered')
        // a transport's queue chat (op:<channel>:<user>, booking:<id>) is not the chat that blocked us
        return await dead(job, v.reason, { block: v.blocked && !viaTransport, spend: true })
      case 'transient': {
        if (v.uncertain && o.guarantee === 'at-most-once') {
          return await dead(job, `uncertain: ${v.reason}`, { spend: true, stat: 'uncertain' })
        }
        // the failure that opened the breaker is the outage's, not the message's
        const spend = o.breaker.state() === 'closed'
        const delayMs = backoffDelay(job.attempts + 1, o.backoff)
        if (spend && isOutageError(err)) {
          outageSpends.set(job.id, { count: (outageSpends.get(job.id)?.count ?? 0) + 1, at: Date.now() })
          if (outageSpends.size > 10_000) outageSpends.delete(outageSpends.keys().next().value as string)
        }
        log.debug({ id: job.id, reason: v.reason, delayMs }, 'transient failure: will retry')
        return await retry(job, { delayMs, error: v.reason, spend, stat: v.uncertain ? 'uncertain' : '' })
      }
    }
  }

  async function deliver (job: Job): Promise<void> {
    let call: BotCall | undefined
    try {
      const calls = JSON.parse(job.payload) as BotCall[]
      call = Array.isArray(calls) ? calls[job.part] : undefined
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
      result = transport ? await transport(params) : await o.breaker.call(call.method, params)
    } catch (err) {
      return settle(job, onFailure(job, err, o.transports?.has(call.method) ?? false))
    }
    delivered++
    const messageId = (result as { message_id?: number } | null)?.message_id
    settle(job, ack(job, messageId === undefined ? '0' : String(messageId)))
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
      flushAcks()
      await Promise.allSettled([...recording])
      clearInterval(heartbeat)
      await redis.hdel(keys.workers, id).catch(() => undefined)
      log.info({ worker: id }, 'worker stopped')
    },

    state
  }
}
