--[[ cancel: a queued, scheduled or retrying message will not be sent.
  Queue list entries are dropped lazily by claim (it skips what is not
  'queued'), so this is O(log n).
  KEYS[1] active  KEYS[2] delayed  KEYS[3] waiting  KEYS[4] dlq  KEYS[5] stats
  ARGV[1] base  ARGV[2] id  ARGV[3] now  ARGV[4] retention ms
  Returns 'ok', or the state that could not be cancelled ('missing' when unknown)
]]
local K = { base = ARGV[1], active = KEYS[1], delayed = KEYS[2], waiting = KEYS[3], dlq = KEYS[4], stats = KEYS[5] }
local base = K.base
-- @include events
-- @include common

local id, now = ARGV[2], tonumber(ARGV[3])
local mk = base .. 'm:' .. id
local h = redis.call('HMGET', mk, 's', 'c')
if h[1] ~= 'queued' and h[1] ~= 'scheduled' and h[1] ~= 'retrying' then return h[1] or 'missing' end
redis.call('ZREM', K.delayed, id)
redis.call('ZREM', base .. 'w:' .. h[2], id)
redis.call('HSET', mk, 's', 'cancelled', 'u', now)
addHistory(mk, now, 'cancelled', '')
redis.call('PEXPIRE', mk, ARGV[4])
redis.call('HINCRBY', K.stats, 'cancelled', 1)
countBroadcast(K, mk, 'cancelled', now)
messageEvent(base, K.stats, id, 'cancelled', 'cancelled', now)
releaseChat(K, h[2], id, now)
return 'ok'
