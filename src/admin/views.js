// The dashboard's views beside the overview: the message log, broadcasts with
// progress bars, the chat directory and the last hour's charts. Uses el(),
// api() and friends from app.js (loaded after this file; called only once
// both are loaded). A list route this server lacks (an older tg-relay) shows
// "not available on this server" instead of an error.
/* global $, el, api, failed, toast, stat, lookup, fmtTime, fmtNum, token, timers, svgEl, drawChart */
'use strict'

const LIST_PAGE = 25
const CHARTS_EVERY_MS = 10000
const VIEWS = ['overview', 'messages', 'broadcasts', 'chats', 'charts']

/** Cursor paging over a list route: the stack of cursors that led to the current page. */
function pager (prefix, load) {
  const p = { cursors: [undefined], next: undefined }
  p.cursor = () => p.cursors[p.cursors.length - 1]
  p.reset = () => { p.cursors = [undefined]; load() }
  p.show = next => {
    p.next = next
    $(`${prefix}-older`).disabled = !next
    $(`${prefix}-newer`).disabled = p.cursors.length === 1
  }
  $(`${prefix}-older`).addEventListener('click', () => { if (p.next) { p.cursors.push(p.next); load() } })
  $(`${prefix}-newer`).addEventListener('click', () => { if (p.cursors.length > 1) { p.cursors.pop(); load() } })
  return p
}

const query = params => {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v))
  return q.toString()
}

/** The list from a page, whatever the route names it. */
const listOf = (page, name) => (page && (page[name] || page.items || page.entries)) || []

function unavailable (id, what, route, err) {
  const box = $(id)
  const missing = Boolean(err && (err.status === 404 || err.status === 405))
  if (missing) box.textContent = `The ${what} is not available on this server (it has no ${route}).`
  box.hidden = !missing
  // the table right after the notice: no empty header row under it
  box.nextElementSibling.hidden = missing
  return missing
}

/**
 * One page of a list route into its table (rows, "nothing" note, paging).
 * With `what`, a route the server lacks shows the "not available" notice.
 */
async function loadPage (o) {
  const p = o.pager
  let page
  try {
    page = await api('GET', `${o.path}?${query({ limit: LIST_PAGE, ...o.params(), cursor: p.cursor() })}`)
  } catch (err) {
    if (!(o.what && unavailable(`${o.prefix}-unavailable`, o.what, `GET ${o.path}`, err))) failed(err)
    $(`${o.prefix}-rows`).replaceChildren()
    $(`${o.prefix}-empty`).hidden = true
    p.show(undefined)
    return undefined
  }
  if (o.what) unavailable(`${o.prefix}-unavailable`)
  const rows = listOf(page, o.name)
  p.show(page.next_cursor)
  $(`${o.prefix}-empty`).hidden = rows.length > 0
  $(`${o.prefix}-rows`).replaceChildren(...rows.map(o.row))
  return rows
}

// ---- message log ---------------------------------------------------------

const messages = {
  pager: undefined,
  async load () {
    const rows = await loadPage({
      prefix: 'msg',
      path: '/api/telegram/messages',
      name: 'messages',
      pager: messages.pager,
      params: () => ({ status: $('msg-status').value, chat_id: $('msg-chat').value.trim() }),
      row: m => el('tr', { 'data-id': m.id },
        el('td', { className: 'nowrap' }, fmtTime(m.created_at)),
        el('td', { className: 'mono' }, el('button', { type: 'button', className: 'link', onclick: () => lookup(m.id, 'msg-detail') }, m.id)),
        el('td', { className: 'mono' }, String(m.chat_id)),
        el('td', {}, m.priority),
        el('td', {}, el('span', { className: `status ${m.status}` }, m.status)),
        el('td', {}, `${m.attempts} / ${m.max_attempts}`),
        el('td', {}, `${m.parts_sent} / ${m.parts}`),
        el('td', { className: 'error-text' }, m.last_error || ''))
    })
    $('msg-range').textContent = rows && rows.length ? `(page ${messages.pager.cursors.length}, ${rows.length} shown)` : ''
  }
}

// ---- broadcasts ----------------------------------------------------------

