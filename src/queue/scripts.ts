// Loads the Lua scripts once, splices `-- @include name` lines from
// lua/includes/, registers them on an ioredis client (EVALSHA, falling back to
// EVAL after a Redis restart), and gives each script one typed door: a
// function taking named keys and arguments that builds KEYS and ARGV in the
// order its header lists them. Nothing else builds a script's KEYS array.
import { readFileSync } from 'node:fs'
import type { RedisClient } from '../redis/client.ts'
import type { QueueKeys } from './keys.ts'

export const SCRIPT_NAMES = ['enqueue', 'claim', 'ack', 'retry', 'dead', 'cancel', 'requeue', 'refund', 'broadcast-add', 'broadcast-cancel', 'finished', 'patch'] as const
export type ScriptName = typeof SCRIPT_NAMES[number]
export type ScriptReply = string | number | null | ScriptReply[]

const LUA_DIR = new URL('./lua/', import.meta.url)
let sources: Map<ScriptName, string> | undefined

function readLua (name: ScriptName): string {
  const text = readFileSync(new URL(`${name}.lua`, LUA_DIR), 'utf8')
  return text.replace(/^-- @include ([\w-]+)$/gm, (_, inc: string) =>
    readFileSync(new URL(`includes/${inc}.lua`, LUA_DIR), 'utf8'))
}

export function luaSources (): Map<ScriptName, string> {
  sources ??= new Map(SCRIPT_NAMES.map(n => [n, readLua(n)]))
  return sources
}

const registered = new WeakSet<RedisClient>()

/** Defines the scripts as commands on this client (idempotent). */
export function registerScripts (redis: RedisClient): void {
  if (registered.has(redis)) return
  for (const [name, lua] of luaSources()) redis.defineCommand(`tg_${name}`, { lua })
  registered.add(redis)
}

type ScriptCommand = (numKeys: number, ...args: Array<string | number>) => Promise<ScriptReply>

/** Runs one script: keys first, then args (numbers are sent as decimal strings). */
async function runScript (redis: RedisClient, name: ScriptName, keys: string[], args: Array<string | number>): Promise<ScriptReply> {
  registerScripts(redis)
  const command = (redis as unknown as Record<string, ScriptCommand>)[`tg_${name}`]
  if (!command) throw new Error(`script ${name} is not registered`)
  return await command.call(redis, keys.length, ...keys, ...args)
}

/** The keys every outcome script (ack, retry, dead, cancel) starts with, in this order. */
export type OutcomeKeys = Pick<QueueKeys, 'active' | 'delayed' | 'waiting' | 'dlq' | 'stats'>
const outcomeKeys = (k: OutcomeKeys): string[] => [k.active, k.delayed, k.waiting, k.dlq, k.stats]
const flag = (b: boolean): number => b ? 1 : 0

/** The keys every message of an enqueue batch shares. */
export interface EnqueueKeys {
  delayed: string
  seq: string
  wake: string
  stats: string
  /** this hour's message log */
  log: string
}
export interface EnqueueArgs {
  base: string
  now: number
  logTtlMs: number
}
/** One message of an enqueue batch. */
export interface EnqueueItem {
  /** its hash, keys.msg(id) */
  message: string
  /** its priority list */
  queue: string
  /** keys.idem(key), or the message key again when it has none */
  idempotency: string
  id: string
  /** 0: now */
  sendAt: number
  /** 0: no idempotency key */
  idempotencyTtlMs: number
  fields: Array<string | number>
}
export interface EnqueueOutcome { id: string, outcome: 'new' | 'duplicate', status: string }

/** Stores a batch of messages in one call, in order; an outcome per message. */
export async function enqueueScript (redis: RedisClient, k: EnqueueKeys, a: EnqueueArgs, items: EnqueueItem[]): Promise<EnqueueOutcome[]> {
  const keys = [k.delayed, k.seq, k.wake, k.stats, k.log]
  const args: Array<string | number> = [a.now, a.logTtlMs, a.base]
  for (const m of items) {
    keys.push(m.message, m.queue, m.idempotency)
    args.push(m.id, m.sendAt, m.idempotencyTtlMs, m.fields.length)
    for (const f of m.fields) args.push(f)
  }
  const reply = await runScript(redis, 'enqueue', keys, args) as string[]
  const out: EnqueueOutcome[] = []
  for (let i = 0; i + 2 < reply.length; i += 3) out.push({ id: reply[i] as string, outcome: reply[i + 1] as 'new' | 'duplicate', status: reply[i + 2] as string })
  return out
}

