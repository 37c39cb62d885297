// Regenerates the README's benchmark table from bench/results.json (written
// by `npm run bench`): everything between the two marker comments is replaced.
// Usage: npx tsx bench/readme-table.ts
import { readFileSync, writeFileSync } from 'node:fs'
import { renderTable } from './lib/table.ts'
import type { Machine } from './lib/machine.ts'

interface Saved {
  machine: Machine & { load_average_end: number[] }
  settings: { runs: number, seconds: number, drain_messages: number, figures: string[] }
  problems: string[]
  table: Array<{ figure: string, cells: string[] }>
}

const BEGIN = '<!-- bench-table:begin (npx tsx bench/readme-table.ts) -->'
const END = '<!-- bench-table:end -->'
const readmeUrl = new URL('../README.md', import.meta.url)
const saved = JSON.parse(readFileSync(new URL('./results.json', import.meta.url), 'utf8')) as Saved
const m = saved.machine
const text = [
  BEGIN,
  `Run of ${m.date.slice(0, 10)} (\`npm run bench\`, ${saved.settings.runs} run(s) per figure, ${saved.settings.seconds} s per load run): ${m.nproc} cores ${m.cpu}, ${m.memory_gb} GB, Node ${m.node}, Redis ${m.redis}, BullMQ ${m.bullmq}; load average ${m.load_average.join(' ')} at start, ${m.load_average_end.join(' ')} at end.`,
  '',
  renderTable(saved.table, true),
  '',
  saved.problems.length > 0 ? `Problems in that run: ${saved.problems.join('; ')}.` : 'Every request was answered 2xx and stored, every message delivered exactly once.',
  END
].join('\n')

const readme = readFileSync(readmeUrl, 'utf8')
const from = readme.indexOf(BEGIN)
const to = readme.indexOf(END)
if (from < 0 || to < from) throw new Error(`README.md has no ${BEGIN} … ${END} block`)
writeFileSync(readmeUrl, readme.slice(0, from) + text + readme.slice(to + END.length))
process.stdout.write(`README.md: benchmark table from ${m.date}\n`)
