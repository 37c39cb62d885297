-- Acknowledging a part of a message that reached Telegram: ack.lua's whole
-- work, and what claim.lua does first for the acks a worker hands it with
-- its next claim (one round trip for both). Takes `k` { base, active,
-- waiting, stats, latency, hours (optional: sends per hour hash) }.
-- The last part marks the message sent and frees its chat; an earlier part
-- parks the message in its chat's wait set so the next part goes when the
-- chat's rate allows. A stale ack (another worker took the message over, or
-- the part index moved on) changes nothing. A sent message queues its
-- message.sent event (events.lua); a finished edit or delete job (fields of,
-- op) marks the message it was for edited or deleted and queues that event
-- instead. Include after events and common.

local function finishJob (k, now, of, op)
  local omk = k.base .. 'm:' .. of
  if redis.call('EXISTS', omk) == 0 then return end
  redis.call('HSET', omk, 'u', now)
  if op == 'delete' then
    redis.call('HSET', omk, 's', 'deleted')
    addHistory(omk, now, 'deleted', 'deleteMessage for each part')
    redis.call('HINCRBY', k.stats, 'deleted', 1)
    messageEvent(k.base, k.stats, of, 'deleted', 'deleted', now)
  else
    addHistory(omk, now, 'edited', '')
    messageEvent(k.base, k.stats, of, 'edited', redis.call('HGET', omk, 's') or 'sent', now)
  end
end

-- 'sent' | 'next' | 'stale'. Counters and latencies go into `tally`, written once per call by ackAll.
local function ackOne (k, now, retention, tally, id, part, messageId)
  local base = k.base
  local mk = base .. 'm:' .. id
  local h = redis.call('HMGET', mk, 's', 'i', 'n', 'c', 'sq', 't', 'sa', 'r', 'f', 'q', 'b', 'of', 'op', 'a', 'cb', 'eg')
  if (h[1] ~= 'active' and h[1] ~= 'queued' and h[1] ~= 'retrying') or (h[2] or '0') ~= part then
    return 'stale'
  end
  redis.call('ZREM', k.active, id)
  local nextPart = tonumber(part) + 1
  local ids = messageId
  if h[8] then ids = h[8] .. ',' .. messageId end
  local chat = h[4]
  if nextPart < tonumber(h[3] or '1') then
    redis.call('HSET', mk, 'i', nextPart, 'r', ids, 'u', now, 's', 'queued')
    redis.call('ZADD', base .. 'w:' .. chat, h[5], id)
    local tat = tonumber(redis.call('HGET', base .. 'c:' .. chat, 't') or '0')
    redis.call('ZADD', k.waiting, math.max(tat, now), chat)
    return 'next'
  end
  -- uploaded bytes are not needed once Telegram has them
  if h[9] then
    for fid in string.gmatch(h[9], '[^,]+') do redis.call('DEL', base .. 'f:' .. fid) end
  end
  redis.call('HSET', mk, 'i', nextPart, 'r', ids, 'u', now, 's', 'sent', 'd', now, 'a', (tonumber(h[14]) or 0) + 1)
  redis.call('PEXPIRE', mk, retention)
  tally.sent = tally.sent + 1
  if h[11] then
    redis.call('HINCRBY', base .. 'b:' .. h[11], 'sent', 1)
    broadcastEvent(base, k.stats, h[11], now)
  end
  -- enqueue-to-delivery: from the last (re)queue, the scheduled time, or creation
  tally.latencies[#tally.latencies + 1] = now - (tonumber(h[10] or h[7] or h[6]) or now)
  releaseChat(k, chat, id, now)
  if h[12] then finishJob(k, now, h[12], h[13])
  elseif h[15] or h[16] then messageEvent(base, k.stats, id, 'sent', 'sent', now) end
  return 'sent'
end

-- Acks triples from ARGV[first..]: id, part index sent, Telegram message_id. One reply each.
local function ackAll (k, now, retention, first)
  local out, tally = {}, { sent = 0, latencies = {} }
  for i = first, #ARGV - 2, 3 do out[#out + 1] = ackOne(k, now, retention, tally, ARGV[i], ARGV[i + 1], ARGV[i + 2]) end
  if tally.sent > 0 then
    redis.call('HINCRBY', k.stats, 'sent', tally.sent)
    if k.hours then redis.call('HINCRBY', k.hours, math.floor(now / 3600000), tally.sent) end
    redis.call('LPUSH', k.latency, unpack(tally.latencies))
    redis.call('LTRIM', k.latency, 0, 1023)
  end
  return out
end