/** A stacked bar: sent, failed, pending out of the recipients. */
function progressBar (sent, failed, total) {
  const bar = svgEl('svg', { class: 'bar', viewBox: '0 0 100 10', preserveAspectRatio: 'none', role: 'img', 'aria-label': `${sent} sent, ${failed} failed of ${total}` })
  const part = v => total > 0 ? (100 * v) / total : 0
  bar.append(
    svgEl('rect', { x: 0, y: 0, width: 100, height: 10, rx: 2, fill: '#e5e7eb' }),
    svgEl('rect', { x: 0, y: 0, width: part(sent), height: 10, fill: '#16a34a', 'data-part': 'sent' }),
    svgEl('rect', { x: part(sent), y: 0, width: part(failed), height: 10, fill: '#dc2626', 'data-part': 'failed' }))
  return bar
}

function broadcastRow (b) {
  const total = b.recipients || 0
  const sent = b.successful_deliveries ?? b.sent ?? 0
  const bad = (b.failed || 0) + (b.dead || 0) + (b.expired || 0)
  const pending = b.pending ?? Math.max(0, total - sent - bad)
  const pct = total > 0 ? Math.round((100 * (total - pending)) / total) : 0
  return el('tr', { 'data-id': b.id },
    el('td', { className: 'nowrap' }, fmtTime(b.created_at || b.created)),
    el('td', { className: 'mono' }, el('button', { type: 'button', className: 'link', onclick: () => broadcasts.detail(b.id) }, b.id)),
    el('td', { className: 'preview' }, b.text_preview ?? b.preview ?? b.text ?? ''),
    el('td', {}, el('span', { className: `status ${b.status}` }, b.status)),
    el('td', {}, progressBar(sent, bad, total), el('div', { className: 'bar-legend' }, `${pct}% done · ${fmtNum(sent)} sent · ${fmtNum(bad)} failed · ${fmtNum(pending)} pending`)),
    el('td', {}, fmtNum(total)))
}

const broadcasts = {
  pager: undefined,
  async load () {
    await loadPage({
      prefix: 'bc',
      path: '/api/telegram/broadcasts',
      name: 'broadcasts',
      what: 'broadcasts list',
      pager: broadcasts.pager,
      params: () => ({ status: $('bc-status').value }),
      row: broadcastRow
    })
  },
  async detail (id) {
    const out = $('bc-detail')
    let b
    try {
      b = await api('GET', `/api/telegram/broadcasts/${encodeURIComponent(id)}?limit=50`)
    } catch (err) {
      if (err.status === 404) return out.replaceChildren(el('p', { className: 'error' }, `No broadcast ${id}.`))
      return failed(err)
    }
    const bad = (b.failed || 0) + (b.dead || 0) + (b.expired || 0)
    const bar = el('div', { className: 'detail-bar' }, progressBar(b.sent || 0, bad, b.recipients || 0),
      el('div', { className: 'bar-legend' }, `${fmtNum(b.sent)} sent · ${fmtNum(bad)} failed · ${fmtNum(b.pending)} pending of ${fmtNum(b.recipients)}`))
    const dl = el('dl', { className: 'stats small' })
    for (const k of ['status', 'priority', 'recipients', 'sent', 'failed', 'dead', 'blocked', 'expired', 'cancelled', 'pending']) stat(dl, k, String(b[k] ?? '–'))
    stat(dl, 'delivery rate', `${Math.round((b.delivery_rate || 0) * 100)} %`)
    const rows = (b.results || []).map(r => el('tr', {},
      el('td', { className: 'mono' }, String(r.chat_id)),
      el('td', {}, el('span', { className: `status ${r.status}` }, r.status)),
      el('td', { className: 'mono' }, el('button', { type: 'button', className: 'link', onclick: () => lookup(r.message_id, 'bc-detail-message') }, r.message_id)),
      el('td', { className: 'error-text' }, r.error || '')))
    out.replaceChildren(el('h3', { className: 'mono' }, `Broadcast ${b.id}`), bar, dl,
      el('table', { className: 'compact log' }, el('thead', {}, el('tr', {}, el('th', {}, 'chat'), el('th', {}, 'status'), el('th', {}, 'message'), el('th', {}, 'error'))), el('tbody', {}, ...rows)),
      el('div', { id: 'bc-detail-message' }))
  }
}

// ---- chat directory ------------------------------------------------------

