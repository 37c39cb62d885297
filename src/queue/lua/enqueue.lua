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
local K = { message = KEYS[1], queue = KEYS[2], delayed = KEYS[3], idempotency = KEYS[4],
  seq = KEYS[5], wake = KEYS[6], stats = KEYS[7], log = KEYS[8] }
local id, now, sendAt = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local idemTtl = tonumber(ARGV[4])

if idemTtl > 0 then
  local first = redis.call('GET', K.idempotency)
  if first then return { first, 'duplicate', redis.call('HGET', ARGV[6] .. 'm:' .. first, 's') or 'gone' } end
end
local status = 'queued'
if sendAt > now then status = 'scheduled' end
-- the existence check and the first write in one command
if redis.call('HSETNX', K.message, 's', status) == 0 then
  return { id, 'duplicate', redis.call('HGET', K.message, 's') }
end
local seq = redis.call('INCR', K.seq)
redis.call('HSET', K.message, 'sq', seq, unpack(ARGV, 7))
if status == 'scheduled' then
  redis.call('ZADD', K.delayed, sendAt, id)
else
  redis.call('RPUSH', K.queue, id)
  -- a wake-up per message, bounded: idle workers block on this list
  if redis.call('LPUSH', K.wake, '1') > 64 then redis.call('LTRIM', K.wake, 0, 63) end
end
if idemTtl > 0 then redis.call('SET', K.idempotency, id, 'PX', idemTtl) end
redis.call('RPUSH', K.log, id)
redis.call('PEXPIRE', K.log, ARGV[5])
redis.call('HINCRBY', K.stats, 'queued', 1)
return { id, 'new', status }
