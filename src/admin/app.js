// tg-relay admin dashboard: plain browser JavaScript, no build step, nothing
// from the internet. Everything shown comes from the admin API with the token
// kept in sessionStorage. Data is only ever put on the page as text
// (textContent, text nodes): message texts and errors are user input.
// The other views (log, broadcasts, chats, charts) are in views.js.
/* global startViews, wireViews */
'use strict'

const TOKEN_KEY = 'tg-relay.admin-token'
const METRICS_EVERY_MS = 2000
const STATUS_EVERY_MS = 30000
const DLQ_PAGE = 25
const SPARK_POINTS = 60

const $ = id => document.getElementById(id)

/** An element with attributes and children (strings become text nodes). */
function el (tag, attrs = {}, ...children) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'onclick') node.addEventListener('click', v)
    else if (k === 'className') node.className = v
    else node.setAttribute(k, v)
  }
  for (const c of children) node.append(c instanceof window.Node ? c : document.createTextNode(String(c ?? '')))
  return node
}

const fmtTime = iso => iso ? new Date(iso).toLocaleString() : ''
const fmtNum = n => n === null || n === undefined ? '–' : Number(n).toLocaleString()
const ago = iso => {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000))
  return s < 60 ? `${s} s ago` : `${Math.round(s / 60)} min ago`
}

let token = sessionStorage.getItem(TOKEN_KEY) || ''
let timers = []
let lastSent
let rates = []
let dlqCursors = [undefined]
let dlqNext
let dlqSize

class AuthError extends Error {}

