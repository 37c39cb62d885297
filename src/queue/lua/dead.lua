--[[ dead: a permanent failure (403, 400, poison, an uncertain send under
  at-most-once). The message goes to the DLQ with the reason; a chat that
  blocked or removed the bot is remembered and later messages skip it.
  KEYS[1] active  KEYS[2] delayed  KEYS[3] waiting  KEYS[4] dlq  KEYS[5] stats
  KEYS[6] blocked hash  KEYS[7] blocked-since zset (chat → when, kept from the first block)
  ARGV[1] base  ARGV[2] id  ARGV[3] now  ARGV[4] state (dead | failed)
  ARGV[5] reason  ARGV[6] block reason ('' none)  ARGV[7] part index ('' any)
  ARGV[8] spend an attempt (1|0)
  Returns the state, or 'stale'
]]
local K = { base = ARGV[1], active = KEYS[1], delayed = KEYS[2], waiting = KEYS[3], dlq = KEYS[4], stats = KEYS[5],
  blocked = KEYS[6], blockedSince = KEYS[7] }
local base = K.base
-- @include events
-- @include common

local id, now = ARGV[2], tonumber(ARGV[3])
local mk = base .. 'm:' .. id
local h = redis.call('HMGET', mk, 's', 'i', 'c')
if h[1] ~= 'active' or (ARGV[7] ~= '' and (h[2] or '0') ~= ARGV[7]) then return 'stale' end
if ARGV[8] == '1' then redis.call('HINCRBY', mk, 'a', 1) end
if ARGV[6] ~= '' then
  redis.call('HSET', K.blocked, h[3], ARGV[6])
  redis.call('ZADD', K.blockedSince, 'NX', now, h[3])
  markBlocked(K, mk, now)
end
deadLetter(K, id, mk, now, ARGV[4], ARGV[5])
return ARGV[4]
