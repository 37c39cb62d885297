// Loading: what a broken or extended templates/ and locales/ do at startup.
// Each test works on its own copy of the shipped files in a temp dir.
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { loadTemplates, TemplateError, type TemplateCatalog } from '../../src/templates/index.ts'
import { fromJsonSchema } from '../../src/templates/json-schema.ts'
import { lookup } from '../../src/templates/locale.ts'
import { booking, htmlProblems, LOCALES_DIR, TEMPLATES_DIR } from './fixtures/index.ts'

interface Copy { dir: string, load (overrides?: { defaultLanguage?: string, timezone?: string }): Promise<TemplateCatalog>, write (path: string, text: string): Promise<void> }

async function copy (t: { testdir (): string }): Promise<Copy> {
  const dir = t.testdir()
  await cp(TEMPLATES_DIR, join(dir, 'templates'), { recursive: true })
  await cp(LOCALES_DIR, join(dir, 'locales'), { recursive: true })
  return {
    dir,
    load: (o = {}) => loadTemplates({ templatesDir: join(dir, 'templates'), localesDir: join(dir, 'locales'), defaultLanguage: o.defaultLanguage ?? 'ru', timezone: o.timezone ?? 'Europe/Moscow' }),
    write: async (path, text) => {
      await mkdir(join(dir, path, '..'), { recursive: true })
      await writeFile(join(dir, path), text)
    }
  }
}

async function loadError (c: Copy, overrides?: { defaultLanguage?: string, timezone?: string }): Promise<TemplateError> {
  try {
    await c.load(overrides)
  } catch (err) {
    if (err instanceof TemplateError) return err
    throw err
  }
  throw new Error('loaded')
}

t.test('a syntax error names the file and line', async t => {
  const c = await copy(t)
  await c.write('templates/en/booking_reminder.njk', '⏰ <b>Reminder</b>\n\n{% if booking.notes %}\n{{ booking.notes }\n{% endif %}\n')
  const err = await loadError(c)
  t.equal(err.code, 'TEMPLATE_COMPILE')
  t.equal(err.statusCode, 500)
  t.match(err.message, /templates\/en\/booking_reminder\.njk:4:\d+: template does not compile: /)
  t.match(err.details[0], { field: /templates\/en\/booking_reminder\.njk$/, message: /^line 4, column \d+: / })
})

t.test('a broken shared partial is reported as itself', async t => {
  const c = await copy(t)
  await c.write('templates/_booking_details.njk', 'ok\n{% for x in %}\n')
  t.match((await loadError(c)).message, /templates\/_booking_details\.njk:2:\d+: /)
})

t.test('an unknown filter or string key fails the load, not a send', async t => {
  const c = await copy(t)
  await c.write('templates/en/booking_confirmation.njk', 'Booking {{ booking.id }}\n{% if booking.studio %}{{ booking.date | weekday }}{% endif %}\n')
  t.match((await loadError(c)).message, /templates\/en\/booking_confirmation\.njk:2:\d+: unknown filter "weekday"/, 'even in a branch the example never takes')

  await c.write('templates/en/booking_confirmation.njk', 'Booking {{ booking.id }}\n')
  await c.write('templates/_booking_details.njk', '{% if booking.notes %}{{ t(\'labels.nope\') }}{% endif %}\n')
  t.match((await loadError(c)).message, /templates\/_booking_details\.njk:1:\d+: no string "labels\.nope"/)

  await c.write('templates/_booking_details.njk', '{{ booking.people_count | plural(\'persons\') }}\n')
  t.match((await loadError(c)).message, /templates\/_booking_details\.njk:1:\d+: no plurals\.persons/)

  await c.write('templates/_booking_details.njk', '{{ t(\'levels.\' + booking.status) }}\n')
  t.match((await loadError(c)).message, /templates\/_booking_details\.njk: template fails on its schema example \(rendering .*templates\/\w+\/booking_\w+\.njk\): no string "levels\.\w+"/, 'computed keys: caught by the example render')
})

t.test('undefined output is an error, never a blank', async t => {
  const c = await copy(t)
  await c.write('templates/en/booking_confirmation.njk', 'Booking {{ booking.id }}\n{{ booking.notez }}\n')
  t.match((await loadError(c)).message, /booking_confirmation\.njk.*undefined/s)
})

