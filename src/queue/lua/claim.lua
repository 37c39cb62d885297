--[[ claim: bounded housekeeping, then claim up to ARGV[3] deliverable messages.
  Housekeeping: leases past their deadline go back to the front of their
  queue (a message whose lease expires twice is poison: DLQ); due delayed
  messages (schedule, backoff) are promoted; chats whose rate window has
  passed release their oldest waiting message.
  Claiming pops in strict priority order. A message whose chat is busy
  (an earlier message of that chat is in flight or retrying), throttled
  (1/s, 20/min for groups) or has older messages waiting is parked in the
  chat's wait set (ordered by seq), so it never blocks other chats.
  KEYS[1..4] priority lists critical, high, normal, low
  KEYS[5] active zset (id -> lease deadline)   KEYS[6] delayed zset (id -> due)
  KEYS[7] waiting zset (chat -> time its next message may go)
  KEYS[8] dlq zset   KEYS[9] global rate (GCRA theoretical arrival time)
  KEYS[10] 429 pause (PX)   KEYS[11] admin pause flag
  KEYS[12] blocked hash (chat -> reason)   KEYS[13] migrated hash (chat -> new chat)
  KEYS[14] stats hash
  KEYS[15] due broadcasts zset (includes/broadcast.lua)
  KEYS[16] paid global rate (GCRA) for messages with allow_paid_broadcast (field pb)
  ARGV[1] base  ARGV[2] now ms  ARGV[3] max to claim  ARGV[4] lease ms
  ARGV[5] global interval ms (0: unlimited)  ARGV[6] global burst tolerance ms
  ARGV[7] chat interval ms  ARGV[8] group interval ms  ARGV[9] scan budget
  ARGV[10] paid interval ms (0: unlimited)  ARGV[11] paid burst tolerance ms
  ARGV[12] message log ttl ms (for broadcast recipients made messages here)
  Acks handed over with the claim (the worker's pending ones: one round trip
  for both), done first, as ack.lua does them (includes/ack.lua):
  KEYS[17] latency list  KEYS[18] sends per hour hash
  ARGV[13] retention ms  ARGV[14..] triples: message id, part index sent, Telegram message_id
  Older callers pass 14 keys and 9 args: no broadcasts of the new form, no paid rate;
  or 16 keys and 12 args: no acks.
  Returns { reason, waitMs, n, then n times: id, parts JSON, part index,
            attempts, max attempts, chat, target chat or '', expires at, queued at,
            own backoff or '', own timeout ms or '' }
  reason: 'ok' | 'empty' | 'rate' | 'pause' | 'paused'; waitMs: ms until
  something may be claimable (-1: nothing known).
]]
local K = {
  base = ARGV[1], queues = { KEYS[1], KEYS[2], KEYS[3], KEYS[4] },
  active = KEYS[5], delayed = KEYS[6], waiting = KEYS[7], dlq = KEYS[8],
  rate = KEYS[9], pause = KEYS[10], paused = KEYS[11], blocked = KEYS[12],
  migrated = KEYS[13], stats = KEYS[14], due = KEYS[15], paidRate = KEYS[16],
  latency = KEYS[17], hours = KEYS[18]
}
local base = K.base
-- @include events
-- @include common

local now, want, lease = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local gInterval, gBurst = tonumber(ARGV[5]), tonumber(ARGV[6])
local chatInterval, groupInterval = tonumber(ARGV[7]), tonumber(ARGV[8])
local budget = tonumber(ARGV[9])
local pInterval, pBurst = tonumber(ARGV[10] or ARGV[5]), tonumber(ARGV[11] or ARGV[6])

-- 0. the acks handed over with this claim: the chats they free can be claimed below
-- @include ack
if K.latency and #ARGV >= 16 then ackAll(K, now, ARGV[13], 14) end

-- Redis does not roll a script back: nothing below may fail after a write.
-- Fields are read defensively; a record too broken to route is dead-lettered.
local function rank (pr)
  local r = tonumber(pr)
  if r == nil or r < 0 or r > 3 then return 3 end
  return 1 + math.floor(r)
end

-- 1. leases that ran out: the worker died or hung
for _, id in ipairs(redis.call('ZRANGEBYSCORE', K.active, '-inf', now, 'LIMIT', 0, 100)) do
  local mk = base .. 'm:' .. id
  redis.call('ZREM', K.active, id)
  if redis.call('EXISTS', mk) == 1 then
    if redis.call('HINCRBY', mk, 'le', 1) >= 2 then
      deadLetter(K, id, mk, now, 'dead', 'poison: its lease expired twice (a worker crashed or hung while sending it)')
    else
      addHistory(mk, now, 'lease-expired', 'returned to the queue')
      redis.call('HSET', mk, 's', 'queued')
      redis.call('LPUSH', K.queues[rank(redis.call('HGET', mk, 'pr'))], id)
    end
  end
end

-- 2. due scheduled sends and retries
for _, id in ipairs(redis.call('ZRANGEBYSCORE', K.delayed, '-inf', now, 'LIMIT', 0, 200)) do
  local mk = base .. 'm:' .. id
  redis.call('ZREM', K.delayed, id)
  local h = redis.call('HMGET', mk, 's', 'pr')
  if h[2] then
    redis.call('HSET', mk, 's', 'queued')
    -- a retry is older than what is queued: front; a scheduled send: back
    if h[1] == 'retrying' then redis.call('LPUSH', K.queues[rank(h[2])], id)
    else redis.call('RPUSH', K.queues[rank(h[2])], id) end
  end
