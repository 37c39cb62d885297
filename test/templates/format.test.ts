// Filters, each language: plurals, money, phones, dates across timezones and DST.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { createFormatters, type Formatters } from '../../src/templates/format.ts'
import { createTranslator, parseLocale } from '../../src/templates/locale.ts'
import { formatPhone } from '../../src/templates/phone.ts'
import { LOCALES_DIR } from './fixtures/index.ts'

async function formatters (language: string, timezone = 'Europe/Moscow'): Promise<Formatters> {
  const read = async (code: string) => {
    const file = join(LOCALES_DIR, `${code}.json`)
    return parseLocale(code, file, JSON.parse(await readFile(file, 'utf8')))
  }
  const locale = await read(language)
  const t = createTranslator(locale, await read('ru'))
  return createFormatters(locale, t, timezone)
}

const ru = await formatters('ru')
const en = await formatters('en')
const NB = '\u00a0'

t.test('Russian plurals: three forms', async t => {
  const table: Array<[number, string, string, string]> = [
    [0, '0 человек', '0 часов', '0 минут'],
    [1, '1 человек', '1 час', '1 минута'],
    [2, '2 человека', '2 часа', '2 минуты'],
    [5, '5 человек', '5 часов', '5 минут'],
    [11, '11 человек', '11 часов', '11 минут'],
    [21, '21 человек', '21 час', '21 минута'],
    [22, '22 человека', '22 часа', '22 минуты'],
    [25, '25 человек', '25 часов', '25 минут'],
    [101, '101 человек', '101 час', '101 минута'],
    [111, '111 человек', '111 часов', '111 минут'],
    [1.5, '1,5 человека', '1,5 часа', '1,5 минуты']
  ]
  for (const [n, people, hours, minutes] of table) {
    t.equal(ru.plural(n, 'people'), people)
    t.equal(ru.plural(n, 'hours'), hours)
    t.equal(ru.plural(n, 'minutes'), minutes)
  }
  t.equal(ru.plural(1000, 'people'), `1${NB}000 человек`, 'grouped with a no-break space')
})

t.test('English plurals: two forms', async t => {
  const table: Array<[number, string, string]> = [
    [0, '0 people', '0 hours'], [1, '1 person', '1 hour'], [2, '2 people', '2 hours'],
    [11, '11 people', '11 hours'], [21, '21 people', '21 hours'], [101, '101 people', '101 hours'], [1.5, '1.5 people', '1.5 hours']
  ]
  for (const [n, people, hours] of table) {
    t.equal(en.plural(n, 'people'), people)
    t.equal(en.plural(n, 'hours'), hours)
  }
  t.throws(() => en.plural(1, 'nope'), /no plurals\.nope/)
})

t.test('prices', async t => {
  t.equal(ru.price(5000), `5${NB}000${NB}₽`)
  t.equal(ru.price(0), `0${NB}₽`)
  t.equal(ru.price(999), `999${NB}₽`)
  t.equal(ru.price(1500.5), `1${NB}500,50${NB}₽`)
  t.equal(ru.price(1234567.891), `1${NB}234${NB}567,89${NB}₽`)
  t.equal(en.price(5000), '₽5,000')
  t.equal(en.price(1500.5), '₽1,500.50')
  t.equal(en.price(25, 'USD'), '$25')
  t.equal(ru.price(25, 'EUR'), `25${NB}€`)
  t.throws(() => ru.price('abc'), /not a number/)
  t.notMatch(ru.price(12345678), /\u202f/, 'no narrow no-break space, whatever the ICU version')
})

t.test('phones', async t => {
  const table: Array<[string, string]> = [
    ['+79991234567', '+7 (999) 123-45-67'],
    ['89991234567', '+7 (999) 123-45-67'],
    ['8 (999) 123-45-67', '+7 (999) 123-45-67'],
    ['7 999 123 45 67', '+7 (999) 123-45-67'],
    ['9991234567', '+7 (999) 123-45-67'],
    ['+7 495 123-45-67', '+7 (495) 123-45-67'],
    ['+7 (777) 123 4567', '+7 (777) 123-45-67'],
    ['+12125550123', '+1 212-555-0123'],
    ['+1 (212) 555-0123', '+1 212-555-0123'],
    ['+442079460958', '+44 2079460958'],
    ['+44 20 7946 0958', '+44 20 7946 0958'],
    ['0044 20  7946 0958', '+44 20 7946 0958'],
    ['+375291234567', '+375 291234567'],
    ['+799912345', '+799912345'],
    ['123-45-67', '123-45-67'],
    ['+7 999 123-45-67 ext. 12', '+7 999 123-45-67 ext. 12'],
    ['call me', 'call me'],
    ['  +79991234567  ', '+7 (999) 123-45-67']
  ]
  for (const [input, output] of table) t.equal(formatPhone(input), output, input)
  t.equal(ru.phone('+79991234567'), '+7 (999) 123-45-67', 'as a filter')
})

