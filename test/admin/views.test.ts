// The dashboard's other views in a real headless Chromium (Debian's
// /usr/bin/chromium): the message log with its filters and paging, broadcasts
// with progress bars, the chat directory, and the last hour's charts. A list
// route this server lacks must show "not available on this server", not an
// error. Leaves one screenshot per view in test/artifacts/ (git-ignored).
import t from 'tap'
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { startRelay, ADMIN_TOKEN } from '../helpers/relay.ts'
import { asAdmin, deadLetters } from '../helpers/admin.ts'
import { waitFor } from '../helpers/wait.ts'
import { textUpdate, user } from '../helpers/bot.ts'
import { chromiumSkip, openPage } from '../helpers/browser.ts'

const ARTIFACTS = new URL('../artifacts/', import.meta.url)

t.test('dashboard views in Chromium', { skip: chromiumSkip() }, async t => {
  const relay = await startRelay(t, { env: { METRICS_HISTORY_STEP: '1' } })
  const admin = asAdmin(relay)
  const has = async (path: string) => (await admin('GET', path)).status !== 404

  // traffic over a few seconds, so the charts have several samples
  for (let round = 0; round < 4; round++) {
    await Promise.all(Array.from({ length: 8 }, (_, i) => relay.send({ chat_id: 9000 + i, text: `round ${round} to ${i}`, priority: i === 0 ? 'high' : 'normal' })))
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
  const [dead] = await deadLetters(relay, [9100])
  relay.emulator.blockChat(9203)
  const broadcast = await relay.call('POST', '/api/telegram/broadcasts', { text: 'Studio news: new backdrops', recipients: [9201, 9202, 9203, 9204] })
  t.equal(broadcast.status, 202)
  await waitFor(async () => (await admin('GET', `/api/telegram/broadcasts/${broadcast.body.id}?limit=0`)).body.pending === 0, 'the broadcast finished')
  const broadcastsList = await has('/api/telegram/broadcasts')
  const chatsList = await has('/api/telegram/chats')

  // a route this server lacks answers 404: the browser logs it, the view says so
  const { page, problems } = await openPage(t, relay.url, { viewport: { width: 1360, height: 900 }, expectedConsole: /status of 404/ })
  mkdirSync(ARTIFACTS, { recursive: true })
  const shot = async (p: Page, name: string) => {
    await p.evaluate(() => window.scrollTo(0, 0))
    await p.screenshot({ path: new URL(`dashboard-${name}.png`, ARTIFACTS).pathname, fullPage: true })
  }

  await page.goto(`${relay.url}/admin`)
  await page.fill('#token', ADMIN_TOKEN)
  await page.click('#login-form button[type=submit]')
  await page.locator('#login').waitFor({ state: 'hidden' })
  await page.locator(`#dlq-rows tr[data-id="${dead}"]`).waitFor()
  await shot(page, 'overview')

  await t.test('message log: filters, paging, details', async t => {
    await page.click('.tabs a[data-view=messages]')
    t.equal(new URL(page.url()).hash, '#messages')
    t.ok(await page.locator('#view-overview').isHidden())
    const rows = page.locator('#msg-rows tr')
    await rows.first().waitFor()
    t.equal(await rows.count(), 25, 'a page of 25')
    // 32 + 1 + 4 messages: a second page
    t.ok(await page.locator('#msg-older').isEnabled())
    const firstPage = await rows.first().getAttribute('data-id')
    await page.click('#msg-older')
    await page.locator('#msg-range', { hasText: 'page 2' }).waitFor()
    t.equal(await rows.count(), 12, 'the rest on page 2')
    t.not(await rows.first().getAttribute('data-id'), firstPage)
    await page.click('#msg-newer')
    await page.locator('#msg-range', { hasText: 'page 1' }).waitFor()

    await page.selectOption('#msg-status', 'dead')
    await page.locator('#msg-rows tr', { hasText: 'dead' }).first().waitFor()
    await waitFor(async () => await rows.count() === 2, 'only the dead letters (the 403 and the broadcast\'s blocked chat)')
    t.match(await page.locator(`#msg-rows tr[data-id="${dead}"]`).innerText(), /9100[\s\S]*dead[\s\S]*403: Forbidden: bot was blocked by the user/)

    await page.selectOption('#msg-status', '')
    await page.fill('#msg-chat', '9000')
    await page.click('#msg-filter button[type=submit]')
    await waitFor(async () => await rows.count() === 4, 'the four messages to chat 9000')
    t.match(await rows.first().innerText(), /9000[\s\S]*high[\s\S]*sent/)
    await rows.first().locator('button.link').click()
    await page.locator('#msg-detail .history li').first().waitFor()
    t.match(await page.locator('#msg-detail').innerText(), /status[\s\S]*sent/i)
    await shot(page, 'messages')
  })

  await t.test('broadcasts with progress bars', async t => {
    await page.click('.tabs a[data-view=broadcasts]')
    if (!broadcastsList) {
      await page.locator('#bc-unavailable', { hasText: 'not available on this server' }).waitFor()
      t.match(await page.locator('#bc-unavailable').innerText(), /GET \/api\/telegram\/broadcasts/)
      t.equal(await page.locator('#bc-rows tr').count(), 0)
      t.ok(await page.locator('#bc-empty').isHidden(), 'not "no broadcast yet" either')
      t.ok(await page.locator('table.broadcasts').isHidden(), 'no empty table')
    } else {
      const row = page.locator(`#bc-rows tr[data-id="${broadcast.body.id}"]`)
      await row.waitFor()
      t.match(await row.innerText(), /Studio news[\s\S]*100% done · 3 sent · 1 failed · 0 pending/)
      t.equal(await row.locator('rect[data-part=sent]').getAttribute('width'), '75')
      t.equal(await row.locator('rect[data-part=failed]').getAttribute('width'), '25')
      // the status filter goes to the route
      await page.selectOption('#bc-status', 'scheduled')
      await page.locator('#bc-empty').waitFor({ state: 'visible' })
      t.equal(await page.locator('#bc-rows tr').count(), 0)
      await page.selectOption('#bc-status', 'completed')
      await row.waitFor()
    }
    // one broadcast by id (GET /api/telegram/broadcasts/:id): its bar and each recipient
    await page.fill('#bc-id', broadcast.body.id)
    await page.click('#bc-lookup button[type=submit]')
    await page.locator('#bc-detail tbody tr').nth(3).waitFor()
    t.match(await page.locator('#bc-detail').innerText(), /3 sent · 1 failed · 0 pending of 4[\s\S]*9203[\s\S]*blocked/)
    t.equal(await page.locator('#bc-detail rect[data-part=sent]').getAttribute('width'), '75')
    await page.fill('#bc-id', 'nosuchbroadcast')
    await page.click('#bc-lookup button[type=submit]')
    await page.locator('#bc-detail', { hasText: 'No broadcast nosuchbroadcast.' }).waitFor()
    await page.fill('#bc-id', broadcast.body.id)
    await page.click('#bc-lookup button[type=submit]')
    await page.locator('#bc-detail tbody tr').nth(3).waitFor()
    await shot(page, 'broadcasts')
  })

  await t.test('chat directory', async t => {
    await page.click('.tabs a[data-view=chats]')
    if (!chatsList) {
      await page.locator('#chat-unavailable', { hasText: 'not available on this server' }).waitFor()
      t.equal(await page.locator('#chat-rows tr').count(), 0)
    } else {
      // two users /start the bot (through the webhook, as Telegram would); 9203 blocked it during the broadcast
      t.equal((await admin('POST', '/api/telegram/webhook/setup', { url: `${relay.url}/api/telegram/webhook` })).status, 200)
      await relay.emulator.pushUpdate(textUpdate(user(9201, 'en', { first_name: 'Anna' }), '/start spring-promo'))
      await relay.emulator.pushUpdate(textUpdate(user(9202, 'ru', { first_name: 'Boris' }), '/start'))
      await waitFor(async () => (await admin('GET', '/api/telegram/chats')).body.chats?.length >= 2, 'two registered chats')
      await page.click('.tabs a[data-view=overview]')
      await page.click('.tabs a[data-view=chats]')
      await page.locator('#chat-rows tr[data-id="9201"]').waitFor()
      t.ok(await page.locator('#chat-unavailable').isHidden())
      t.match(await page.locator('#chat-rows tr[data-id="9201"]').innerText(), /9201[\s\S]*Anna @user9201[\s\S]*en/)
      t.match(await page.locator('#chat-rows tr[data-id="9202"]').innerText(), /Boris[\s\S]*ru/)
      await page.selectOption('#chat-blocked', 'true')
      const blocked = page.locator('#chat-rows tr[data-id="9203"]')
      await blocked.waitFor()
      t.match(await blocked.innerText(), /403: Forbidden: bot was blocked by the user|blocked/)
      await shot(page, 'chats')
      await blocked.locator('button', { hasText: 'Unblock' }).click()
      await page.locator('#toast', { hasText: 'Chat 9203 unblocked.' }).waitFor()
      await blocked.waitFor({ state: 'detached' })
      await page.selectOption('#chat-blocked', '')
    }
    if (!chatsList) await shot(page, 'chats')
  })

  await t.test('charts of the last hour', async t => {
    await page.click('.tabs a[data-view=charts]')
    const sent = page.locator('#chart-throughput polyline[data-series=sent]')
    await sent.waitFor()
    const points = (await sent.getAttribute('points'))?.split(' ') ?? []
    t.ok(points.length >= 3, `${points.length} throughput points`)
    await page.locator('#chart-latency polyline[data-series=p99], #chart-latency circle').first().waitFor()
    await page.locator('#chart-dlq polyline[data-series="dead letters"]').waitFor()
    t.match(await page.locator('#view-charts .legend').first().innerText(), /sent/)
    t.match(await page.locator('#chart-step').innerText(), /every 1 s/)
    await shot(page, 'charts')
  })

  t.same(problems, [], 'no script errors, CSP violations or foreign requests')
})