t.test('a template missing in a language falls back to the default language', async t => {
  const c = await copy(t)
  const en = JSON.parse(await readFile(join(LOCALES_DIR, 'en.json'), 'utf8')) as Record<string, unknown>
  await c.write('locales/de.json', JSON.stringify({ ...en, intl: 'de-DE', formats: { date: '{day}. {month} {year}', dateFull: '{weekday}, {day}. {month} {year}', dateTime: '{date}, {time}' }, buttons: { confirm: 'Bestätigen', cancel: 'Stornieren' } }))
  await c.write('templates/de/booking_notification.njk', '🆕 <b>Neue Buchung #{{ booking.id }}</b>\n{{ booking.date | date(\'full\') }}, {{ booking.time_slots | slots }}\n')
  const catalog = await c.load()
  t.same(catalog.languages, ['de', 'en', 'ru'])

  const own = catalog.renderBooking({ booking, event: 'created', language: 'de', buttons: true })
  t.has(own, { language: 'de', requestedLanguage: 'de', fallback: false })
  t.equal(own.text, '🆕 <b>Neue Buchung #1042</b>\nSonntag, 15. Dezember 2024, 10:00–12:00, 15:30–16:00')
  t.equal(own.replyMarkup?.inline_keyboard[0]?.[0]?.text, 'Bestätigen')

  const fallback = catalog.renderBooking({ booking, event: 'confirmed', language: 'de-AT', buttons: true })
  t.has(fallback, { language: 'ru', requestedLanguage: 'de-AT', fallback: true, template: 'booking_confirmation' })
  t.match(fallback.text, 'подтверждено')
  t.equal(fallback.replyMarkup?.inline_keyboard[0]?.[0]?.text, '❌ Отменить', 'buttons in the language of the text')
  t.same(catalog.list().find(i => i.name === 'booking_notification')?.languages, ['de', 'en', 'ru'])
  t.same(catalog.list().find(i => i.name === 'system_notification')?.languages, ['en', 'ru'])
})

t.test('a language whose locale lacks a plural form is refused', async t => {
  const c = await copy(t)
  const ru = JSON.parse(await readFile(join(LOCALES_DIR, 'ru.json'), 'utf8')) as { plurals: Record<string, Record<string, string>> }
  delete ru.plurals.people?.few
  await c.write('locales/ru.json', JSON.stringify(ru))
  t.match((await loadError(c)).message, /locales\/ru\.json: plurals\.people needs the forms few for ru-RU/)

  const c2 = await copy(t)
  const en = JSON.parse(await readFile(join(LOCALES_DIR, 'en.json'), 'utf8')) as { plurals: Record<string, unknown> }
  delete en.plurals.hours
  await c2.write('locales/en.json', JSON.stringify(en))
  t.match((await loadError(c2)).message, /locales\/en\.json: plurals hours missing/)
})

t.test('configuration mistakes', async t => {
  const c = await copy(t)
  const noDefault = await loadError(c, { defaultLanguage: 'de' })
  t.equal(noDefault.code, 'UNKNOWN_LANGUAGE')
  t.match(noDefault.message, 'default language "de" has no locale file; languages: en, ru')
  t.match((await loadError(c, { timezone: 'Mars/Olympus' })).message, 'timezone "Mars/Olympus"')

  await c.write('templates/fr/booking_notification.njk', 'Réservation\n')
  t.match((await loadError(c)).message, /templates\/fr\/: no .*locales\/fr\.json/)
  await rm(join(c.dir, 'templates/fr'), { recursive: true })

  await c.write('locales/en.json', '{ "intl": ')
  t.match((await loadError(c)).message, /locales\/en\.json: invalid JSON/)
  await c.write('locales/en.json', JSON.stringify({ intl: 'en-US' }))
  t.match((await loadError(c)).message, /locales\/en\.json: formats/)
  await c.write('locales/en.json', await readFile(join(LOCALES_DIR, 'en.json'), 'utf8'))

  await c.write('templates/en/gift_card.njk', 'Gift\n')
  t.match((await loadError(c)).message, /templates\/ru\/gift_card\.njk is missing: every template needs a file in the default language/)
  await c.write('templates/ru/gift_card.njk', 'Подарок\n')
  t.match((await loadError(c)).message, 'template gift_card has no schema')
  await c.write('templates/booking_reminder.schema.json', '{"type":"object"}')
  t.match((await loadError(c)).message, /booking_reminder\.schema\.json: booking_reminder is a built-in template/)
})