async function api (method, path, body) {
  const headers = { authorization: `Bearer ${token}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const data = await res.json().catch(() => null)
  if (res.status === 401 || res.status === 403) {
    signOut(res.status === 403 ? 'That token is not the admin token.' : 'Please sign in.')
    throw new AuthError('not signed in')
  }
  if (!res.ok) {
    const err = new Error((data && data.message) || `HTTP ${res.status}`)
    err.status = res.status
    throw err
  }
  return data
}

function toast (text, kind = 'ok') {
  const t = $('toast')
  t.textContent = text
  t.className = `toast ${kind}`
  t.hidden = false
  clearTimeout(toast.timer)
  toast.timer = setTimeout(() => { t.hidden = true }, 4000)
}

function failed (err) {
  if (err instanceof AuthError) return
  toast(err.message, 'bad')
}

// ---- sign in / out -------------------------------------------------------

function signOut (reason) {
  for (const t of timers) clearInterval(t)
  timers = []
  token = ''
  sessionStorage.removeItem(TOKEN_KEY)
  $('login-error').textContent = reason || ''
  $('conn').textContent = 'not connected'
  $('conn').className = 'conn'
  const dialog = $('login')
  if (!dialog.open) dialog.showModal()
  $('token').focus()
}

async function signIn (candidate) {
  token = candidate
  try {
    await api('GET', '/api/telegram/queue/metrics')
  } catch (err) {
    if (!(err instanceof AuthError)) $('login-error').textContent = `Could not reach tg-relay: ${err.message}`
    return
  }
  sessionStorage.setItem(TOKEN_KEY, token)
  $('login').close()
  start()
}

function start () {
  refreshMetrics()
  refreshStatus()
  refreshDlq()
  timers.push(setInterval(refreshMetrics, METRICS_EVERY_MS))
  timers.push(setInterval(refreshStatus, STATUS_EVERY_MS))
  startViews()
}

// ---- metrics -------------------------------------------------------------

function stat (dl, label, value, title, wide) {
  const attrs = wide ? { className: 'wide' } : {}
  if (title) attrs.title = title
  dl.append(el('div', attrs, el('dt', {}, label), el('dd', {}, value)))
}

function stateBadge (state) {
  return el('span', { className: `state ${state}` }, state)
}

async function refreshMetrics () {
  let m
  try {
    m = await api('GET', '/api/telegram/queue/metrics')
  } catch (err) {
    if (!(err instanceof AuthError)) {
      $('conn').textContent = `offline: ${err.message}`
      $('conn').className = 'conn bad'
    }
    return
  }
  $('conn').textContent = `live · ${new Date(m.at).toLocaleTimeString()}`
  $('conn').className = 'conn ok'

  for (const p of ['critical', 'high', 'normal', 'low']) $(`m-${p}`).textContent = fmtNum(m.depth[p])
  $('m-scheduled').textContent = fmtNum(m.scheduled)
  $('m-inflight').textContent = fmtNum(m.in_flight)
  $('m-waiting').textContent = fmtNum(m.waiting_chats)
  $('m-dlq').textContent = fmtNum(m.dlq)

  const now = Date.parse(m.at)
  if (lastSent) {
    const dt = (now - lastSent.at) / 1000
    if (dt > 0) rates.push(Math.max(0, (m.counters.sent - lastSent.sent) / dt))
    rates = rates.slice(-SPARK_POINTS)
    $('m-rate').textContent = rates.length ? rates[rates.length - 1].toFixed(1) : '–'
    drawSpark()
  }
  lastSent = { at: now, sent: m.counters.sent }

  const c = m.counters
  const counters = $('counters')
  counters.replaceChildren()
  stat(counters, 'queued', fmtNum(c.queued))
  stat(counters, 'sent', fmtNum(c.sent))
  stat(counters, 'retried', fmtNum(c.retried))
  stat(counters, 'failed', fmtNum(c.failed), 'no attempts left')
  stat(counters, 'dead', fmtNum(c.dead), 'refused by Telegram (403/400) or poison')
  stat(counters, 'expired', fmtNum(c.expired))
  stat(counters, 'cancelled', fmtNum(c.cancelled))
  stat(counters, 'requeued', fmtNum(c.requeued))
  stat(counters, 'uncertain', fmtNum(c.uncertain), 'sends that may or may not have reached Telegram')
  stat(counters, '429s', fmtNum(c.rate_limited))
  stat(counters, 'success', m.success_rate === null ? '–' : `${(m.success_rate * 100).toFixed(1)} %`)
  const l = m.latency_ms
  stat(counters, 'latency p50 / p90 / p99', l.samples ? `${l.p50} / ${l.p90} / ${l.p99} ms` : '–', `enqueue to delivery, last ${l.samples} messages`)

  $('breaker-local').replaceChildren(stateBadge(m.breaker.local))
  const rows = m.workers.live.map(w => el('tr', {},
    el('td', { title: `${w.host} pid ${w.pid}, started ${fmtTime(w.started_at)}` }, w.id),
    el('td', {}, stateBadge(w.breaker)),
    el('td', {}, fmtNum(w.in_flight)),
    el('td', {}, fmtNum(w.delivered)),
    el('td', {}, ago(w.seen_at))))
  if (rows.length === 0) rows.push(el('tr', {}, el('td', { colspan: '5', className: 'muted' }, 'No worker has a recent heartbeat: nothing is being delivered.')))
  $('workers').replaceChildren(...rows)

  const r = m.rate_limiter
  const limiter = $('limiter')
  limiter.replaceChildren()
  stat(limiter, 'global limit', `${r.requests} per ${r.window_ms / 1000} s`)
  stat(limiter, 'per chat', r.chat_interval_ms ? `1 per ${r.chat_interval_ms} ms` : 'off')
  stat(limiter, 'per group', `${r.group_per_minute} / min`)
  stat(limiter, 'schedule ahead', `${Math.round(r.ahead_ms)} ms`)
  stat(limiter, '429 pause', r.pause_ms ? `${(r.pause_ms / 1000).toFixed(1)} s left` : 'none')
  stat(limiter, 'delivery', r.paused ? 'PAUSED by an admin' : 'running')

  const pause = $('pause')
  pause.disabled = false
  pause.textContent = r.paused ? 'Resume delivery' : 'Pause delivery'
  pause.dataset.paused = r.paused ? '1' : '0'
  pause.className = r.paused ? 'go' : ''
  const banner = $('banner')
  banner.hidden = !r.paused && r.pause_ms === 0
  banner.textContent = r.paused
    ? 'Delivery is paused for every worker. Messages are kept in the queue until you resume.'
    : `Telegram asked the bot to slow down (429): every worker waits ${(r.pause_ms / 1000).toFixed(1)} s.`

  if (dlqSize !== undefined && m.dlq !== dlqSize && dlqCursors.length === 1) refreshDlq()
  dlqSize = m.dlq
}

function drawSpark () {
  const canvas = $('spark')
  const ctx = canvas.getContext('2d')
  const w = canvas.width
  const h = canvas.height
  ctx.clearRect(0, 0, w, h)
  if (rates.length < 2) return
  const max = Math.max(1, ...rates)
  const step = w / (SPARK_POINTS - 1)
  const x0 = w - step * (rates.length - 1)
  ctx.beginPath()
  rates.forEach((v, i) => {
    const x = x0 + i * step
    const y = h - 4 - (v / max) * (h - 8)
    if (i === 0) ctx.moveTo(x, y)
    else ctx.lineTo(x, y)
  })
  ctx.strokeStyle = '#2563eb'
  ctx.lineWidth = 2
  ctx.stroke()
  ctx.lineTo(w, h)
  ctx.lineTo(x0, h)
  ctx.closePath()
  ctx.fillStyle = 'rgba(37, 99, 235, 0.12)'
  ctx.fill()
}

async function refreshStatus () {
  let s
  try { s = await api('GET', '/api/telegram/status') } catch (err) { return failed(err) }
  const mode = $('mode')
  mode.hidden = false
  mode.textContent = s.mode
  mode.className = `badge ${s.mode}`
  $('bot').textContent = s.bot ? `@${s.bot.username || s.bot.id}` : `bot unknown: ${s.bot_error || ''}`
  const service = $('service')
  service.replaceChildren()
  stat(service, 'redis', s.redis.ok ? `${s.redis.version || '?'} · ${s.redis.used_memory || ''} · ${s.redis.ping_ms} ms` : `DOWN: ${s.redis.error || ''}`)
  if (s.redis.maxmemory_policy) stat(service, 'maxmemory-policy', s.redis.maxmemory_policy)
  stat(service, 'webhook', s.webhook ? (s.webhook.url || 'not set') : `unknown: ${s.webhook_error || ''}`)
  if (s.webhook && s.webhook.last_error_message) stat(service, 'webhook error', s.webhook.last_error_message)
}

// ---- dead-letter queue ---------------------------------------------------

async function refreshDlq () {
  const cursor = dlqCursors[dlqCursors.length - 1]
  let page
  try {
    page = await api('GET', `/api/telegram/queue/dlq?limit=${DLQ_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
  } catch (err) { return failed(err) }
  $('dlq-total').textContent = `(${page.total})`
  dlqNext = page.next_cursor
  $('dlq-older').disabled = !dlqNext
  $('dlq-newer').disabled = dlqCursors.length === 1
  $('dlq-empty').hidden = page.entries.length > 0
  $('dlq-rows').replaceChildren(...page.entries.map(dlqRow))
}

function dlqRow (m) {
  const requeue = el('button', { type: 'button', className: 'small', 'data-action': 'requeue', onclick: () => act(requeueOne, m.id) }, 'Requeue')
  const del = el('button', { type: 'button', className: 'small danger', 'data-action': 'delete', onclick: () => act(deleteOne, m.id) }, 'Delete')
  const idLink = el('button', { type: 'button', className: 'link', title: 'show details', onclick: () => lookup(m.id) }, m.id)
  return el('tr', { 'data-id': m.id },
    el('td', { className: 'nowrap' }, fmtTime(m.dead_at)),
    el('td', { className: 'mono' }, idLink),
    el('td', { className: 'mono' }, String(m.chat_id)),
    el('td', {}, m.priority),
    el('td', {}, el('span', { className: `status ${m.status}` }, m.status)),
    el('td', {}, `${m.attempts} / ${m.max_attempts}`),
    el('td', { className: 'error-text' }, m.last_error || ''),
    el('td', { className: 'nowrap' }, requeue, ' ', del))
}

async function act (fn, arg) {
  try { await fn(arg) } catch (err) { failed(err) }
  await refreshDlq()
  await refreshMetrics()
}

async function requeueOne (id) {
  await api('POST', `/api/telegram/queue/dlq/requeue/${encodeURIComponent(id)}`)
  toast(`Message ${id} is queued again.`)
}

async function deleteOne (id) {
  if (!window.confirm(`Delete message ${id} for good?`)) return
  await api('DELETE', `/api/telegram/queue/dlq/${encodeURIComponent(id)}`)
  toast(`Message ${id} deleted.`)
}

async function requeueAll () {
  const filter = $('dlq-filter').value.trim()
  const r = await api('POST', '/api/telegram/queue/dlq/requeue', filter ? { error_contains: filter } : {})
  toast(`${r.requeued} requeued, ${r.remaining} left in the dead-letter queue.`)
  dlqCursors = [undefined]
}

async function clearAll () {
  if (!window.confirm('Delete every message in the dead-letter queue for good?')) return
  const r = await api('DELETE', '/api/telegram/queue/dlq')
  toast(`${r.deleted} dead letters deleted.`)
  dlqCursors = [undefined]
}

// ---- pause / resume, lookup ----------------------------------------------

async function togglePause () {
  const paused = $('pause').dataset.paused === '1'
  await api('POST', paused ? '/api/telegram/worker/start' : '/api/telegram/worker/stop')
  toast(paused ? 'Delivery resumed.' : 'Delivery paused on every worker; sends in flight finish.')
}

async function lookup (id, target = 'lookup-result') {
  if (target === 'lookup-result') $('lookup-id').value = id
  const out = $(target)
  let m
  try {
    m = await api('GET', `/api/telegram/messages/${encodeURIComponent(id)}`)
  } catch (err) {
    if (!(err instanceof AuthError)) out.replaceChildren(el('p', { className: 'error' }, err.status === 404 ? `No message ${id}.` : err.message))
    return
  }
  const dl = el('dl', { className: 'stats small' })
  stat(dl, 'status', el('span', { className: `status ${m.status}` }, m.status))
  stat(dl, 'chat', String(m.chat_id))
  stat(dl, 'priority', m.priority)
  stat(dl, 'attempts', `${m.attempts} / ${m.max_attempts}`)
  stat(dl, 'parts', `${m.parts_sent} / ${m.parts} sent`)
  stat(dl, 'Telegram ids', m.message_ids.join(', ') || '–')
  stat(dl, 'created', fmtTime(m.created_at))
  stat(dl, 'expires', fmtTime(m.expires_at))
  if (m.sent_at) stat(dl, 'sent', fmtTime(m.sent_at))
  if (m.last_error) stat(dl, 'last error', m.last_error, '', true)
  const history = el('ol', { className: 'history' }, ...m.history.map(h =>
    el('li', {}, el('time', {}, fmtTime(h.at)), ' ', el('strong', {}, h.event), h.detail ? ` — ${h.detail}` : '')))
  const raw = el('details', {}, el('summary', {}, 'JSON'), el('pre', {}, JSON.stringify(m, null, 2)))
  out.replaceChildren(el('h3', { className: 'mono' }, m.id), dl, el('h3', {}, 'History'), history, raw)
}

// ---- wiring --------------------------------------------------------------

function wire () {
  $('login-form').addEventListener('submit', e => {
    e.preventDefault()
    const value = $('token').value.trim()
    if (value) signIn(value)
  })
  $('login').addEventListener('cancel', e => e.preventDefault())
  $('logout').addEventListener('click', () => signOut('Signed out.'))
  $('pause').addEventListener('click', () => act(togglePause))
  $('dlq-requeue-all').addEventListener('click', () => act(requeueAll))
  $('dlq-clear').addEventListener('click', () => act(clearAll))
  $('dlq-older').addEventListener('click', () => { if (dlqNext) { dlqCursors.push(dlqNext); refreshDlq() } })
  $('dlq-newer').addEventListener('click', () => { if (dlqCursors.length > 1) { dlqCursors.pop(); refreshDlq() } })
  $('dlq-filter').addEventListener('input', () => {
    $('dlq-requeue-all').textContent = $('dlq-filter').value.trim() ? 'Requeue matching' : 'Requeue all'
  })
  $('lookup-form').addEventListener('submit', e => {
    e.preventDefault()
    const id = $('lookup-id').value.trim()
    if (id) lookup(id)
  })
  wireViews()
  if (token) signIn(token)
  else signOut('')
}

wire()
