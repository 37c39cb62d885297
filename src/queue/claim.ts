// Claims deliverable messages with claim.lua (see its header for the rules:
// priorities, per-chat order and rate, global rate, leases).
import type { RedisClient } from '../redis/client.ts'
import type { QueueKeys } from './keys.ts'
import { claimScript, type ClaimArgs, type ScriptReply } from './scripts.ts'

export interface ClaimLimits {
  leaseMs: number
  /** 0: no global limit */
  globalIntervalMs: number
  globalBurstMs: number
  chatIntervalMs: number
  groupIntervalMs: number
  /** messages with allow_paid_broadcast: their own global rate (0: unlimited; default: the global one) */
  paidIntervalMs?: number
  paidBurstMs?: number
  /** how long the message log keeps ids: broadcast recipients become messages inside claim */
  logTtlMs?: number
}

export interface ClaimResult {
  reason: 'ok' | 'empty' | 'rate' | 'pause' | 'paused'
  /** ms until something may be claimable; -1: nothing known */
  waitMs: number
  jobs: Job[]
}

export interface Job {
  id: string
  payload: string
  part: number
  attempts: number
  maxAttempts: number
  chat: string
  target: string
  expiresAt: number
  queuedAt: number
  /** the message's own backoff as stored ("e:<ms>" or "f:<ms>"); '' for the configured one */
  backoff: string
  /** the message's own per-attempt timeout, ms; 0 for the configured one */
  timeoutMs: number
}

const JOB_FIELDS = 11
// queue entries one claim call may look at: bounds the script's run time
const SCAN_BUDGET = 200
const DEFAULT_LOG_TTL_MS = 7 * 24 * 3_600_000

function parseClaim (reply: ScriptReply): ClaimResult {
  const r = reply as Array<string | number>
  const jobs: Job[] = []
  for (let i = 3; i + JOB_FIELDS <= r.length; i += JOB_FIELDS) {
    jobs.push({
      id: String(r[i]),
      payload: String(r[i + 1]),
      part: Number(r[i + 2]),
      attempts: Number(r[i + 3]),
      maxAttempts: Number(r[i + 4]),
      chat: String(r[i + 5]),
      target: String(r[i + 6]),
      expiresAt: Number(r[i + 7]),
      queuedAt: Number(r[i + 8]),
      backoff: String(r[i + 9]),
      timeoutMs: Number(r[i + 10] || 0)
    })
  }
  return { reason: String(r[0]) as ClaimResult['reason'], waitMs: Number(r[1]), jobs }
}

/** `acks`: pending acks to record first, in the same call (see AckBatcher.take) */
export async function claimJobs (redis: RedisClient, keys: QueueKeys, l: ClaimLimits, max: number, now = Date.now(), acks?: ClaimArgs['acks']): Promise<ClaimResult> {
  return parseClaim(await claimScript(redis, keys, {
    base: keys.base,
    now,
    max,
    ...l,
    scanBudget: SCAN_BUDGET,
    paidIntervalMs: l.paidIntervalMs ?? l.globalIntervalMs,
    paidBurstMs: l.paidBurstMs ?? l.globalBurstMs,
    logTtlMs: l.logTtlMs ?? DEFAULT_LOG_TTL_MS,
    ...(acks !== undefined ? { acks } : {})
  }))
}
