--[[ broadcast-add: append one chunk of a broadcast's recipients, exactly once,
  and with the last chunk make the broadcast due (includes/broadcast.lua).
  The chunk goes in only if the broadcast has exactly ARGV[1] recipients
  listed: a chunk resent after a reconnect, or by a second request resuming
  the same broadcast, changes nothing.
  KEYS[1] broadcast info hash   KEYS[2] pending recipients list
  KEYS[3] its variants hash     KEYS[4] due broadcasts zset
  KEYS[5] its outcome counters  KEYS[6] wake list
  ARGV[1] recipients listed before this chunk
  ARGV[2] 0, or (last chunk) when the broadcast may start, ms
  ARGV[3] ttl ms of the broadcast's keys   ARGV[4] broadcast id
  ARGV[5..] 'chat' or 'chat|variant'
  Returns { recipients listed, status }
]]
local listed = tonumber(redis.call('HGET', KEYS[1], 'listed') or '-1')
if listed == tonumber(ARGV[1]) and #ARGV > 4 then
  redis.call('RPUSH', KEYS[2], unpack(ARGV, 5))
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  listed = redis.call('HINCRBY', KEYS[1], 'listed', #ARGV - 4)
end
local status = redis.call('HGET', KEYS[1], 'status') or 'gone'
if tonumber(ARGV[2]) > 0 and status == 'queuing' and listed >= tonumber(redis.call('HGET', KEYS[1], 'recipients') or '0') then
  status = 'queued'
  redis.call('HSET', KEYS[1], 'status', status)
  redis.call('ZADD', KEYS[4], ARGV[2], ARGV[4])
  for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
  -- the scripts create the counters with the first outcome; give them the broadcast's lifetime
  redis.call('HSETNX', KEYS[5], 'sent', 0)
  redis.call('PEXPIRE', KEYS[5], ARGV[3])
  redis.call('LPUSH', KEYS[6], '1')
  redis.call('LTRIM', KEYS[6], 0, 63)
end
return { listed, status }
