// The one table `npm run bench` prints: figure | tg-relay | peer | ratio | target | met?
// Cells show the median of the runs and, when there were several, their range.
import { spread, type Spread } from './stats.ts'

export interface Row {
  figure: string
  ours: Spread
  peer?: Spread
  peerName?: string
  /** ours/peer per paired run */
  ratio?: Spread
  target: string
  met?: boolean
  digits: number
}

export interface RowSpec {
  figure: string
  ours: number[]
  peer?: number[]
  peerName?: string
  target: string
  /** decides met? from the ours median and the ratio median */
  check?: (ours: number, ratio: number | undefined) => boolean
  digits?: number
}

export function row (s: RowSpec): Row {
  const ours = spread(s.ours)
  const peer = s.peer && s.peer.length > 0 ? spread(s.peer) : undefined
  const ratio = peer && s.peer ? spread(s.ours.map((x, i) => x / (s.peer?.[i] ?? s.peer?.[0] ?? NaN))) : undefined
  return {
    figure: s.figure,
    ours,
    ...(peer ? { peer, peerName: s.peerName ?? 'BullMQ' } : {}),
    ...(ratio ? { ratio } : {}),
    target: s.target,
    ...(s.check ? { met: s.check(ours.median, ratio?.median) } : {}),
    digits: s.digits ?? 0
  }
}

function num (x: number, digits: number): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

function cell (s: Spread | undefined, digits: number, suffix = ''): string {
  if (!s) return '—'
  const m = num(s.median, digits) + suffix
  return s.runs.length > 1 && s.min !== s.max ? `${m} (${num(s.min, digits)}–${num(s.max, digits)})` : m
}

export function renderTable (rows: Row[]): string {
  const header = ['figure', 'tg-relay', 'peer', 'ratio', 'target', 'met?']
  const lines = rows.map(r => [
    r.figure,
    cell(r.ours, r.digits),
    r.peer ? `${cell(r.peer, r.digits)} ${r.peerName}` : '—',
    cell(r.ratio, 2, '×'),
    r.target,
    r.met === undefined ? '' : r.met ? 'yes' : 'NO'
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => (l[i] as string).length)))
  const fmt = (cols: string[]) => '| ' + cols.map((c, i) => c.padEnd(widths[i] as number)).join(' | ') + ' |'
  return [fmt(header), '|' + widths.map(w => '-'.repeat(w + 2)).join('|') + '|', ...lines.map(fmt)].join('\n')
}