end

-- 3. chats whose rate window passed: their oldest waiting message goes first
for _, chat in ipairs(redis.call('ZRANGEBYSCORE', K.waiting, '-inf', now, 'LIMIT', 0, 200)) do
  redis.call('ZREM', K.waiting, chat)
  local head = redis.call('ZPOPMIN', base .. 'w:' .. chat)
  if head[1] then
    local pr = redis.call('HGET', base .. 'm:' .. head[1], 'pr')
    if pr then redis.call('LPUSH', K.queues[rank(pr)], head[1]) end
  end
end

-- @include broadcast
if K.due then topUpBroadcasts(K, now, math.max(want * 4, 64), tonumber(ARGV[12])) end

if redis.call('EXISTS', K.paused) == 1 then return { 'paused', -1, 0 } end
local pauseMs = redis.call('PTTL', K.pause)
if pauseMs > 0 then return { 'pause', pauseMs, 0 } end

-- 4. claim
local out, n, reason, waitMs = {}, 0, 'empty', -1
-- most bots have no blocked or migrated chat: then no lookup per message
local anyBlocked = redis.call('EXISTS', K.blocked) == 1
local anyMigrated = redis.call('EXISTS', K.migrated) == 1
local p = 1
while p <= 4 and n < want and budget > 0 do
  local id = redis.call('LPOP', K.queues[p])
  if not id then
    p = p + 1
  else
    budget = budget - 1
    local mk = base .. 'm:' .. id
    -- what routing needs (1-5) and what the worker gets (6-13), in one read
    local h = redis.call('HMGET', mk, 's', 'c', 'sq', 'x', 'pb', 'p', 'i', 'a', 'ma', 't', 'sa', 'bo', 'to')
    -- anything not 'queued' (cancelled, sent, dead) is a stale entry: drop it
    if h[1] == 'queued' and not h[2] then
      deadLetter(K, id, mk, now, 'dead', 'poison: the stored message has no chat')
    elseif h[1] == 'queued' then
      local chat, seq = h[2], tonumber(h[3]) or 0
      local blocked = anyBlocked and redis.call('HGET', K.blocked, chat)
      if (tonumber(h[4]) or 0) <= now then
        deadLetter(K, id, mk, now, 'expired', 'expired before it could be delivered')
      elseif blocked then
        markBlocked(K, mk, now)
        deadLetter(K, id, mk, now, 'dead', 'chat is blocked: ' .. blocked)
      else
        local ck, wk = base .. 'c:' .. chat, base .. 'w:' .. chat
        local c = redis.call('HMGET', ck, 'h', 't')
        local tat = tonumber(c[2] or '0')
        local busy = c[1] and c[1] ~= id
        local head = redis.call('ZRANGE', wk, 0, 0, 'WITHSCORES')
        local older = head[1] ~= nil and tonumber(head[2]) < seq
        if busy or older or tat > now then
          redis.call('ZADD', wk, seq, id)
          if not busy then redis.call('ZADD', K.waiting, math.max(tat, now), chat) end
        else
          -- a paid broadcast's message takes from the paid bucket instead of the bot's
          local rk, iv, burst = K.rate, gInterval, gBurst
          if h[5] == '1' and K.paidRate then rk, iv, burst = K.paidRate, pInterval, pBurst end
          local gtat = 0
          if iv > 0 then
            gtat = math.max(tonumber(redis.call('GET', rk) or '0'), now)
          end
          if iv > 0 and gtat - now > burst then
            redis.call('LPUSH', K.queues[p], id)
            reason, waitMs = 'rate', gtat - now - burst
            break
          end
          if iv > 0 then
            redis.call('SET', rk, gtat + iv, 'PX', math.ceil(iv + burst) + 1000)
          end
          local interval = chatInterval
          if string.sub(chat, 1, 1) == '-' or string.sub(chat, 1, 1) == '@' then
            interval = math.max(chatInterval, groupInterval)
          end
          redis.call('HSET', ck, 'h', id, 't', now + interval)
          redis.call('PERSIST', ck)
          redis.call('HSET', mk, 's', 'active', 'u', now)
          redis.call('ZADD', K.active, now + lease, id)
          local target = anyMigrated and redis.call('HGET', K.migrated, chat) or ''
          out[#out + 1] = id
          out[#out + 1] = h[6] or ''
          out[#out + 1] = h[7] or '0'
          out[#out + 1] = h[8] or '0'
          out[#out + 1] = h[9] or '1'
          out[#out + 1] = chat
          out[#out + 1] = target
          out[#out + 1] = h[4] or '0'
          out[#out + 1] = h[11] or h[10] or '0'
          out[#out + 1] = h[12] or ''
          out[#out + 1] = h[13] or ''
          n = n + 1
        end
      end
    end
  end
end

if reason ~= 'rate' and n < want then
  -- when may something become claimable?
  for _, key in ipairs({ K.delayed, K.waiting, K.active, K.due or K.delayed }) do
    local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    if first[2] then
      local d = math.max(tonumber(first[2]) - now, 0)
      if waitMs < 0 or d < waitMs then waitMs = d end
    end
  end
  if budget <= 0 then waitMs = 0 end
end
if n > 0 and reason == 'empty' then reason = 'ok' end
return { reason, waitMs, n, unpack(out) }
