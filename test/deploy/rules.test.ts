// deploy/prometheus/rules.yml through Prometheus' own checker and its unit
// tests (deploy/prometheus/rules.test.yml), with Debian's promtool.
import t from 'tap'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'

const PROMTOOL = '/usr/bin/promtool'
const dir = fileURLToPath(new URL('../../deploy/prometheus/', import.meta.url))
const run = promisify(execFile)

t.test('promtool', {
  skip: existsSync(PROMTOOL) ? false : `${PROMTOOL} is missing: install Debian's prometheus (apt-get install -y prometheus) to test the alert rules`
}, async t => {
  const check = await run(PROMTOOL, ['check', 'rules', 'rules.yml'], { cwd: dir })
  t.match(check.stdout, /SUCCESS: 7 rules found/)

  // every alert has a unit test, and the unit tests pass
  const alerts = [...readFileSync(`${dir}rules.yml`, 'utf8').matchAll(/^\s+- alert: (\w+)$/gm)].map(m => m[1])
  const tested = new Set([...readFileSync(`${dir}rules.test.yml`, 'utf8').matchAll(/alertname: (\w+)/g)].map(m => m[1]))
  t.equal(alerts.length, 7)
  for (const a of alerts) t.ok(tested.has(a), `${a} has a unit test`)
  const unit = await run(PROMTOOL, ['test', 'rules', 'rules.test.yml'], { cwd: dir }).catch((err: { stdout?: string, stderr?: string }) => err)
  t.match(`${unit.stdout ?? ''}${unit.stderr ?? ''}`, /SUCCESS/, `${unit.stdout ?? ''}${unit.stderr ?? ''}`)
})
