-- Broadcast recipients become messages as their queue drains. A broadcast
-- keeps its content once per variant ({base}bc:<id>:v: k -> the calls' JSON
-- with \1 where the chat goes, nk -> number of calls, tk -> note) and its
-- pending recipients as one list ({base}bc:<id>:r: 'chat' or 'chat|k'); a
-- due broadcast is a member of {base}bcq (score: when it may start). Only
-- what is about to be claimed is turned into a message hash, so a pending
-- recipient costs its list entry; the messages are ordinary ones (fields as
-- in src/queue/message.ts), which any worker, old or new, delivers.
-- Takes `k` { base, queues, stats, due } as claim.lua names them; expects
-- rank() (priority field -> index into k.queues) from the including script.

local function base36 (n)
  if n == 0 then return '0' end
  local digits, s = '0123456789abcdefghijklmnopqrstuvwxyz', ''
  while n > 0 do
    local d = n % 36
    s = string.sub(digits, d + 1, d + 1) .. s
    n = (n - d) / 36
  end
  return s
end

-- Materialises recipients of the due broadcasts until each one's priority
-- list holds `fill` ids. Returns the number of messages made.
local function topUpBroadcasts (k, now, fill, logTtl)
  local base, bcq = k.base, k.due
  local made = 0
  for _, bid in ipairs(redis.call('ZRANGEBYSCORE', bcq, '-inf', now, 'LIMIT', 0, 8)) do
    local ik = base .. 'bc:' .. bid
    local rk, vk = ik .. ':r', ik .. ':v'
    local info = redis.call('HMGET', ik, 'status', 'pr', 'cur', 'expires_at', 'ma', 'pb', 'created_at', 'send_at', 'eg')
    if info[1] ~= 'queued' or not info[2] then
      -- cancelled (broadcast-cancel counted what was pending) or gone
      redis.call('ZREM', bcq, bid)
    else
      local q = k.queues[rank(info[2])]
      local room = fill - redis.call('LLEN', q)
      if room > 0 then
        local batch = redis.call('LPOP', rk, room)
        if not batch then
          redis.call('ZREM', bcq, bid)
        else
          local cur = tonumber(info[3]) or 0
          local variants = {}
          local log = base .. 'log:' .. math.floor(now / 3600000)
          local seq = redis.call('INCRBY', base .. 'seq', #batch) - #batch
          local ids = {}
          for i, entry in ipairs(batch) do
            local bar = string.find(entry, '|', 1, true)
            local chat, ix = entry, '0'
            if bar then chat, ix = string.sub(entry, 1, bar - 1), string.sub(entry, bar + 1) end
            local v = variants[ix]
            if not v then
              local f = redis.call('HMGET', vk, ix, 'n' .. ix, 't' .. ix)
              v = { json = f[1] or '[]', n = f[2] or '1', note = f[3] }
              variants[ix] = v
            end
            local chatJson = chat
            if string.sub(chat, 1, 1) == '@' then chatJson = '"' .. chat .. '"' end
            local id = bid .. '-' .. base36(cur + i - 1)
            local mk = base .. 'm:' .. id
            redis.call('HSET', mk, 's', 'queued', 'sq', seq + i, 'c', chat, 'pr', info[2], 'p', (string.gsub(v.json, '\1', chatJson)),
              'n', v.n, 'ma', info[5] or '1', 't', info[7] or now, 'x', info[4] or now, 'b', bid)
            if info[6] == '1' then redis.call('HSET', mk, 'pb', '1') end
            if info[8] then redis.call('HSET', mk, 'sa', info[8]) end
            -- DELIVERY_EVENTS_URL as it was when the broadcast was accepted (includes/events.lua)
            if info[9] then redis.call('HSET', mk, 'eg', info[9]) end
            if v.note then redis.call('HSET', mk, 'nt', v.note) end
            ids[i] = id
          end
          redis.call('RPUSH', q, unpack(ids))
          redis.call('RPUSH', log, unpack(ids))
          redis.call('PEXPIRE', log, logTtl)
          redis.call('HSET', ik, 'cur', cur + #batch)
          redis.call('HINCRBY', k.stats, 'queued', #batch)
          if redis.call('LLEN', rk) == 0 then redis.call('ZREM', bcq, bid) end
          made = made + #batch
        end
      end
    end
  end
  return made
end
