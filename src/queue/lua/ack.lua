--[[ ack: parts of messages reached Telegram — one or many messages per call
  (the worker batches the acks that arrive within a couple of milliseconds,
  and hands claim.lua those that are pending when it claims). What an ack
  does: includes/ack.lua.
  KEYS[1] active  KEYS[2] delayed  KEYS[3] waiting  KEYS[4] dlq  KEYS[5] stats
  KEYS[6] latency list
  KEYS[7] (optional) sends per hour hash (hour -> count): "completed" in queue/stats
  ARGV[1] base  ARGV[2] now  ARGV[3] retention ms
  ARGV[4..] triples: message id, part index sent, Telegram message_id
  Returns one of 'sent' | 'next' | 'stale' per triple
]]
local K = { base = ARGV[1], active = KEYS[1], delayed = KEYS[2], waiting = KEYS[3], dlq = KEYS[4], stats = KEYS[5],
  latency = KEYS[6], hours = KEYS[7] }
-- @include events
-- @include common
-- @include ack

return ackAll(K, tonumber(ARGV[2]), ARGV[3], 4)
