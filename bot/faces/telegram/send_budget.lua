-- One bot token's sending budget, checked and taken atomically (bot/faces/telegram/send_budget.py).
-- KEYS[1]: the overall bucket (t: tokens, u: updated, l: last broadcast send, w: until when a
--          broadcast is asking, r: until when a reply is waiting for its turn)
-- KEYS[2]: the chat's bucket (t, u; capacity 1)
-- KEYS[3]: until when the token's broadcasts are paused after a 429
-- KEYS[4] ("grant", "grantpaid", "reply"): the token's messages in flight (a sorted set: one
--          member per message, scored by when it stops counting if its answer never comes);
--          replies and broadcasts alike on the free lane, "grantpaid" has its own set
-- ARGV: mode ("take" | "grant" | "grantpaid" | "reply" | "charge" | "pause"), count
--       (or pause seconds), overall rate, overall capacity, chat rate, least seconds between
--       broadcast sends (the floor), now ("" = Redis's clock; tests pass a fake one); "grant",
--       "reply" then: the most messages in flight, the member (grant: this process's tag,
--       joined to each chat's key), seconds a message counts as in flight at most
-- Returns microseconds to wait before asking again (0: taken / charged).
local mode, count = ARGV[1], tonumber(ARGV[2])
local rate, capacity = tonumber(ARGV[3]), tonumber(ARGV[4])
local chat_rate, gap = tonumber(ARGV[5]), tonumber(ARGV[6])
local now = tonumber(ARGV[7])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local function level(key, r, cap)
  local v = redis.call('HMGET', key, 't', 'u')
  local tokens, updated = tonumber(v[1]), tonumber(v[2])
  if tokens == nil then return cap end
  return math.min(cap, tokens + math.max(0, now - updated) * r)
end
local function store(key, tokens, r, cap)
  redis.call('HSET', key, 't', tostring(tokens), 'u', tostring(now))
  -- full again after this long: then the key may go (memory stays flat)
  redis.call('PEXPIRE', key, math.ceil(((cap - tokens) / r + 2) * 1000))
end
local all = KEYS[1]
if mode == 'pause' then
  local paused = tonumber(redis.call('GET', KEYS[3])) or 0
  redis.call('SET', KEYS[3], tostring(math.max(paused, now + count)),
             'PX', math.ceil((count + 60) * 1000))
  return 0
end
local function mark(field, seconds)  -- a short-lived flag in the overall bucket's hash
  redis.call('HSET', all, field, tostring(now + seconds))
  if redis.call('PTTL', all) < 0 then redis.call('PEXPIRE', all, 5000) end
end
local function flag(field) return (tonumber(redis.call('HGET', all, field)) or 0) > now end
local tokens = level(all, rate, capacity)
if mode == 'reply' then
  -- A reply waits only for one token and a place in flight (milliseconds); it comes before
  -- broadcasts (they yield while one waits), but a starving broadcast gets the last of each.
  local flight, most, member, ttl = KEYS[4], tonumber(ARGV[8]), ARGV[9], tonumber(ARGV[10])
  redis.call('ZREMRANGEBYSCORE', flight, '-inf', now)
  local last = tonumber(redis.call('HGET', all, 'l')) or -1e9
  local need = 1
  if flag('w') and last + gap <= now then need, most = 2, most - 1 end
  local wait = 0
  if redis.call('ZCARD', flight) >= most then wait = 0.02 end  -- answers come within ms
  if tokens < need then wait = math.max(wait, (need - tokens) / rate) end
  if wait > 0 then
    mark('r', 0.1)
    return math.max(1000, math.ceil(wait * 1000000))
  end
  redis.call('ZADD', flight, now + ttl, member)
  redis.call('PEXPIRE', flight, math.ceil((ttl + 2) * 1000))
  store(all, tokens - 1, rate, capacity)
  return 0
end
if mode == 'charge' then  -- replies that left: debt down to one second of the budget
  store(all, math.max(-rate, tokens - count), rate, capacity)
  return 0
end
local paid_lane = mode == 'grantpaid'
if paid_lane then mode = 'grant' end
local paused = tonumber(redis.call('GET', KEYS[3])) or 0
if paused > now then
  local micros = math.ceil((paused - now) * 1000000)
  if mode == 'grant' then return -micros end
  return micros
end
if mode == 'grant' then
  -- several broadcast messages at once (count: how many are asked; KEYS[2], KEYS[5..]: their
  -- chats, ARGV[5], ARGV[11..]: the chats' rates). Waits for a whole wave (count, up to the
  -- capacity) unless the floor lets one go. Returns how many go now (negative: none; then
  -- minus the microseconds to wait).
  -- The token's messages in flight (KEYS[4]), all processes together, stay under ARGV[8]:
  -- messages held up together (a stall at either end) reach Telegram as one burst; with the
  -- bucket's capacity it must fit Telegram's 30 (send_budget.py).
  local flight, most, tag, ttl = KEYS[4], tonumber(ARGV[8]), ARGV[9], tonumber(ARGV[10])
  redis.call('ZREMRANGEBYSCORE', flight, '-inf', now)
  local last = tonumber(redis.call('HGET', all, 'l')) or -1e9
  local starving = last + gap <= now
  if not paid_lane then
    mark('w', 0.25)
    if flag('r') and not starving then return -5000 end  -- a reply waits: it goes first
  end
  local room = most - redis.call('ZCARD', flight)
  if room < 1 then return -20000 end  -- 20 ms: answers come back within milliseconds
  local want = math.min(count, math.floor(capacity), room)
  local chats, rates = {KEYS[2]}, {chat_rate}
  for i = 5, #KEYS do chats[#chats + 1] = KEYS[i]; rates[#rates + 1] = tonumber(ARGV[i + 6]) end
  local first = level(chats[1], rates[1], 1)
  if first < 1 or tokens < 1 or (tokens < want and not starving) then
    local wait = math.max(math.min((want - tokens) / rate, last + gap - now), (1 - tokens) / rate)
    if first < 1 then wait = math.max(wait, (1 - first) / rates[1]) end
    return -math.max(1, math.ceil(wait * 1000000))
  end
  local n = math.min(want, math.floor(tokens))
  local granted = 0
  for i = 1, n do
    local chat = i == 1 and first or level(chats[i], rates[i], 1)
    if chat < 1 then break end
    store(chats[i], math.max(0, chat - 1), rates[i], 1)
    redis.call('ZADD', flight, now + ttl, tag .. chats[i])
    granted = granted + 1
  end
  redis.call('PEXPIRE', flight, math.ceil((ttl + 2) * 1000))
  store(all, math.max(-rate, tokens - granted), rate, capacity)
  redis.call('HSET', all, 'l', tostring(now))
  return granted
end
local wait = 0
if tokens < 1 then wait = (1 - tokens) / rate end
local last = tonumber(redis.call('HGET', all, 'l')) or -1e9
wait = math.min(wait, last + gap - now)  -- broadcasts are never starved
local chat = level(KEYS[2], chat_rate, 1)
if chat < 1 then wait = math.max(wait, (1 - chat) / chat_rate) end
if wait > 0 then return math.ceil(wait * 1000000) end
store(all, math.max(-rate, tokens - 1), rate, capacity)
redis.call('HSET', all, 'l', tostring(now))
store(KEYS[2], math.max(0, chat - 1), chat_rate, 1)
return 0
