// The one table `npm run bench` prints: figure | tg-relay | BullMQ service |
// ratio | same-route peer | ratio | CPU µs per unit | target | met?
// Cells show the median of the runs and, when there were several, their range.
import { spread, type Spread } from './stats.ts'

export interface Row {
  figure: string
  ours: Spread
  /** the BullMQ service a user would write (or the bare route) */
  peer?: Spread
  peerName?: string
  /** ours/peer per paired run */
  ratio?: Spread
  /** tg-relay's own route on BullMQ */
  peer2?: Spread
  ratio2?: Spread
  /** CPU µs (server + Redis) per request/message: tg-relay, peer */
  cpu?: { ours: Spread, peer?: Spread }
  target: string
  met?: boolean
  digits: number
}

export interface RowSpec {
  figure: string
  ours: number[]
  peer?: number[]
  peerName?: string
  peer2?: number[]
  cpu?: { ours: number[], peer?: number[] }
  target: string
  /** decides met? from the ours median and the ratio median */
  check?: (ours: number, ratio: number | undefined) => boolean
  digits?: number
}

const ratioOf = (ours: number[], peer: number[] | undefined): Spread | undefined =>
  peer && peer.length > 0 ? spread(ours.map((x, i) => x / (peer[i] ?? peer[0] ?? NaN))) : undefined

export function row (s: RowSpec): Row {
  const ours = spread(s.ours)
  const ratio = ratioOf(s.ours, s.peer)
  const ratio2 = ratioOf(s.ours, s.peer2)
  return {
    figure: s.figure,
    ours,
    ...(s.peer && s.peer.length > 0 ? { peer: spread(s.peer), peerName: s.peerName ?? 'BullMQ service' } : {}),
    ...(ratio ? { ratio } : {}),
    ...(s.peer2 && s.peer2.length > 0 ? { peer2: spread(s.peer2) } : {}),
    ...(ratio2 ? { ratio2 } : {}),
    ...(s.cpu && s.cpu.ours.length > 0 ? { cpu: { ours: spread(s.cpu.ours), ...(s.cpu.peer && s.cpu.peer.length > 0 ? { peer: spread(s.cpu.peer) } : {}) } } : {}),
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

export const HEADER = ['figure', 'tg-relay', 'peer', 'ratio', 'same-route BullMQ', 'ratio', 'CPU µs/unit tg-relay / peer', 'target', 'met?']

export function cells (r: Row): string[] {
  return [
    r.figure,
    cell(r.ours, r.digits),
    r.peer ? `${cell(r.peer, r.digits)} ${r.peerName}` : '—',
    cell(r.ratio, 2, '×'),
    cell(r.peer2, r.digits),
    cell(r.ratio2, 2, '×'),
    r.cpu ? `${cell(r.cpu.ours, 0)} / ${cell(r.cpu.peer, 0)}` : '',
    r.target,
    r.met === undefined ? '' : r.met ? 'yes' : 'NO'
  ]
}

/** Aligned for a terminal; `markdown` leaves cells unpadded (README). */
export function renderTable (rows: Array<Pick<Row, 'figure'> & { cells: string[] }> | Row[], markdown = false): string {
  const lines = rows.map(r => 'cells' in r ? r.cells : cells(r))
  const widths = HEADER.map((h, i) => markdown ? 0 : Math.max(h.length, ...lines.map(l => (l[i] as string).length)))
  const fmt = (cols: string[]) => '| ' + cols.map((c, i) => c.padEnd(widths[i] as number)).join(' | ') + ' |'
  return [fmt(HEADER), '|' + widths.map(w => '-'.repeat(Math.max(w + 2, 3))).join('|') + '|', ...lines.map(fmt)].join('\n')
}
