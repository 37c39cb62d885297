--[[ refund: give back an attempt that an outage, not the message, used up.
  Only a message still waiting to be retried gets it back; one that has been
  delivered or dead-lettered meanwhile is left as it is.
  KEYS[1] message hash
  Returns the attempts now spent, or -1 when nothing was refunded
]]
local mk = KEYS[1]
local h = redis.call('HMGET', mk, 's', 'a')
local spent = tonumber(h[2]) or 0
if spent < 1 or (h[1] ~= 'retrying' and h[1] ~= 'queued') then return -1 end
local now = redis.call('HINCRBY', mk, 'a', -1)
local line = cjson.encode({ t = tonumber(redis.call('TIME')[1]) * 1000, ev = 'attempt-refunded', d = 'the failure was the Bot API outage that opened the circuit' })
local hist = redis.call('HGET', mk, 'h')
if hist then line = hist .. '\n' .. line end
redis.call('HSET', mk, 'h', line)
return now
