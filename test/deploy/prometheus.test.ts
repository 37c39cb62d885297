// Debian's real Prometheus scrapes a running tg-relay with the admin token
// (deploy/prometheus/scrape.example.yml's shape, a 1 s interval), loads
// deploy/prometheus/rules.yml, and answers: tg_relay_queue_depth is there,
// every rule evaluates without error, a dead letter fires TgRelayDlqGrowing,
// and every query of every panel of deploy/grafana/tg-relay.json evaluates.
import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { startRelay, ADMIN_TOKEN } from '../helpers/relay.ts'
import { deadLetters } from '../helpers/admin.ts'
import { waitFor } from '../helpers/wait.ts'
import { freePort } from '../../src/redis/server-process.ts'

const PROMETHEUS = '/usr/bin/prometheus'
const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url))

interface ApiAnswer { status: string, error?: string, data: any } // eslint-disable-line @typescript-eslint/no-explicit-any
interface Rule { name: string, query: string, health: string, lastError?: string, lastEvaluation: string, state?: string }

/** Grafana's own variables, as the dashboard would send them for "All jobs, last hour". */
const grafanaVariables = (expr: string) => expr.replaceAll('$__rate_interval', '1m').replaceAll('$job', '.+')

t.test('real Prometheus against tg-relay', {
  skip: existsSync(PROMETHEUS) ? false : `${PROMETHEUS} is missing: install Debian's prometheus (apt-get install -y prometheus) to run this test`
}, async t => {
  const relay = await startRelay(t)
  for (let i = 0; i < 5; i++) await relay.send({ chat_id: 5100 + i, text: `hello ${i}` })

  const dir = mkdtempSync(join(tmpdir(), 'tg-relay-prometheus-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'token'), ADMIN_TOKEN)
  const port = await freePort()
  writeFileSync(join(dir, 'prometheus.yml'), [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    `rule_files: ['${join(DEPLOY, 'prometheus/rules.yml')}']`,
    'scrape_configs:',
    '  - job_name: tg-relay',
    '    metrics_path: /metrics',
    `    authorization: { type: Bearer, credentials_file: '${join(dir, 'token')}' }`,
    `    static_configs: [{ targets: ['${new URL(relay.url).host}'] }]`
  ].join('\n') + '\n')
  const child = spawn(PROMETHEUS, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`
  ], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  child.stderr.on('data', (c: Buffer) => { log = (log + c.toString()).slice(-4000) })
  const exited = new Promise(resolve => child.once('exit', resolve))
  t.teardown(async () => { child.kill('SIGTERM'); await exited })

  const base = `http://127.0.0.1:${port}`
  const api = async (path: string, params: Record<string, string> = {}): Promise<ApiAnswer> => {
    const res = await request(`${base}${path}?${new URLSearchParams(params)}`)
    return await res.body.json() as ApiAnswer
  }
  const query = (expr: string) => api('/api/v1/query', { query: expr })
  await waitFor(async () => (await request(`${base}/-/ready`).then(r => r.body.text().then(() => r.statusCode), () => 0)) === 200,
    `Prometheus ready (${log})`, 30_000, 200)

  await t.test('it scrapes /metrics with the bearer token', async t => {
    await waitFor(async () => (await query('tg_relay_queue_depth')).data?.result?.length === 4, 'tg_relay_queue_depth scraped', 20_000, 200)
    const depth = await query('tg_relay_queue_depth')
    t.equal(depth.status, 'success')
    t.same(depth.data.result.map((r: { metric: { priority: string } }) => r.metric.priority).sort(), ['critical', 'high', 'low', 'normal'])
    t.match(depth.data.result[0].metric, { job: 'tg-relay', instance: new URL(relay.url).host })
    const up = await query('up{job="tg-relay"}')
    t.equal(up.data.result[0].value[1], '1', 'the scrape succeeds (a wrong token would be 403 and up 0)')
    await waitFor(async () => Number((await query('tg_relay_delivery_latency_seconds_count')).data.result[0]?.value[1] ?? 0) === 5,
      'the five deliveries in the latency histogram', 20_000, 200)
  })

  await t.test('every rule evaluates, and a dead letter fires TgRelayDlqGrowing', async t => {
    await waitFor(async () => {
      const groups = (await api('/api/v1/rules')).data.groups as Array<{ rules: Rule[] }>
      return groups.flatMap(g => g.rules).every(r => !r.lastEvaluation.startsWith('0001'))
    }, 'every rule evaluated once', 20_000, 200)
    const rules = ((await api('/api/v1/rules')).data.groups as Array<{ rules: Rule[] }>).flatMap(g => g.rules)
    t.equal(rules.length, 7)
    for (const r of rules) {
      t.equal(r.health, 'ok', `${r.name}: ${r.lastError ?? 'ok'}`)
      const answer = await query(r.query)
      t.equal(answer.status, 'success', `${r.name} evaluates: ${answer.error ?? ''}`)
    }
    const firing = async () => ((await api('/api/v1/alerts')).data.alerts as Array<{ labels: { alertname: string }, state: string }>)
      .filter(a => a.state === 'firing').map(a => a.labels.alertname).sort()
    t.same(await firing(), [], 'nothing fires on a healthy relay')
    // a 403: one dead letter, and 5 of 6 outcomes (83%) are deliveries
    await deadLetters(relay, [5200])
    await waitFor(async () => (await firing()).length === 2, 'two alerts firing', 20_000, 200)
    t.same(await firing(), ['TgRelayDlqGrowing', 'TgRelaySuccessRateLow'])
  })

  await t.test('every Grafana panel query evaluates', async t => {
    const dashboard = JSON.parse(readFileSync(join(DEPLOY, 'grafana/tg-relay.json'), 'utf8')) as { panels: Array<{ title: string, targets: Array<{ expr: string }> }> }
    const exprs = dashboard.panels.flatMap(p => p.targets.map(target => ({ panel: p.title, expr: grafanaVariables(target.expr) })))
    t.ok(exprs.length >= 15)
    let withData = 0
    for (const { panel, expr } of exprs) {
      const answer = await query(expr)
      t.equal(answer.status, 'success', `${panel}: ${expr} ${answer.error ?? ''}`)
      if (answer.data.result.length > 0) withData++
    }
    // p50..p99 of a histogram and the rates need two scrapes with traffic between: most panels show data
    t.ok(withData >= exprs.length - 3, `${withData} of ${exprs.length} queries return data`)
  })
})
