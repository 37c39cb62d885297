-- Delivery events (src/outbound/delivery-events.ts). A state change a sender asked to hear
-- about queues its event — a signed POST — on the outbound lane inside the script that makes
-- the change, so a crash between the two cannot lose or invent one. The destinations are
-- stored on the message when it is accepted: cb (its callback_url), eg (DELIVERY_EVENTS_URL
-- at the time); a message with neither costs one HMGET. Events of one message and destination
-- go out in order (queue chat ev:<id>:<cb|eg>). The outbound lane's keys are built from base,
-- like m: and c: (src/outbound/lane.ts names them). Include before common.

local EVENT_ATTEMPTS = 25
local EVENT_TTL_MS = 86400000

local function jsonChat (chat)
  if chat and string.match(chat, '^-?%d+$') then return chat end
  return cjson.encode(chat or '')
end

-- One event message: the deliveryEvent call with its body already JSON, claimable at once.
local function queueEvent (base, stats, url, chat, body, now)
  local seq = redis.call('INCR', base .. 'seq')
  local eid = 'ev-' .. seq
  local calls = '[{"method":"deliveryEvent","params":{"url":' .. cjson.encode(url) .. ',"event_id":"' .. eid ..
    '","event":' .. body .. '}}]'
  redis.call('HSET', base .. 'm:' .. eid, 's', 'queued', 'sq', seq, 'c', chat, 'pr', 1, 'p', calls, 'n', 1,
    'ma', EVENT_ATTEMPTS, 't', now, 'x', now + EVENT_TTL_MS)
  redis.call('RPUSH', base .. 'out:high', eid)
  redis.call('LPUSH', base .. 'out:wake', '1')
  redis.call('LTRIM', base .. 'out:wake', 0, 63)
  redis.call('HINCRBY', stats, 'events_queued', 1)
end

-- message.<event> about message `id`, whose state is now `status`; `error` only for failures.
local function messageEvent (base, stats, id, event, status, now)
  local mk = base .. 'm:' .. id
  local h = redis.call('HMGET', mk, 'cb', 'eg', 'c', 'r', 'a', 'e', 'md', 'b')
  if not h[1] and not h[2] then return end
  local body = '{"event":"message.' .. event .. '","id":' .. cjson.encode(id) .. ',"status":"' .. status ..
    '","chat_id":' .. jsonChat(h[3]) .. ',"message_ids":[' .. (h[4] or '') .. '],"attempts":' .. (tonumber(h[5]) or 0)
  if h[6] and (event == 'dead' or event == 'failed' or event == 'expired') then
    body = body .. ',"error":' .. cjson.encode(h[6])
  end
  body = body .. ',"metadata":' .. (h[7] or 'null')
  if h[8] then body = body .. ',"broadcast_id":' .. cjson.encode(h[8]) end
  body = body .. ',"at":' .. now .. '}'
  if h[1] then queueEvent(base, stats, h[1], 'ev:' .. id .. ':cb', body, now) end
  if h[2] then queueEvent(base, stats, h[2], 'ev:' .. id .. ':eg', body, now) end
end

-- broadcast.finished, once, when every recipient's message has an outcome. A broadcast still
-- being queued is not finished: its route checks again once the last chunk is in.
local function broadcastEvent (base, stats, b, now)
  local info = redis.call('HMGET', base .. 'bc:' .. b, 'cb', 'eg', 'recipients', 'status', 'metadata')
  if (not info[1] and not info[2]) or info[4] == 'queuing' then return end
  local bk = base .. 'b:' .. b
  local c = redis.call('HMGET', bk, 'sent', 'failed', 'dead', 'expired', 'cancelled', 'blocked', 'fin')
  if c[7] then return end
  local done = 0
  for i = 1, 5 do done = done + (tonumber(c[i]) or 0) end
  if done < (tonumber(info[3]) or 0) then return end
  redis.call('HSET', bk, 'fin', now)
  local function n (v) return tonumber(v) or 0 end
  local body = '{"event":"broadcast.finished","id":' .. cjson.encode(b) .. ',"status":"finished","chat_id":null,"message_ids":[]' ..
    ',"attempts":0,"metadata":' .. (info[5] or 'null') .. ',"broadcast_id":' .. cjson.encode(b) ..
    ',"counts":{"recipients":' .. n(info[3]) .. ',"sent":' .. n(c[1]) .. ',"failed":' .. n(c[2]) .. ',"dead":' .. n(c[3]) ..
    ',"blocked":' .. n(c[6]) .. ',"expired":' .. n(c[4]) .. ',"cancelled":' .. n(c[5]) .. '},"at":' .. now .. '}'
  if info[1] then queueEvent(base, stats, info[1], 'ev:b:' .. b .. ':cb', body, now) end
  if info[2] then queueEvent(base, stats, info[2], 'ev:b:' .. b .. ':eg', body, now) end
end
