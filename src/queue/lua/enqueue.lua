--[[ enqueue: store a new message and make it claimable, exactly once.
  A resent command (ioredis after a reconnect) or a repeated idempotency key
  finds the first message and changes nothing.
  KEYS[1] message hash      KEYS[2] priority list    KEYS[3] delayed zset
  KEYS[4] idempotency key (KEYS[1] when there is none)
  KEYS[5] seq counter       KEYS[6] wake list        KEYS[7] stats hash
  KEYS[8] this hour's log list
  ARGV[1] id  ARGV[2] now ms  ARGV[3] send_at ms (0: now)
  ARGV[4] idempotency ttl ms (0: none)  ARGV[6] base
  ARGV[5] log ttl ms: every push renews it, so an hour's list expires that
          long after its newest id (the retention of every id in it)
  ARGV[7..] field, value pairs of the message hash
  Returns { id, 'new' | 'duplicate', status }
]]
local id, now, sendAt = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local idemTtl = tonumber(ARGV[4])

if idemTtl > 0 then
  local first = redis.call('GET', KEYS[4])
  if first then return { first, 'duplicate', redis.call('HGET', ARGV[6] .. 'm:' .. first, 's') or 'gone' } end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return { id, 'duplicate', redis.call('HGET', KEYS[1], 's') }
end

local status = 'queued'
if sendAt > now then status = 'scheduled' end
local seq = redis.call('INCR', KEYS[5])
redis.call('HSET', KEYS[1], 's', status, 'sq', seq, unpack(ARGV, 7))
if status == 'scheduled' then
  redis.call('ZADD', KEYS[3], sendAt, id)
else
  redis.call('RPUSH', KEYS[2], id)
  redis.call('LPUSH', KEYS[6], '1')
  redis.call('LTRIM', KEYS[6], 0, 63)
end
if idemTtl > 0 then redis.call('SET', KEYS[4], id, 'PX', idemTtl) end
redis.call('RPUSH', KEYS[8], id)
redis.call('PEXPIRE', KEYS[8], ARGV[5])
redis.call('HINCRBY', KEYS[7], 'queued', 1)
return { id, 'new', status }