t.test('calendar dates are days, never shifted by the timezone', async t => {
  for (const zone of ['Europe/Moscow', 'America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
    const r = await formatters('ru', zone)
    const e = await formatters('en', zone)
    t.equal(r.date('2024-12-15'), '15 декабря 2024', zone)
    t.equal(r.date('2024-12-15', 'full'), 'воскресенье, 15 декабря 2024', zone)
    t.equal(e.date('2024-12-15'), 'December 15, 2024', zone)
    t.equal(e.date('2024-12-15', 'full'), 'Sunday, December 15, 2024', zone)
  }
  t.equal(ru.date('2024-03-01'), '1 марта 2024', 'genitive month')
  t.equal(ru.date('2024-05-09'), '9 мая 2024')
  t.throws(() => ru.date('soon'), /not a date/)
})

t.test('instants in the configured timezone, across DST', async t => {
  t.equal(ru.datetime('2024-12-15T07:00:00Z'), '15 декабря 2024, 10:00', 'Moscow is UTC+3')
  t.equal(en.datetime('2024-12-15T07:00:00Z'), 'December 15, 2024, 10:00')
  t.equal(ru.time('2024-12-15T07:00:00Z'), '10:00')
  t.equal(ru.date('2024-12-15T22:30:00Z'), '16 декабря 2024', 'the day in Moscow, not in UTC')
  t.equal(ru.datetime(new Date(Date.UTC(2024, 11, 15, 7))), '15 декабря 2024, 10:00', 'a Date')
  t.equal(ru.datetime(Date.UTC(2024, 11, 15, 7)), '15 декабря 2024, 10:00', 'epoch ms')

  const berlin = await formatters('ru', 'Europe/Berlin')
  t.equal(berlin.datetime('2024-03-31T00:59:00Z'), '31 марта 2024, 01:59', 'before the spring change (UTC+1)')
  t.equal(berlin.datetime('2024-03-31T01:00:00Z'), '31 марта 2024, 03:00', 'after it (UTC+2)')
  t.equal(berlin.datetime('2024-10-27T00:30:00Z'), '27 октября 2024, 02:30', 'autumn: first 02:30')
  t.equal(berlin.datetime('2024-10-27T01:30:00Z'), '27 октября 2024, 02:30', 'autumn: second 02:30')

  const ny = await formatters('en', 'America/New_York')
  t.equal(ny.datetime('2024-03-10T06:59:00Z'), 'March 10, 2024, 01:59')
  t.equal(ny.datetime('2024-03-10T07:00:00Z'), 'March 10, 2024, 03:00')
  t.equal(ny.datetime('2024-12-31T23:30:00-05:00'), 'December 31, 2024, 23:30', 'an offset in the input')
  t.equal(ny.date('2025-01-01T03:00:00Z'), 'December 31, 2024', 'still the old year in New York')
  t.equal(ny.time('00:05'), '00:05', 'a clock time passes through')
})

t.test('time slots and durations', async t => {
  t.equal(ru.slots(['10:00-12:00']), '10:00–12:00')
  t.equal(ru.slots(['11:00-12:00', '10:00-11:00']), '10:00–12:00', 'sorted and merged')
  t.equal(ru.slots(['10:00-11:00', '10:30-12:00', '14:00-15:00']), '10:00–12:00, 14:00–15:00', 'overlaps merged')
  t.equal(ru.slots(['10:00', '12:00']), '10:00, 12:00', 'start times only')
  t.equal(ru.slots(['22:00-02:00']), '22:00–02:00', 'past midnight')
  t.equal(ru.slots(['22:00-24:00']), '22:00–24:00')
  t.equal(ru.duration(['10:00-12:00']), '2 часа')
  t.equal(ru.duration(['10:00-11:00']), '1 час')
  t.equal(ru.duration(['09:00-14:00']), '5 часов')
  t.equal(ru.duration(['10:00-11:30']), '1 час 30 минут')
  t.equal(ru.duration(['10:00-10:45']), '45 минут')
  t.equal(ru.duration(['22:00-02:00']), '4 часа')
  t.equal(ru.duration(['10:00-11:00', '10:30-12:00']), '2 часа', 'overlap counted once')
  t.equal(ru.duration(['10:00']), '', 'unknown without an end')
  t.equal(ru.duration(90), '1 час 30 минут', 'minutes')
  t.equal(en.duration(['10:00-11:00']), '1 hour')
  t.equal(en.duration(['10:00-12:30']), '2 hours 30 minutes')
  t.equal(en.duration(['10:00-10:01']), '1 minute')
  t.throws(() => ru.slots('10:00'), /array/)
  t.throws(() => ru.slots(['ten']), /not a time slot/)
})

t.test('numbers, statuses and services', async t => {
  t.equal(ru.number(1234567.5), `1${NB}234${NB}567,5`)
  t.equal(en.number(1234567.5), '1,234,567.5')
  t.equal(ru.status('pending'), 'ожидает подтверждения')
  t.equal(en.status('confirmed'), 'confirmed')
  t.equal(ru.status('on_hold'), 'on_hold', 'unknown codes as given')
  t.equal(ru.service('portrait'), 'Портретная съёмка')
  t.equal(en.service('portrait'), 'Portrait session')
  t.equal(en.service('Съёмка на природе'), 'Съёмка на природе', 'free text as given')
  t.equal(ru.service('labels.date'), 'labels.date', 'not a path into the strings')
})