export type ClaimKeys = OutcomeKeys & Pick<QueueKeys, 'queues' | 'rate' | 'pause' | 'paused' | 'blocked' | 'migrated' | 'broadcastsDue' | 'paidRate'> & AckKeys
export interface ClaimArgs {
  base: string
  now: number
  max: number
  leaseMs: number
  /** 0: unlimited */
  globalIntervalMs: number
  globalBurstMs: number
  chatIntervalMs: number
  groupIntervalMs: number
  scanBudget: number
  /** messages with allow_paid_broadcast (field pb): their own global rate; 0: unlimited */
  paidIntervalMs: number
  paidBurstMs: number
  /** message log ttl for broadcast recipients claim makes messages of */
  logTtlMs: number
  /** acks handed over with the claim, done first as ackScript does them (retentionMs: how long a sent message is kept) */
  acks?: Pick<AckArgs, 'acks' | 'retentionMs'>
}
/** The raw reply; claim.ts parses it. */
export async function claimScript (redis: RedisClient, k: ClaimKeys, a: ClaimArgs): Promise<ScriptReply> {
  const keys = [
    ...k.queues, k.active, k.delayed, k.waiting, k.dlq, k.rate, k.pause, k.paused, k.blocked, k.migrated, k.stats,
    k.broadcastsDue, k.paidRate
  ]
  const args: Array<string | number> = [
    a.base, a.now, a.max, a.leaseMs, a.globalIntervalMs, a.globalBurstMs, a.chatIntervalMs, a.groupIntervalMs, a.scanBudget,
    a.paidIntervalMs, a.paidBurstMs, a.logTtlMs
  ]
  if (a.acks !== undefined && a.acks.acks.length > 0) {
    keys.push(k.latency, ...(k.sentHours !== undefined ? [k.sentHours] : []))
    args.push(a.acks.retentionMs)
    for (const x of a.acks.acks) args.push(x.id, x.part, x.messageId)
  }
  return await runScript(redis, 'claim', keys, args)
}

export type AckKeys = OutcomeKeys & Pick<QueueKeys, 'latency'> & Partial<Pick<QueueKeys, 'sentHours'>>
export interface AckArgs {
  base: string
  now: number
  retentionMs: number
  acks: ReadonlyArray<{ id: string, part: number, messageId: string | number }>
}
export type AckReply = 'sent' | 'next' | 'stale'
/** One reply per ack, in order. */
export async function ackScript (redis: RedisClient, k: AckKeys, a: AckArgs): Promise<AckReply[]> {
  const args: Array<string | number> = [a.base, a.now, a.retentionMs]
  for (const x of a.acks) args.push(x.id, x.part, x.messageId)
  return await runScript(redis, 'ack', [...outcomeKeys(k), k.latency, ...(k.sentHours !== undefined ? [k.sentHours] : [])], args) as AckReply[]
}

export type RetryKeys = OutcomeKeys & Pick<QueueKeys, 'pause' | 'queues'>
export interface RetryArgs {
  base: string
  id: string
  now: number
  delayMs: number
  /** '' none */
  error: string
  spend: boolean
  /** 0: no bot pause */
  pauseMs: number
  part: number
  /** an extra stats counter to bump; '' none */
  stat: string
}
export type RetryReply = 'retrying' | 'requeued' | 'failed' | 'expired' | 'stale'
export async function retryScript (redis: RedisClient, k: RetryKeys, a: RetryArgs): Promise<RetryReply> {
  return await runScript(redis, 'retry', [...outcomeKeys(k), k.pause, ...k.queues], [
    a.base, a.id, a.now, a.delayMs, a.error, flag(a.spend), a.pauseMs, a.part, a.stat
  ]) as RetryReply
}

