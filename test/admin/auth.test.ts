// Every admin route needs ADMIN_TOKEN: 401 without a token, 403 with the
// service token or a wrong one. The OpenAPI document lists every route, and
// the dashboard's files are served with their content types and a CSP.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { startRelay, SERVICE_TOKEN } from '../helpers/relay.ts'
import { asAdmin } from '../helpers/admin.ts'

const ADMIN_ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/api/telegram/status'],
  ['GET', '/api/telegram/queue/metrics'],
  ['GET', '/metrics'],
  ['GET', '/api/telegram/queue/dlq'],
  ['POST', '/api/telegram/queue/dlq/requeue/someid'],
  ['POST', '/api/telegram/queue/dlq/requeue', {}],
  ['DELETE', '/api/telegram/queue/dlq/someid'],
  ['DELETE', '/api/telegram/queue/dlq'],
  ['POST', '/api/telegram/worker/stop'],
  ['POST', '/api/telegram/worker/start']
]

t.test('admin routes', async t => {
  const relay = await startRelay(t, { env: { ROLE: 'api' } })

  t.test('401 without a token, 403 with the service token or a wrong one', async t => {
    for (const [method, path, body] of ADMIN_ROUTES) {
      const none = await relay.call(method, path, body, { authorization: '' })
      t.equal(none.status, 401, `${method} ${path} without a token`)
      t.equal(none.headers['www-authenticate'], 'Bearer')
      t.equal((await relay.call(method, path, body, { authorization: `Bearer ${SERVICE_TOKEN}` })).status, 403, `${method} ${path} with the service token`)
      t.equal((await relay.call(method, path, body, { authorization: 'Bearer not-the-admin-token' })).status, 403, `${method} ${path} with a wrong token`)
      t.equal((await relay.call(method, path, body, { authorization: 'Basic YWRtaW46YWRtaW4=' })).status, 401, `${method} ${path} with Basic auth`)
    }
    t.equal(await relay.app.redis.exists(relay.app.queue.keys.paused), 0, 'nothing was done')
  })

  t.test('/docs/json documents every route, with bearer security and tags', async t => {
    const res = await relay.call('GET', '/docs/json', undefined, { authorization: '' })
    t.equal(res.status, 200)
    const doc = res.body
    t.match(doc, { openapi: /^3\./, components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } })
    for (const [method, path] of ADMIN_ROUTES) {
      const openapiPath = path.replace(/\/someid$/, '/{id}')
      const op = doc.paths[openapiPath]?.[method.toLowerCase()]
      t.ok(op, `${method} ${openapiPath} documented`)
      t.same(op?.security, [{ bearer: [] }], `${method} ${openapiPath} needs a bearer token`)
      t.ok(op?.tags?.length, `${method} ${openapiPath} is tagged`)
      t.ok(op?.responses?.['401'] && op?.responses?.['403'], `${method} ${openapiPath} documents 401 and 403`)
    }
    for (const path of ['/api/telegram/send', '/api/telegram/messages/{id}', '/api/telegram/messages', '/health/ready']) t.ok(doc.paths[path], `${path} documented`)
    t.notOk(doc.paths['/admin'], 'the dashboard is not an API route')
    const ui = await relay.call('GET', '/docs/', undefined, { authorization: '' })
    t.equal(ui.status, 200)
    t.match(ui.headers['content-type'], /text\/html/)
  })

  t.test('/admin serves the dashboard with a strict CSP and nothing from the internet', async t => {
    for (const [path, type] of [['/admin', /^text\/html/], ['/admin/', /^text\/html/], ['/admin/app.js', /^text\/javascript/], ['/admin/style.css', /^text\/css/]] as const) {
      const res = await relay.call('GET', path, undefined, { authorization: '' })
      t.equal(res.status, 200, path)
      t.match(res.headers['content-type'], type, path)
      t.match(res.headers['content-security-policy'], /default-src 'none'; script-src 'self'/, path)
      t.equal(res.headers['x-content-type-options'], 'nosniff')
    }
    t.equal((await relay.call('GET', '/admin/../config.ts', undefined, { authorization: '' })).status, 404)
    for (const file of ['index.html', 'app.js', 'style.css']) {
      const text = readFileSync(new URL(`../../src/admin/${file}`, import.meta.url), 'utf8')
      t.notMatch(text, /https?:\/\//, `${file} loads nothing from another origin`)
      t.notMatch(text, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, `${file} never parses data as HTML`)
    }
  })

  t.test('the admin token is accepted on the message routes too', async t => {
    const res = await relay.send({ chat_id: 1, text: 'x' })
    t.equal((await asAdmin(relay)('GET', `/api/telegram/messages/${res.body.id}`)).status, 200)
  })
})