function chatRow (c) {
  const id = c.chat_id ?? c.id
  const user = c.user || {}
  const who = [user.first_name ?? c.first_name, user.last_name ?? c.last_name].filter(Boolean).join(' ')
  const username = user.username ?? c.username
  const blocked = c.blocked || null
  const unblock = blocked
    ? el('button', { type: 'button', className: 'small', onclick: () => chats.unblock(id) }, 'Unblock')
    : ''
  return el('tr', { 'data-id': String(id) },
    el('td', { className: 'mono' }, String(id)),
    el('td', c.payload ? { title: `/start ${c.payload}` } : {}, `${who}${username ? ` @${username}` : ''}`),
    el('td', {}, c.language ?? user.language_code ?? ''),
    el('td', { className: 'nowrap' }, fmtTime(c.registered_at ?? c.started_at ?? c.at)),
    el('td', {}, blocked ? el('span', { className: 'status blocked', title: blocked.since ? `since ${fmtTime(blocked.since)}` : '' }, blocked.reason || 'blocked') : ''),
    el('td', { className: 'mono' }, c.migrated_to === undefined || c.migrated_to === null ? '' : String(c.migrated_to)),
    el('td', {}, unblock))
}

const chats = {
  pager: undefined,
  async load () {
    await loadPage({
      prefix: 'chat',
      path: '/api/telegram/chats',
      name: 'chats',
      what: 'chat directory',
      pager: chats.pager,
      params: () => ({ blocked: $('chat-blocked').value }),
      row: chatRow
    })
  },
  async unblock (id) {
    try {
      await api('DELETE', `/api/telegram/chats/${encodeURIComponent(id)}/block`)
      toast(`Chat ${id} unblocked.`)
    } catch (err) { failed(err) }
    await chats.load()
  }
}

// ---- the last hour -------------------------------------------------------

const charts = {
  async load () {
    let h
    try { h = await api('GET', '/api/telegram/queue/history') } catch (err) { return failed(err) }
    const pts = h.points
    $('chart-step').textContent = `(one sample every ${h.step_s} s)`
    $('chart-empty').hidden = pts.length > 0
    const times = pts.map(p => Date.parse(p.at))
    drawChart($('chart-throughput'), times, [
      { name: 'sent', values: pts.map(p => p.sent_per_s) },
      { name: 'failed', values: pts.map(p => p.failed_per_s) },
      { name: 'accepted', values: pts.map(p => p.queued_per_s) }
    ])
    drawChart($('chart-latency'), times, [
      { name: 'p50', values: pts.map(p => p.latency_p50_ms) },
      { name: 'p99', values: pts.map(p => p.latency_p99_ms) }
    ])
    drawChart($('chart-dlq'), times, [
      { name: 'dead letters', values: pts.map(p => p.dlq) },
      { name: 'backlog', values: pts.map(p => p.depth) }
    ])
  }
}

// ---- switching views -----------------------------------------------------

const loaders = { messages: messages.load, broadcasts: broadcasts.load, chats: chats.load, charts: charts.load }
let currentView = 'overview'

function showView (name) {
  currentView = VIEWS.includes(name) ? name : 'overview'
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== currentView
  for (const a of document.querySelectorAll('.tabs a')) {
    if (a.dataset.view === currentView) a.setAttribute('aria-current', 'page')
    else a.removeAttribute('aria-current')
  }
  if (token && loaders[currentView]) loaders[currentView]()
}

/** Called by app.js after signing in. */
// eslint-disable-next-line no-unused-vars -- called from another of the page's scripts
function startViews () {
  showView(window.location.hash.slice(1))
  timers.push(setInterval(() => { if (currentView === 'charts') charts.load() }, CHARTS_EVERY_MS))
}

// eslint-disable-next-line no-unused-vars -- called from another of the page's scripts
function wireViews () {
  messages.pager = pager('msg', messages.load)
  broadcasts.pager = pager('bc', broadcasts.load)
  chats.pager = pager('chat', chats.load)
  $('msg-filter').addEventListener('submit', e => { e.preventDefault(); messages.pager.reset() })
  $('msg-status').addEventListener('change', () => messages.pager.reset())
  $('bc-status').addEventListener('change', () => broadcasts.pager.reset())
  $('bc-lookup').addEventListener('submit', e => {
    e.preventDefault()
    const id = $('bc-id').value.trim()
    if (id) broadcasts.detail(id)
  })
  $('chat-blocked').addEventListener('change', () => chats.pager.reset())
  window.addEventListener('hashchange', () => showView(window.location.hash.slice(1)))
}