t.test('a template added without code: .njk files plus <name>.schema.json', async t => {
  const c = await copy(t)
  await c.write('templates/gift_card.schema.json', JSON.stringify({
    type: 'object',
    description: 'a gift card was bought',
    properties: {
      code: { type: 'string', pattern: '^[A-Z0-9]{8}$' },
      amount: { type: 'number', minimum: 0 },
      buyer: { type: ['string', 'null'], maxLength: 100 },
      kind: { enum: ['digital', 'printed'] }
    },
    required: ['code', 'amount'],
    additionalProperties: false,
    examples: [{ code: 'GIFT2024', amount: 3000 }]
  }))
  await c.write('templates/ru/gift_card.njk', '🎁 <b>Подарочный сертификат {{ code }}</b> на {{ amount | price }}\n{% if buyer %}Покупатель: {{ buyer }}\n{% endif %}')
  await c.write('templates/en/gift_card.njk', '🎁 <b>Gift card {{ code }}</b> for {{ amount | price }}\n')
  const catalog = await c.load()
  const info = catalog.list().find(i => i.name === 'gift_card')
  t.has(info, { languages: ['en', 'ru'], description: 'a gift card was bought' })

  const rendered = catalog.render('gift_card', 'ru', { code: 'GIFT2024', amount: 3000, buyer: '<Ann>' })
  t.equal(rendered.text, '🎁 <b>Подарочный сертификат GIFT2024</b> на 3\u00a0000\u00a0₽\nПокупатель: &lt;Ann&gt;')
  t.same(await htmlProblems(rendered.text), [])

  try {
    catalog.render('gift_card', 'en', { code: 'gift', buyer: 5, kind: 'paper', extra: true })
    t.fail('rendered')
  } catch (err) {
    t.same((err as TemplateError).details, [
      { field: 'data.amount', message: 'is required' },
      { field: 'data.extra', message: 'is not an allowed field' },
      { field: 'data.code', message: 'must be a string matching ^[A-Z0-9]{8}$' },
      { field: 'data.buyer', message: 'must be a string or null' },
      { field: 'data.kind', message: 'must be one of "digital", "printed"' }
    ])
  }
})

t.test('a message that renders empty is refused, not queued', async t => {
  const c = await copy(t)
  await c.write('templates/ru/note.njk', '{% if text %}\n  {{ text }}\n{% endif %}\n')
  await c.write('templates/note.schema.json', JSON.stringify({ type: 'object', properties: { text: { type: 'string' } }, examples: [{ text: 'x' }] }))
  const catalog = await c.load()
  t.equal(catalog.render('note', 'en', { text: ' hi ' }).text, 'hi')
  t.throws(() => catalog.render('note', 'en', {}), { code: 'INVALID_DATA', details: [{ field: 'data', message: 'renders an empty message' }] })
})

t.test('JSON Schema keywords we cannot check are refused, not ignored', async t => {
  t.throws(() => fromJsonSchema({ type: 'string', format: 'email' }), /unsupported keyword format/)
  t.throws(() => fromJsonSchema({ type: 'object', properties: { a: { type: 'string', contentEncoding: 'base64' } } }), /#\/properties\/a: unsupported keyword contentEncoding/)
  t.throws(() => fromJsonSchema({ $ref: '#/defs/x' }), /unsupported keyword \$ref/)
  t.throws(() => fromJsonSchema({ type: 'object', required: ['a'] }), /a not in properties/)
  t.throws(() => fromJsonSchema({ type: 'date' }), /unsupported type/)

  const c = await copy(t)
  await c.write('templates/ru/gift_card.njk', 'x\n')
  await c.write('templates/gift_card.schema.json', JSON.stringify({ type: 'object', properties: { email: { type: 'string', format: 'email' } } }))
  t.match((await loadError(c)).message, /gift_card\.schema\.json: #\/properties\/email: unsupported keyword format/)
  await c.write('templates/gift_card.schema.json', JSON.stringify({ type: 'string' }))
  t.match((await loadError(c)).message, /the data of a template is an object/)
})

t.test('the shipped locales say the same things', async t => {
  const ru = JSON.parse(await readFile(join(LOCALES_DIR, 'ru.json'), 'utf8')) as Record<string, unknown>
  const en = JSON.parse(await readFile(join(LOCALES_DIR, 'en.json'), 'utf8')) as Record<string, unknown>
  const keys = (node: unknown, prefix = ''): string[] => node !== null && typeof node === 'object'
    ? Object.entries(node).flatMap(([k, v]) => keys(v, prefix === '' ? k : `${prefix}.${k}`))
    : [prefix]
  const withoutPlurals = (k: string) => !k.startsWith('plurals.')
  t.same(keys(en).filter(withoutPlurals), keys(ru).filter(withoutPlurals))
  t.same(Object.keys(en.plurals as object), Object.keys(ru.plurals as object))
  t.equal(lookup(ru, 'labels.date'), 'Дата')
})
