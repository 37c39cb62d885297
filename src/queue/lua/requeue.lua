--[[ requeue: a message leaves the DLQ with fresh attempts and a fresh
  expiry, back to the end of its priority queue. Parts already delivered
  are not sent again.
  The message's chat leaves the blocked list: an admin asked for another
  try, and claim would otherwise dead-letter it again without sending; if
  the chat still blocks the bot, the 403 blocks it again.
  KEYS[1] dlq  KEYS[2] stats  KEYS[3..6] priority lists  KEYS[7] wake list
  KEYS[8] blocked hash  KEYS[9] blocked-since zset
  ARGV[1] base  ARGV[2] id  ARGV[3] now  ARGV[4] new expires at ms
  ARGV[5] who asked (for the history)
  Returns 'requeued' | 'missing'
]]
local K = { base = ARGV[1], dlq = KEYS[1], stats = KEYS[2],
  queues = { KEYS[3], KEYS[4], KEYS[5], KEYS[6] }, wake = KEYS[7], blocked = KEYS[8], blockedSince = KEYS[9] }
local base = K.base
-- @include events
-- @include common

local id, now = ARGV[2], tonumber(ARGV[3])
local mk = base .. 'm:' .. id
if redis.call('ZREM', K.dlq, id) == 0 or redis.call('EXISTS', mk) == 0 then return 'missing' end
-- a broadcast counted this message's outcome: it is open again
local h = redis.call('HMGET', mk, 's', 'b', 'c')
if h[2] and h[1] then redis.call('HINCRBY', base .. 'b:' .. h[2], h[1], -1) end
if h[3] then
  redis.call('HDEL', K.blocked, h[3])
  redis.call('ZREM', K.blockedSince, h[3])
end
-- q: when it was queued again, so delivery latency does not count its time in the DLQ
redis.call('HSET', mk, 's', 'queued', 'a', 0, 'le', 0, 'x', ARGV[4], 'u', now, 'q', now)
-- alive again: whether it was blocked is for its next end to say
redis.call('HDEL', mk, 'bk')
redis.call('PERSIST', mk)
addHistory(mk, now, 'requeued', ARGV[5])
redis.call('RPUSH', K.queues[1 + (tonumber(redis.call('HGET', mk, 'pr')) or 2)], id)
redis.call('LPUSH', K.wake, '1')
redis.call('LTRIM', K.wake, 0, 63)
redis.call('HINCRBY', K.stats, 'requeued', 1)
return 'requeued'
