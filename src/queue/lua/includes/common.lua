-- Shared by the state-transition scripts. Every function takes the keys it
-- touches as parameters; `k` is a table { base, active, delayed, waiting,
-- dlq, stats } that the including script names from its KEYS and ARGV.

-- Appends one event to a message's history: JSON lines, oldest first.
local function addHistory (mk, now, event, detail)
  local line = cjson.encode({ t = now, ev = event, d = detail })
  local h = redis.call('HGET', mk, 'h')
  if h then line = h .. '\n' .. line end
  redis.call('HSET', mk, 'h', line)
end

-- Frees a chat held by message `id` (per-chat order) and schedules the
-- chat's next waiting message for when the chat's rate allows it. A chat that
-- nobody holds is scheduled too: a parked message that ends without ever
-- holding it (blocked chat, expiry, cancel) must not strand the others.
local function releaseChat (k, chat, id, now)
  local ck = k.base .. 'c:' .. chat
  local holder = redis.call('HGET', ck, 'h')
  if holder and holder ~= id then return end
  if holder then
    redis.call('HDEL', ck, 'h')
    redis.call('PEXPIRE', ck, 120000)
  end
  if redis.call('ZCARD', k.base .. 'w:' .. chat) > 0 then
    local tat = tonumber(redis.call('HGET', ck, 't') or '0')
    redis.call('ZADD', k.waiting, math.max(tat, now), chat)
    -- an idle worker must not sleep through it: wake one (keys.wake = base..'wake')
    redis.call('LPUSH', k.base .. 'wake', '1')
    redis.call('LTRIM', k.base .. 'wake', 0, 63)
  end
end

-- A message that belongs to a broadcast (field b) counts its outcome there;
-- the last outcome of a broadcast queues its broadcast.finished (events.lua).
local function countBroadcast (k, mk, outcome, now)
  local b = redis.call('HGET', mk, 'b')
  if b then
    redis.call('HINCRBY', k.base .. 'b:' .. b, outcome, 1)
    broadcastEvent(k.base, k.stats, b, now)
  end
end

-- An edit or delete job (fields of, op: src/queue/edits.ts) that could not be done is noted
-- in the history of the message it was for; that message keeps its state.
local function noteJobFailure (k, mk, now, reason)
  local job = redis.call('HMGET', mk, 'of', 'op')
  if job[1] then addHistory(k.base .. 'm:' .. job[1], now, (job[2] or 'edit') .. '-failed', reason) end
end

-- The message dies because its chat blocked the bot: it says so itself
-- (bk 1, read by the broadcast status) and its broadcast counts it blocked.
local function markBlocked (k, mk, now)
  redis.call('HSET', mk, 'bk', 1)
  countBroadcast(k, mk, 'blocked', now)
end

-- Moves a message to the dead-letter queue with its final state and reason.
-- Every dead letter carries bk (0 unless markBlocked said 1): a record
-- without it was written by a release that did not store it.
local function deadLetter (k, id, mk, now, state, reason)
  redis.call('ZREM', k.active, id)
  redis.call('ZREM', k.delayed, id)
  redis.call('HSET', mk, 's', state, 'e', reason, 'u', now)
  redis.call('HSETNX', mk, 'bk', 0)
  addHistory(mk, now, state, reason)
  redis.call('ZADD', k.dlq, now, id)
  redis.call('HINCRBY', k.stats, state, 1)
  countBroadcast(k, mk, state, now)
  messageEvent(k.base, k.stats, id, state, state, now)
  noteJobFailure(k, mk, now, reason)
  local chat = redis.call('HGET', mk, 'c')
  if chat then releaseChat(k, chat, id, now) end
end
