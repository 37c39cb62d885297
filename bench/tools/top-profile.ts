// Summarises a V8 .cpuprofile: self time by function and by module (package
// or src file), and inclusive time of src/ functions. Usage:
//   npx tsx bench/tools/top-profile.ts FILE [N] [SKIP_MS]
// SKIP_MS leaves out the first samples (startup and JIT warm-up).
import { readFileSync } from 'node:fs'

interface Node { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }
interface Profile { nodes: Node[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }

const file = process.argv[2] as string
const top = Number(process.argv[3] ?? 30)
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(p.nodes.map(n => [n.id, n]))
const skipUs = Number(process.argv[4] ?? 0) * 1000
const self = new Map<number, number>()
let at = 0
for (let i = 0; i < p.samples.length; i++) {
  at += p.timeDeltas[i] ?? 0
  if (at < skipUs) continue
  self.set(p.samples[i] as number, (self.get(p.samples[i] as number) ?? 0) + (p.timeDeltas[i] ?? 0))
}
const total = [...self.values()].reduce((a, b) => a + b, 0)

function moduleOf (url: string): string {
  if (!url) return '(native/gc/idle)'
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (nm) return nm[1] as string
  const src = /\/work\/main\/(.+)$/.exec(url)
  if (src) return src[1] as string
  if (url.startsWith('node:')) return url
  return url
}
const fn = new Map<string, number>()
const mod = new Map<string, number>()
for (const [id, us] of self) {
  const n = byId.get(id)
  if (!n) continue
  const cf = n.callFrame
  const key = `${cf.functionName || '(anon)'} ${moduleOf(cf.url)}:${cf.lineNumber + 1}`
  fn.set(key, (fn.get(key) ?? 0) + us)
  const m = cf.functionName === '(idle)' ? '(idle)' : cf.functionName === '(garbage collector)' ? '(gc)' : cf.functionName === '(program)' ? '(program)' : moduleOf(cf.url)
  mod.set(m, (mod.get(m) ?? 0) + us)
}
// each sample charged to the nearest library or src/ frame above it (native writes, node internals → who called them)
const parent = new Map<number, number>()
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const owner = new Map<string, number>()
for (const [id, us] of self) {
  let cur: number | undefined = id
  let who = ''
  while (cur !== undefined) {
    const n = byId.get(cur)
    const name = n?.callFrame.functionName ?? ''
    if (name === '(idle)' || name === '(garbage collector)' || name === '(program)') { who = name; break }
    const url = n?.callFrame.url ?? ''
    if (/node_modules|\/work\/main\//.test(url)) { who = moduleOf(url); break }
    cur = parent.get(cur)
  }
  owner.set(who || '(node internals, no caller)', (owner.get(who || '(node internals, no caller)') ?? 0) + us)
}
const pct = (x: number) => (x / total * 100).toFixed(1).padStart(5) + '%'
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`)
console.log('\n-- by module (self)')
for (const [k, v] of [...mod].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(v), k)
console.log('\n-- attributed to the nearest library/src caller')
for (const [k, v] of [...owner].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(v), k)
console.log('\n-- by function (self)')
for (const [k, v] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(v), k)

// inclusive: a sample counts once for every distinct src/ function on its stack
const inclusive = new Map<string, number>()
for (const [id, us] of self) {
  const seen = new Set<string>()
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const cf = byId.get(cur)?.callFrame
    if (!cf || !/\/work\/main\/(src|bench)\//.test(cf.url)) continue
    const key = `${cf.functionName || '(anon)'} ${moduleOf(cf.url)}:${cf.lineNumber + 1}`
    if (seen.has(key)) continue
    seen.add(key)
    inclusive.set(key, (inclusive.get(key) ?? 0) + us)
  }
}
console.log('\n-- src functions, inclusive')
for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(v), k)
