--[[ refund: give back attempts that an outage, not the message, used up.
  Only a message still waiting to be retried gets it back; one that has been
  delivered or dead-lettered meanwhile is left as it is. A message still
  'active' is one whose retry script has not run yet (the breaker opens on
  the failure itself; nothing is claimed while it is open): refund it too —
  its pending retry's increment and this decrement net to zero.
  KEYS[1] message hash
  ARGV[1] attempts to give back
  Returns the attempts now spent, or -1 when nothing was refunded
]]
local mk = KEYS[1]
-- @include events
-- @include common

local h = redis.call('HMGET', mk, 's', 'a')
local spent = tonumber(h[2]) or 0
local n = tonumber(ARGV[1])
if h[1] == 'active' then
  -- the last failure's retry has not counted it yet
elseif h[1] == 'retrying' or h[1] == 'queued' then
  n = math.min(n, spent)
else
  return -1
end
if n < 1 then return -1 end
local now = redis.call('HINCRBY', mk, 'a', -n)
addHistory(mk, tonumber(redis.call('TIME')[1]) * 1000, 'attempt-refunded',
  'the failure was the Bot API outage that opened the circuit')
return now
