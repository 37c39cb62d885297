--[[ ack: parts of messages reached Telegram — one or many messages per call
  (the worker batches the acks that arrive within a couple of milliseconds).
  For each: the last part marks the message sent and frees its chat; an
  earlier part parks the message in its chat's wait set so the next part goes
  when the chat's rate allows. A stale ack (another worker took the message
  over, or the part index moved on) changes nothing. A sent message queues its
  message.sent event (events.lua); a finished edit or delete job (fields of, op)
  marks the message it was for edited or deleted and queues that event instead.
  KEYS[1] active  KEYS[2] delayed  KEYS[3] waiting  KEYS[4] dlq  KEYS[5] stats
  KEYS[6] latency list
  KEYS[7] (optional) sends per hour hash (hour -> count): "completed" in queue/stats
  ARGV[1] base  ARGV[2] now  ARGV[3] retention ms
  ARGV[4..] triples: message id, part index sent, Telegram message_id
  Returns one of 'sent' | 'next' | 'stale' per triple
]]
local K = { base = ARGV[1], active = KEYS[1], delayed = KEYS[2], waiting = KEYS[3], dlq = KEYS[4], stats = KEYS[5],
  latency = KEYS[6] }
local base = K.base
-- @include events
-- @include common

local now, retention = tonumber(ARGV[2]), ARGV[3]

local function finishJob (of, op)
  local omk = base .. 'm:' .. of
  if redis.call('EXISTS', omk) == 0 then return end
  redis.call('HSET', omk, 'u', now)
  if op == 'delete' then
    redis.call('HSET', omk, 's', 'deleted')
    addHistory(omk, now, 'deleted', 'deleteMessage for each part')
    redis.call('HINCRBY', K.stats, 'deleted', 1)
    messageEvent(base, K.stats, of, 'deleted', 'deleted', now)
  else
    addHistory(omk, now, 'edited', '')
    messageEvent(base, K.stats, of, 'edited', redis.call('HGET', omk, 's') or 'sent', now)
  end
end

local function ackOne (id, part, messageId)
  local mk = base .. 'm:' .. id
  local h = redis.call('HMGET', mk, 's', 'i', 'n', 'c', 'sq', 't', 'sa', 'r', 'f', 'q', 'b', 'of', 'op')
  if (h[1] ~= 'active' and h[1] ~= 'queued' and h[1] ~= 'retrying') or (h[2] or '0') ~= part then
    return 'stale'
  end
  redis.call('ZREM', K.active, id)
  local nextPart = tonumber(part) + 1
  local ids = messageId
  if h[8] then ids = h[8] .. ',' .. messageId end
  redis.call('HSET', mk, 'i', nextPart, 'r', ids, 'u', now)
  local chat = h[4]
  if nextPart < tonumber(h[3] or '1') then
    redis.call('HSET', mk, 's', 'queued')
    redis.call('ZADD', base .. 'w:' .. chat, h[5], id)
    local tat = tonumber(redis.call('HGET', base .. 'c:' .. chat, 't') or '0')
    redis.call('ZADD', K.waiting, math.max(tat, now), chat)
    return 'next'
  end
  -- uploaded bytes are not needed once Telegram has them
  if h[9] then
    for fid in string.gmatch(h[9], '[^,]+') do redis.call('DEL', base .. 'f:' .. fid) end
  end
  redis.call('HSET', mk, 's', 'sent', 'd', now)
  redis.call('HINCRBY', mk, 'a', 1)
  redis.call('PEXPIRE', mk, retention)
  redis.call('HINCRBY', K.stats, 'sent', 1)
  if KEYS[7] then redis.call('HINCRBY', KEYS[7], math.floor(now / 3600000), 1) end
  if h[11] then
    redis.call('HINCRBY', base .. 'b:' .. h[11], 'sent', 1)
    broadcastEvent(base, K.stats, h[11], now)
  end
  -- enqueue-to-delivery: from the last (re)queue, the scheduled time, or creation
  redis.call('LPUSH', K.latency, now - (tonumber(h[10] or h[7] or h[6]) or now))
  releaseChat(K, chat, id, now)
  if h[12] then finishJob(h[12], h[13]) else messageEvent(base, K.stats, id, 'sent', 'sent', now) end
  return 'sent'
end

local out = {}
for i = 4, #ARGV - 2, 3 do out[#out + 1] = ackOne(ARGV[i], ARGV[i + 1], ARGV[i + 2]) end
redis.call('LTRIM', K.latency, 0, 1023)
return out
