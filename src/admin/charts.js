// Line charts in SVG for the dashboard's "Last hour" view: no library, no
// inline styles (the page's CSP allows none); colours are SVG attributes.
'use strict'

const CHART_COLORS = ['#2563eb', '#dc2626', '#9ca3af', '#059669']
const SVG_NS = 'http://www.w3.org/2000/svg'
const PAD = { left: 44, right: 10, top: 10, bottom: 22 }

function svgEl (tag, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, tag)
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v))
  if (text !== undefined) node.textContent = text
  return node
}

/** A tidy upper bound for the y axis: 1, 2 or 5 times a power of ten. */
function niceMax (v) {
  if (!(v > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p
  return 10 * p
}

const fmtAxis = v => Number.isInteger(v) && v < 1000 ? String(v) : v >= 1000 ? `${(v / 1000).toFixed(v >= 10000 ? 0 : 1)}k` : v >= 10 || v === 0 ? String(Math.round(v)) : v.toFixed(1)
const clock = (ms, seconds) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) })

/**
 * Draws series (each {name, values}) over times (ms epoch) into an <svg>, with
 * a legend right after it. A null value leaves a gap in its line.
 */
// eslint-disable-next-line no-unused-vars -- called from another of the page's scripts
function drawChart (svg, times, series) {
  // drawn at the size it is shown, so lines and text are not stretched
  const CHART_W = Math.max(300, Math.round(svg.clientWidth || 600))
  const CHART_H = Math.max(120, Math.round(svg.clientHeight || 200))
  svg.setAttribute('viewBox', `0 0 ${CHART_W} ${CHART_H}`)
  const w = CHART_W - PAD.left - PAD.right
  const h = CHART_H - PAD.top - PAD.bottom
  const values = series.flatMap(s => s.values).filter(v => v !== null && Number.isFinite(v))
  const top = niceMax(Math.max(0, ...values))
  const t0 = times[0]
  const t1 = times[times.length - 1]
  const x = t => PAD.left + (t1 === t0 ? w : ((t - t0) / (t1 - t0)) * w)
  const y = v => PAD.top + h - (v / top) * h

  const nodes = []
  for (const f of [0, 0.5, 1]) {
    const gy = PAD.top + h - f * h
    nodes.push(svgEl('line', { x1: PAD.left, x2: CHART_W - PAD.right, y1: gy, y2: gy, stroke: '#e5e7eb', 'stroke-width': 1 }))
    nodes.push(svgEl('text', { x: PAD.left - 6, y: gy + 4, 'text-anchor': 'end' }, fmtAxis(top * f)))
  }
  if (times.length > 0) {
    const short = t1 - t0 < 600_000
    nodes.push(svgEl('text', { x: PAD.left, y: CHART_H - 6, 'text-anchor': 'start' }, clock(t0, short)))
    nodes.push(svgEl('text', { x: CHART_W - PAD.right, y: CHART_H - 6, 'text-anchor': 'end' }, clock(t1, short)))
  }
  series.forEach((s, i) => {
    const color = CHART_COLORS[i % CHART_COLORS.length]
    let run = []
    const flush = () => {
      if (run.length === 1) nodes.push(svgEl('circle', { cx: run[0][0], cy: run[0][1], r: 2.5, fill: color }))
      if (run.length > 1) nodes.push(svgEl('polyline', { points: run.map(p => p.join(',')).join(' '), fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-linejoin': 'round', 'data-series': s.name }))
      run = []
    }
    s.values.forEach((v, j) => {
      if (v === null || !Number.isFinite(v)) flush()
      else run.push([x(times[j]).toFixed(1), y(v).toFixed(1)])
    })
    flush()
  })
  svg.replaceChildren(...nodes)

  let legend = svg.nextElementSibling
  if (!legend || !legend.classList.contains('legend')) {
    legend = document.createElement('div')
    legend.className = 'legend'
    svg.after(legend)
  }
  legend.replaceChildren(...series.map((s, i) => {
    const item = document.createElement('span')
    const swatch = document.createElement('span')
    swatch.className = `swatch c${i % CHART_COLORS.length}`
    const last = [...s.values].reverse().find(v => v !== null)
    item.append(swatch, `${s.name}${last === undefined ? '' : ` (now ${fmtAxis(last)})`}`)
    return item
  }))
}