export type DeadKeys = OutcomeKeys & Pick<QueueKeys, 'blocked' | 'blockedSince'>
export interface DeadArgs {
  base: string
  id: string
  now: number
  state: 'dead' | 'failed'
  reason: string
  /** '' the chat is not blocked */
  blockReason: string
  /** '' any part */
  part: number | ''
  spend: boolean
}
export async function deadScript (redis: RedisClient, k: DeadKeys, a: DeadArgs): Promise<'dead' | 'failed' | 'stale'> {
  return await runScript(redis, 'dead', [...outcomeKeys(k), k.blocked, k.blockedSince], [
    a.base, a.id, a.now, a.state, a.reason, a.blockReason, a.part, flag(a.spend)
  ]) as 'dead' | 'failed' | 'stale'
}

export interface CancelArgs { base: string, id: string, now: number, retentionMs: number }
/** 'ok', or the state that could not be cancelled ('missing' when unknown). */
export async function cancelScript (redis: RedisClient, k: OutcomeKeys, a: CancelArgs): Promise<string> {
  return String(await runScript(redis, 'cancel', outcomeKeys(k), [a.base, a.id, a.now, a.retentionMs]))
}

export type RequeueKeys = Pick<QueueKeys, 'dlq' | 'stats' | 'queues' | 'wake' | 'blocked' | 'blockedSince'>
export interface RequeueArgs { base: string, id: string, now: number, expiresAt: number, who: string }
export async function requeueScript (redis: RedisClient, k: RequeueKeys, a: RequeueArgs): Promise<'requeued' | 'missing'> {
  return await runScript(redis, 'requeue', [k.dlq, k.stats, ...k.queues, k.wake, k.blocked, k.blockedSince], [
    a.base, a.id, a.now, a.expiresAt, a.who
  ]) as 'requeued' | 'missing'
}

/** The attempts now spent, or -1 when nothing was refunded. */
export async function refundScript (redis: RedisClient, k: { message: string }, a: { attempts: number }): Promise<number> {
  return Number(await runScript(redis, 'refund', [k.message], [a.attempts]))
}

/** A broadcast's keys as broadcast-add and broadcast-cancel take them (includes/broadcast.lua). */
export interface BroadcastKeys {
  info: string
  pending: string
  variants: string
  due: string
  counters: string
}
export const broadcastKeys = (k: QueueKeys, id: string): BroadcastKeys => ({
  info: k.broadcastInfo(id), pending: k.broadcastPending(id), variants: k.broadcastVariants(id), due: k.broadcastsDue, counters: k.broadcast(id)
})

export interface BroadcastAddArgs {
  id: string
  /** recipients listed before this chunk: the chunk goes in only there */
  listedBefore: number
  /** 0, or (last chunk) when the broadcast may start */
  dueAt: number
  ttlMs: number
  /** 'chat' or 'chat|variant' */
  entries: string[]
}
export async function broadcastAddScript (redis: RedisClient, k: BroadcastKeys & { wake: string }, a: BroadcastAddArgs): Promise<{ listed: number, status: string }> {
  const [listed, status] = await runScript(redis, 'broadcast-add', [k.info, k.pending, k.variants, k.due, k.counters, k.wake], [
    a.listedBefore, a.dueAt, a.ttlMs, a.id, ...a.entries
  ]) as [number, string]
  return { listed, status }
}

/** Recipients made messages so far (to cancel one by one), and pending ones cancelled now. */
export async function broadcastCancelScript (redis: RedisClient, k: BroadcastKeys, a: { id: string }): Promise<{ made: number, cancelledPending: number }> {
  const [made, cancelledPending] = await runScript(redis, 'broadcast-cancel', [k.info, k.pending, k.due, k.counters], [a.id]) as [number, number]
  return { made, cancelledPending }
}

/** Queues broadcast.finished if every message of the broadcast has an outcome (at most once). */
export async function finishedScript (redis: RedisClient, k: Pick<QueueKeys, 'stats'>, a: { base: string, broadcastId: string, now: number }): Promise<void> {
  await runScript(redis, 'finished', [k.stats], [a.base, a.broadcastId, a.now])
}

export interface PatchArgs { base: string, id: string, now: number, callsRead: string, calls: string, parts: number }
/** 'ok', or the state that kept the message from changing in place ('changed': read again). */
export async function patchScript (redis: RedisClient, k: Pick<QueueKeys, 'stats'>, a: PatchArgs): Promise<string> {
  return String(await runScript(redis, 'patch', [k.stats], [a.base, a.id, a.now, a.callsRead, a.calls, a.parts]))
}
