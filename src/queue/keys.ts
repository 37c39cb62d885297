// One place names every Redis key. All keys share the hash tag {prefix}, so
// every Lua script's keys live in one Redis Cluster slot. Per-message and
// per-chat keys are built inside scripts from `base` (the same tag), which is
// passed in as an argument — the one exception to "all keys are passed in",
// because a script only learns the chat after popping a message.
export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const
export type Priority = typeof PRIORITIES[number]

export interface QueueKeys {
  base: string
  /** one list per priority, index = priority rank */
  queues: string[]
  active: string
  delayed: string
  waiting: string
  dlq: string
  rate: string
  pause: string
  paused: string
  blocked: string
  /** zset chat → when it was blocked (ms), beside `blocked`: the chat directory pages over it */
  blockedSince: string
  migrated: string
  stats: string
  latency: string
  seq: string
  wake: string
  workers: string
  /** messages sent per hour (hour since epoch -> count), for the BullMQ-style "completed" count */
  sentHours: string
  /** every broadcast's id -> created ms, newest last: the broadcast list */
  broadcasts: string
  msg: (id: string) => string
  chat: (chat: string) => string
  chatWait: (chat: string) => string
  idem: (key: string) => string
  log: (hour: number) => string
  /** outcome counters of a broadcast (written by the scripts) */
  broadcast: (id: string) => string
  /** a broadcast's definition (hash), its message ids in recipient order (list), the lock of the request queueing it */
  broadcastInfo: (id: string) => string
  broadcastIds: (id: string) => string
  /** the newer form (includes/broadcast.lua): content once per variant (hash), pending recipients (list) */
  broadcastVariants: (id: string) => string
  broadcastPending: (id: string) => string
  /** broadcasts whose recipients claim may turn into messages (zset: id -> when) */
  broadcastsDue: string
  /** GCRA state of the paid-broadcast rate (allow_paid_broadcast) */
  paidRate: string
  broadcastLock: (id: string) => string
  /** a broadcast's idempotency key → its id (apart from idem: so a message key cannot collide with it) */
  broadcastIdem: (key: string) => string
  /** a channel member operation's result (the invite link it created, its message id) */
  operation: (ref: string) => string
  /** bytes of an uploaded file, kept until its message is delivered or expires */
  file: (id: string) => string
  /** a histogram's bucket counts, all processes (src/monitor/histograms.ts) */
  histogram: (name: string) => string
  /** the last hour of per-minute samples (list, newest first) and the per-step claim that one process takes a sample */
  history: string
  historyStep: (step: number) => string
  /** admin-chat alerts: since when each condition holds (hash), and the once-per-interval mark of each */
  alertSince: string
  alertSent: (kind: string) => string
}

export function queueKeys (prefix = 'tg', queueName = 'queue', dlqName = 'dlq'): QueueKeys {
  const base = `{${prefix}}:`
  return {
    base,
    queues: PRIORITIES.map(p => `${base}${queueName}:${p}`),
    active: `${base}active`,
    delayed: `${base}delayed`,
    waiting: `${base}waiting`,
    dlq: `${base}${dlqName}`,
    rate: `${base}rate`,
    pause: `${base}pause`,
    paused: `${base}paused`,
    blocked: `${base}blocked`,
    blockedSince: `${base}blocked-since`,
    migrated: `${base}migrated`,
    stats: `${base}stats`,
    latency: `${base}latency`,
    seq: `${base}seq`,
    wake: `${base}wake`,
    workers: `${base}workers`,
    sentHours: `${base}sent-hours`,
    broadcasts: `${base}broadcasts`,
    // the m:, c:, w:, b:, f:, bc: shapes, `seq` and `wake` are also built in lua/*.lua from `base`
    msg: id => `${base}m:${id}`,
    chat: chat => `${base}c:${chat}`,
    chatWait: chat => `${base}w:${chat}`,
    idem: key => `${base}idem:${key}`,
    log: hour => `${base}log:${hour}`,
    broadcast: id => `${base}b:${id}`,
    broadcastInfo: id => `${base}bc:${id}`,
    broadcastIds: id => `${base}bc:${id}:ids`,
    broadcastVariants: id => `${base}bc:${id}:v`,
    broadcastPending: id => `${base}bc:${id}:r`,
    broadcastsDue: `${base}bcq`,
    paidRate: `${base}rate:paid`,
    broadcastLock: id => `${base}bc:${id}:lock`,
    broadcastIdem: key => `${base}bc-idem:${key}`,
    operation: ref => `${base}op:${ref}`,
    file: id => `${base}f:${id}`,
    histogram: name => `${base}hist:${name}`,
    history: `${base}history`,
    historyStep: step => `${base}history:${step}`,
    alertSince: `${base}alert:since`,
    alertSent: kind => `${base}alert:${kind}`
  }
}

/** Groups, supergroups and channels have negative ids or @usernames: 20 msg/min. */
export function isGroupChat (chat: string): boolean {
  return chat.startsWith('-') || chat.startsWith('@')
}
