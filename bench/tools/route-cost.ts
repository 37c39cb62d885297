// Analysis (not part of `npm run bench`): what each piece of tg-relay's
// POST /send costs without Redis. A peer app (bench/targets/peer-app.ts's
// plugins and schemas) with pieces switched off by ROUTE_OFF, under
// autocannon (64 connections, a new chat_id per request), reporting the
// server's CPU per request, user and system.
//   npx tsx bench/tools/route-cost.ts [SECONDS]                      every piece on
//   ROUTE_OFF=log,validation,compose,response,auth npx tsx bench/tools/route-cost.ts
import autocannon from 'autocannon'
import { readFileSync } from 'node:fs'
import { startTarget, killAllTargets } from '../lib/child.ts'
import { ADMIN_TOKEN, BOT_TOKEN, SERVICE_TOKEN, distinctChatBodies } from '../lib/payload.ts'

const seconds = Number(process.argv[2] ?? 5)
const off = process.env.ROUTE_OFF ?? ''
process.on('exit', killAllTargets)

/** utime and stime of a process, ms */
function cpu (pid: number): [number, number] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return [Number(f[11]) * 10, Number(f[12]) * 10]
}

const target = await startTarget('route-variant', 'bench/tools/route-variant.ts', {
  ADMIN_TOKEN, SERVICE_TOKEN, TELEGRAM_BOT_TOKEN: BOT_TOKEN, LOG_LEVEL: 'warn', ROUTE_OFF: off
})
const bodies = distinctChatBodies()
const load = async (s: number) => await autocannon({
  url: `${target.info.url}/api/telegram/send`,
  connections: 64,
  duration: s,
  method: 'POST',
  headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
  requests: [{ setupRequest: req => ({ ...req, body: bodies() }) }]
})
await load(2)
const [u0, s0] = cpu(target.pid)
const r = await load(seconds)
const [u1, s1] = cpu(target.pid)
const per = (ms: number) => (ms * 1000 / r.requests.total).toFixed(1)
console.log(`off: ${off || '(nothing)'}: ${Math.round(r.requests.average)} req/s, server ${per(u1 - u0 + s1 - s0)} µs/request (user ${per(u1 - u0)}, system ${per(s1 - s0)}), ${r.non2xx} non-2xx`)
await target.stop()
process.exit(0)
