--[[ enqueue: store new messages and make them claimable, each exactly once.
  One call takes a batch (the producer's group commit: every send that
  arrives while the previous batch is in flight goes in the next one), in
  order; each message is handled as if it had its own call. A resent command
  (ioredis after a reconnect) or a repeated idempotency key — also within one
  batch — finds the first message and changes nothing.
  KEYS[1] delayed zset   KEYS[2] seq counter   KEYS[3] wake list
  KEYS[4] stats hash     KEYS[5] this hour's log list
  then per message i (from 0): KEYS[6+3i] message hash, KEYS[7+3i] its
  priority list, KEYS[8+3i] its idempotency key (its message hash when none)
  ARGV[1] now ms  ARGV[2] log ttl ms (every push renews it, so an hour's list
          expires that long after its newest id)  ARGV[3] base
  then per message: id, send_at ms (0: now), idempotency ttl ms (0: none),
  the number of field/value items that follow, the message hash's field/value pairs
  Returns { id, 'new' | 'duplicate', status } per message, flattened
]]
local K = { delayed = KEYS[1], seq = KEYS[2], wake = KEYS[3], stats = KEYS[4], log = KEYS[5] }
local now, logTtl, base = tonumber(ARGV[1]), ARGV[2], ARGV[3]

local out, logged, pushes = {}, {}, {}
local pushOrder = {}
local seq, added, ready = nil, 0, 0
local a, k = 4, 6
while a <= #ARGV do
  local mk, queue, idemKey = KEYS[k], KEYS[k + 1], KEYS[k + 2]
  local id, sendAt, idemTtl, n = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local first, last = a + 4, a + 3 + n
  a, k = last + 1, k + 3

  local dup = false
  if idemTtl > 0 then
    local firstId = redis.call('GET', idemKey)
    if firstId then
      out[#out + 1] = firstId; out[#out + 1] = 'duplicate'
      out[#out + 1] = redis.call('HGET', base .. 'm:' .. firstId, 's') or 'gone'
      dup = true
    end
  end
  if not dup then
    local status = 'queued'
    if sendAt > now then status = 'scheduled' end
    -- the existence check and the first write in one command
    if redis.call('HSETNX', mk, 's', status) == 0 then
      out[#out + 1] = id; out[#out + 1] = 'duplicate'; out[#out + 1] = redis.call('HGET', mk, 's')
    else
      -- INCR's numbering, one read and one write per batch
      seq = (seq or tonumber(redis.call('GET', K.seq) or '0')) + 1
      redis.call('HSET', mk, 'sq', seq, unpack(ARGV, first, last))
      if status == 'scheduled' then
        redis.call('ZADD', K.delayed, sendAt, id)
      else
        local list = pushes[queue]
        if not list then list = {}; pushes[queue] = list; pushOrder[#pushOrder + 1] = queue end
        list[#list + 1] = id
        ready = ready + 1
      end
      if idemTtl > 0 then redis.call('SET', idemKey, id, 'PX', idemTtl) end
      logged[#logged + 1] = id
      added = added + 1
      out[#out + 1] = id; out[#out + 1] = 'new'; out[#out + 1] = status
    end
  end
end

if added > 0 then
  redis.call('SET', K.seq, seq)
  for _, queue in ipairs(pushOrder) do redis.call('RPUSH', queue, unpack(pushes[queue])) end
  if ready > 0 then
    -- a wake-up per message, bounded: idle workers block on this list
    local wakes = {}
    for i = 1, math.min(ready, 64) do wakes[i] = '1' end
    if redis.call('LPUSH', K.wake, unpack(wakes)) > 64 then redis.call('LTRIM', K.wake, 0, 63) end
  end
  redis.call('RPUSH', K.log, unpack(logged))
  redis.call('PEXPIRE', K.log, logTtl)
  redis.call('HINCRBY', K.stats, 'queued', added)
end
return out
