// Analysis run (not part of `npm run bench`): one figure run with V8 CPU
// profiles of the target and Redis SLOWLOG of every command, aggregated per
// Lua script. Usage: npx tsx bench/tools/analyse.ts drain|enqueue SIDE [concurrency] [messages]
import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { luaSources } from '../../src/queue/scripts.ts'
import { killAllTargets, ROOT } from '../lib/child.ts'
import { killAllRedis, type BenchRedis } from '../lib/redis.ts'
import type { BenchContext } from '../lib/context.ts'
import { drainOnce } from '../figures/drain.ts'
import { enqueueOnce } from '../figures/enqueue.ts'

const [figure = 'drain', side = 'tg-relay', conc = '10', msgs = '20000'] = process.argv.slice(2)
const names = new Map<string, string>()
for (const [name, lua] of luaSources()) names.set(createHash('sha1').update(lua).digest('hex'), name)

const profileDir = `${ROOT}bench/tools/profiles`
mkdirSync(profileDir, { recursive: true })
process.on('exit', () => { killAllTargets(); killAllRedis() })

type Entry = [number, number, number, Array<string | Buffer>]
const ctx: BenchContext = {
  runs: 1,
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  drainMessages: Number(msgs),
  profileDir,
  log: line => console.log(line),
  probe: {
    async before (redis: BenchRedis) {
      await redis.client.config('SET', 'slowlog-log-slower-than', '0')
      await redis.client.config('SET', 'slowlog-max-len', '1000000')
      await redis.client.slowlog('RESET')
    },
    async after (redis: BenchRedis, _side: string, units: number) {
      await redis.client.config('SET', 'slowlog-log-slower-than', '10000')
      const log = await redis.client.call('SLOWLOG', 'GET', '-1') as Entry[]
      const agg = new Map<string, { calls: number, us: number, max: number }>()
      for (const [, , us, args] of log) {
        const cmd = String(args[0]).toLowerCase()
        let key = cmd
        if (cmd === 'evalsha') {
          const sha = String(args[1])
          key = `evalsha ${names.get(sha) ?? sha.slice(0, 8)} (${String(args[2])} keys)`
        }
        const a = agg.get(key) ?? { calls: 0, us: 0, max: 0 }
        a.calls++; a.us += us; a.max = Math.max(a.max, us)
        agg.set(key, a)
      }
      console.log(`SLOWLOG (${log.length} entries) per unit of work (${units}):`)
      for (const [k, a] of [...agg].sort((x, y) => y[1].us - x[1].us).slice(0, 12)) {
        console.log(`  ${k.padEnd(40)} calls/unit ${(a.calls / units).toFixed(3)}  µs/call ${(a.us / a.calls).toFixed(1)}  µs/unit ${(a.us / units).toFixed(1)}  max ${a.max}`)
      }
    }
  }
}

if (figure === 'drain') await drainOnce(side as 'tg-relay' | 'bullmq', Number(conc), Number(msgs), ctx)
else await enqueueOnce(side as 'tg-relay' | 'bullmq' | 'bare', ctx)
console.log(`profiles in ${profileDir}`)
process.exit(0)
