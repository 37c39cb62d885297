--[[ broadcast-cancel: nobody still pending in a broadcast gets it. Pending
  recipients (not yet made messages) are counted as cancelled in one step and
  stay listed, so the broadcast's status still names them; claim makes no more
  messages of a cancelled broadcast. Recipients already made messages are
  cancelled one by one by the caller (src/broadcasts/cancel.ts), since some
  may be in flight. Calling it again counts only what was listed since.
  KEYS[1] broadcast info hash   KEYS[2] pending recipients list
  KEYS[3] due broadcasts zset   KEYS[4] the broadcast's outcome counters
  ARGV[1] broadcast id
  Returns { recipients made messages so far, pending recipients newly cancelled }
  (0, 0 for a broadcast of the older form: its messages are listed in bc:<id>:ids)
]]
redis.call('HSET', KEYS[1], 'status', 'cancelled')
redis.call('ZREM', KEYS[3], ARGV[1])
local pending = redis.call('LLEN', KEYS[2])
local counted = tonumber(redis.call('HGET', KEYS[1], 'cn') or '0')
if pending > counted then
  redis.call('HSET', KEYS[1], 'cn', pending)
  redis.call('HINCRBY', KEYS[4], 'cancelled', pending - counted)
end
return { tonumber(redis.call('HGET', KEYS[1], 'cur') or '0'), pending - counted }
