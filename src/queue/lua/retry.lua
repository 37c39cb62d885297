--[[ retry: a send did not go through but may later. With a delay the message
  waits in the delayed set (backoff, keeps holding its chat so later messages
  to that chat stay behind it); without one it goes back to the front of its
  queue (breaker open, shutdown, 429). A 429 also pauses the whole bot.
  KEYS[1] active  KEYS[2] delayed  KEYS[3] waiting  KEYS[4] dlq  KEYS[5] stats
  KEYS[6] 429 pause key  KEYS[7..10] priority lists
  ARGV[1] base  ARGV[2] id  ARGV[3] now  ARGV[4] delay ms  ARGV[5] error ('' none)
  ARGV[6] spend an attempt (1|0)  ARGV[7] bot pause ms (0: none)
  ARGV[8] part index  ARGV[9] extra counter to bump ('' none)
  Returns 'retrying' | 'requeued' | 'failed' | 'expired' | 'stale'
]]
local K = { base = ARGV[1], active = KEYS[1], delayed = KEYS[2], waiting = KEYS[3], dlq = KEYS[4], stats = KEYS[5],
  pause = KEYS[6], queues = { KEYS[7], KEYS[8], KEYS[9], KEYS[10] } }
local base = K.base
-- @include events
-- @include common

local id, now, delay, err = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local pauseMs = tonumber(ARGV[7])
local mk = base .. 'm:' .. id
local h = redis.call('HMGET', mk, 's', 'i', 'a', 'ma', 'x', 'pr')
if h[1] ~= 'active' or (h[2] or '0') ~= ARGV[8] then return 'stale' end
redis.call('ZREM', K.active, id)
if ARGV[9] ~= '' then redis.call('HINCRBY', K.stats, ARGV[9], 1) end
if pauseMs > 0 and redis.call('PTTL', K.pause) < pauseMs then
  redis.call('SET', K.pause, '1', 'PX', pauseMs)
end
if err ~= '' then
  redis.call('HSET', mk, 'e', err)
  addHistory(mk, now, 'attempt-failed', err)
end
local attempts = tonumber(h[3] or '0')
if ARGV[6] == '1' then attempts = redis.call('HINCRBY', mk, 'a', 1) end
if attempts >= tonumber(h[4] or '1') then
  deadLetter(K, id, mk, now, 'failed', 'no attempts left; last error: ' .. err)
  return 'failed'
end
local at = now + math.max(delay, pauseMs)
if at >= (tonumber(h[5]) or math.huge) then
  deadLetter(K, id, mk, now, 'expired', 'would expire before the next attempt; last error: ' .. err)
  return 'expired'
end
if delay > 0 then
  redis.call('HSET', mk, 's', 'retrying', 'u', now)
  redis.call('ZADD', K.delayed, at, id)
  redis.call('HINCRBY', K.stats, 'retried', 1)
  return 'retrying'
end
redis.call('HSET', mk, 's', 'queued', 'u', now)
redis.call('LPUSH', K.queues[1 + (tonumber(h[6]) or 2)], id)
return 'requeued'
