// Auth comes from where a route is registered (authScope in plugins/auth.ts).
// This walks every route the app registers, as Fastify announces it, and asks
// each one without a token: every route not listed as public below must
// refuse with 401, and with a wrong token with 403 — so a route added outside
// the admin and service scopes, or with its own auth forgotten, fails here.
import t from 'tap'
import { startRelay, SERVICE_TOKEN } from '../helpers/relay.ts'

/** Routes anyone may call, each with why. */
const PUBLIC: Array<{ method: string, url: RegExp, why: string }> = [
  { method: '*', url: /^\/health\/(live|ready)$/, why: 'probes' },
  { method: '*', url: /^\/docs(\/|$)/, why: 'Swagger UI and the OpenAPI document' },
  { method: '*', url: /^\/admin(\/|\/(index\.html|app\.js|views\.js|charts\.js|style\.css))?$/, why: 'the dashboard page: it asks for the admin token' },
  { method: 'GET', url: /^\/admin\/queues(\/\*)?$/, why: 'where Bull Board was: a redirect to the dashboard' },
  { method: 'POST', url: /^\/api\/telegram\/webhook$/, why: 'Telegram\'s updates: X-Telegram-Bot-Api-Secret-Token is its auth' }
]

const publicRule = (method: string, url: string) =>
  PUBLIC.find(p => (p.method === '*' || p.method === method || (method === 'HEAD' && p.method === 'GET')) && p.url.test(url))

/** A path that matches the route: every parameter filled in, the wildcard too. */
const pathOf = (url: string) => url.replace(/:[A-Za-z_]+/g, 'x1').replace(/\*$/, 'x')

t.test('every admin and service route refuses a request without a token', async t => {
  const routes: Array<{ method: string, url: string }> = []
  const relay = await startRelay(t, {
    env: { ROLE: 'api' },
    onRoute: r => { for (const method of [r.method].flat()) routes.push({ method, url: r.url }) }
  })

  const guarded = routes.filter(r => publicRule(r.method, r.url) === undefined)
  t.ok(guarded.length >= 30, `${guarded.length} routes take a token`)
  for (const p of PUBLIC) t.ok(routes.some(r => publicRule(r.method, r.url) === p), `a public route is registered for ${p.why}`)

  for (const { method, url } of guarded) {
    const path = pathOf(url)
    const none = await relay.call(method, path, undefined, { authorization: '' })
    t.equal(none.status, 401, `${method} ${url} without a token`)
    t.equal(none.headers['www-authenticate'], 'Bearer', `${method} ${url} names the scheme`)
    t.equal((await relay.call(method, path, undefined, { authorization: 'Bearer not-a-token' })).status, 403, `${method} ${url} with a wrong token`)
  }

  // the service token opens the service scope only: the admin routes the
  // dashboard uses are refused
  for (const path of ['/api/telegram/status', '/api/telegram/queue/dlq', '/metrics']) {
    t.equal((await relay.call('GET', path, undefined, { authorization: `Bearer ${SERVICE_TOKEN}` })).status, 403, `GET ${path} with the service token`)
  }
  for (const path of ['/api/telegram/templates', '/api/telegram/queue/stats']) {
    t.equal((await relay.call('GET', path)).status, 200, `GET ${path} takes the service token`)
  }

  for (const { method, url } of routes.filter(r => publicRule(r.method, r.url) !== undefined && !r.url.includes('*') && r.method !== 'POST')) {
    t.not((await relay.call(method, pathOf(url), undefined, { authorization: '' })).status, 401, `${method} ${url} is public`)
  }
  t.equal(await relay.app.redis.exists(relay.app.queue.keys.paused), 0, 'nothing was done')
})
