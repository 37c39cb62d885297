--[[ patch: a message that has not gone out yet changes in place: its calls are
  replaced, if it is still queued or scheduled with no part sent and its calls are
  still the ones the caller read (another PATCH or a claim in between: the caller
  reads again). Queues message.edited (events.lua).
  KEYS[1] stats
  ARGV[1] base  ARGV[2] id  ARGV[3] now  ARGV[4] calls JSON read  ARGV[5] new calls JSON
  ARGV[6] new number of calls
  Returns 'ok', or the state that kept it from changing ('changed' when only the calls moved on,
  'missing' when unknown)
]]
local base = ARGV[1]
-- @include events
-- @include common

local id, now = ARGV[2], tonumber(ARGV[3])
local mk = base .. 'm:' .. id
local h = redis.call('HMGET', mk, 's', 'i', 'p')
if h[1] ~= 'queued' and h[1] ~= 'scheduled' then return h[1] or 'missing' end
if (h[2] or '0') ~= '0' then return 'partly sent' end
if h[3] ~= ARGV[4] then return 'changed' end
redis.call('HSET', mk, 'p', ARGV[5], 'n', ARGV[6], 'u', now)
addHistory(mk, now, 'edited', 'changed before it went out')
messageEvent(base, KEYS[1], id, 'edited', h[1], now)
return 'ok'
