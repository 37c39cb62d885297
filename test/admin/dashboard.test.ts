// The dashboard in a real headless Chromium (Debian's /usr/bin/chromium):
// sign in, find a dead letter (Telegram's 403) in the DLQ table, requeue it
// with a click, and see it delivered. Leaves a screenshot in test/artifacts/.
import t from 'tap'
import { mkdirSync } from 'node:fs'
import { startRelay, ADMIN_TOKEN } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'
import { asAdmin } from '../helpers/admin.ts'
import { chromiumSkip, openPage } from '../helpers/browser.ts'

const ARTIFACTS = new URL('../artifacts/', import.meta.url)

t.test('dashboard in Chromium', { skip: chromiumSkip() }, async t => {
  const relay = await startRelay(t)
  const { emulator } = relay
  const admin = asAdmin(relay)
  const status = async (id: string) => (await admin('GET', `/api/telegram/messages/${id}`)).body.status

  // Telegram's refusal carries markup-like text: it must show as text
  emulator.blockChat(4001, 'Forbidden: bot was blocked by the user <img src=x onerror="window.pwned=1">')
  emulator.removeChat(4002)
  const target = (await relay.send({ chat_id: 4001, text: 'Booking #42 confirmed', priority: 'high' })).body.id as string
  const other = (await relay.send({ chat_id: 4002, text: 'Reminder' })).body.id as string
  await waitFor(async () => await status(target) === 'dead' && await status(other) === 'dead', 'both dead-lettered')
  for (let i = 0; i < 5; i++) await relay.send({ chat_id: 4100 + i, text: `ok ${i}` })

  // the wrong token below is refused on purpose: the browser logs that 403
  const { page, problems } = await openPage(t, relay.url, { viewport: { width: 1360, height: 1000 }, expectedConsole: /status of 403/ })

  await page.goto(`${relay.url}/admin`)
  await page.locator('#login').waitFor({ state: 'visible' })
  await page.fill('#token', 'wrong-token-wrong-token')
  await page.click('#login-form button[type=submit]')
  await page.locator('#login-error', { hasText: 'not the admin token' }).waitFor()
  await page.fill('#token', ADMIN_TOKEN)
  await page.click('#login-form button[type=submit]')
  await page.locator('#login').waitFor({ state: 'hidden' })

  const row = page.locator(`#dlq-rows tr[data-id="${target}"]`)
  await row.waitFor()
  const rowText = await row.innerText()
  t.match(rowText, /403: Forbidden: bot was blocked by the user <img src=x onerror="window.pwned=1">/, 'the 403 description, as text')
  t.match(rowText, /high/)
  t.equal(await page.locator('#dlq-rows img').count(), 0, 'no element was made from the data')
  t.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined)
  t.equal(await page.locator('#dlq-rows tr').count(), 2)
  t.equal(await page.locator('#m-dlq').innerText(), '2')
  t.equal(await page.locator('#mode').innerText(), 'LIVE')

  // Telegram would accept the chat again; requeue with a click
  emulator.reset()
  await row.locator('button[data-action=requeue]').click()
  await row.waitFor({ state: 'detached' })
  await waitFor(() => emulator.received(4001).length === 1, 'delivered after the requeue')
  t.equal(emulator.received(4001)[0]?.text, 'Booking #42 confirmed')
  await waitFor(async () => await status(target) === 'sent', 'sent')
  await page.locator('#toast', { hasText: 'queued again' }).waitFor()
  await page.locator('#m-dlq', { hasText: /^1$/ }).waitFor()

  // its story, through the lookup form
  await page.fill('#lookup-id', target)
  await page.click('#lookup-form button[type=submit]')
  await page.locator('#lookup-result .history li', { hasText: 'requeued' }).waitFor()
  t.match(await page.locator('#lookup-result').innerText(), /sent[\s\S]*403: Forbidden/)

  // the token survives a reload (sessionStorage), and the live numbers move
  await page.reload()
  await page.locator(`#dlq-rows tr[data-id="${other}"]`).waitFor()
  t.notOk(await page.locator('#login').isVisible(), 'no second sign-in')
  for (let i = 0; i < 10; i++) await relay.send({ chat_id: 4200 + i, text: `more ${i}` })
  await page.locator('#m-rate', { hasNotText: '–' }).waitFor()
  await page.locator('#workers tr td', { hasText: ':' }).first().waitFor()
  // pause and resume from the header
  await page.click('#pause')
  await page.locator('#pause', { hasText: 'Resume delivery' }).waitFor()
  t.equal(await relay.app.redis.exists(relay.app.queue.keys.paused), 1)
  await page.click('#pause')
  await page.locator('#pause', { hasText: 'Pause delivery' }).waitFor()
  t.equal(await relay.app.redis.exists(relay.app.queue.keys.paused), 0)

  await page.fill('#lookup-id', target)
  await page.click('#lookup-form button[type=submit]')
  await page.locator('#lookup-result .history li').first().waitFor()
  await page.evaluate(() => window.scrollTo(0, 0))
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: new URL('dashboard.png', ARTIFACTS).pathname, fullPage: true })
  t.same(problems, [], 'no script errors, CSP violations or foreign requests')
})
