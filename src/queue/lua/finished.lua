--[[ finished: queues a broadcast's broadcast.finished if all its messages have an
  outcome. The scripts that record outcomes do this as each message finishes, but
  not while the broadcast is still being queued; its route runs this once the
  last chunk is in, for a broadcast whose messages all finished before that.
  KEYS[1] stats
  ARGV[1] base  ARGV[2] broadcast id  ARGV[3] now
  Returns 1
]]
local base = ARGV[1]
-- @include events

broadcastEvent(base, KEYS[1], ARGV[2], tonumber(ARGV[3]))
return 1
