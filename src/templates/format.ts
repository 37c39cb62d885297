// Per-language formatting of dates, times, slots, durations, money and plurals,
// built on Intl. Calendar dates ('2024-12-15') are days, not instants: they are
// never shifted by the timezone, nor are date-times without an offset (wall
// time there already). Instants (ISO date-times with offset, Date, epoch ms)
// are shown in the configured timezone. Output is deterministic across
// ICU versions: narrow no-break spaces are turned into U+00A0, which Telegram
// shows as a space that never wraps ("5 000 ₽" stays on one line).
import type { Locale, Translate } from './locale.ts'
import { formatPhone } from './phone.ts'

export interface Formatters {
  date (value: unknown, style?: unknown): string
  datetime (value: unknown): string
  time (value: unknown): string
  slots (value: unknown): string
  duration (value: unknown): string
  price (value: unknown, currency?: unknown): string
  number (value: unknown): string
  plural (value: unknown, key: unknown): string
  phone (value: unknown): string
  status (value: unknown): string
  service (value: unknown): string
}

interface Slot { start: number, end?: number }

const NBSP = '\u00a0'
const DAY = 24 * 60

export function createFormatters (locale: Locale, translate: Translate, timezone: string): Formatters {
  const dateParts = (zone: string) => new Intl.DateTimeFormat(locale.intl, {
    weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone
  })
  const calendarFormat = dateParts('UTC')
  const instantFormat = dateParts(timezone)
  const numberFormat = new Intl.NumberFormat(locale.intl, { maximumFractionDigits: 2 })
  const priceFormats = new Map<string, Intl.NumberFormat[]>()

  function parts (value: unknown): Record<string, string> {
    const [date, format] = toDate(value, calendarFormat, instantFormat)
    const out: Record<string, string> = {}
    for (const part of format.formatToParts(date)) out[part.type] = part.value
    out.time = `${out.hour}:${out.minute}`
    return out
  }
  const fill = (pattern: string, values: Record<string, string>) =>
    pattern.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '')

  function number (value: unknown): string {
    return spaces(numberFormat.format(toNumber(value)))
  }

  function plural (value: unknown, key: unknown): string {
    const n = toNumber(value)
    const forms = locale.plurals[String(key)]
    if (forms === undefined) throw new Error(`no plurals.${String(key)} in ${locale.file}`)
    return `${number(n)} ${forms[locale.pluralRules.select(n)] ?? forms.other}`
  }

  function minutes (total: number): string {
    const h = Math.floor(total / 60)
    const m = total % 60
    if (m === 0) return plural(h, 'hours')
    if (h === 0) return plural(m, 'minutes')
    return `${plural(h, 'hours')} ${plural(m, 'minutes')}`
  }

  return {
    date: (value, style) => {
      const p = parts(value)
      return fill(style === 'full' ? locale.formats.dateFull : locale.formats.date, p)
    },
    datetime: (value) => {
      const p = parts(value)
      return fill(locale.formats.dateTime, { date: fill(locale.formats.date, p), time: p.time ?? '' })
    },
    time: (value) => {
      if (typeof value === 'string' && /^\d{2}:\d{2}$/.test(value)) return value
      return parts(value).time ?? ''
    },
    slots: (value) => mergeSlots(toSlots(value)).map(s => s.end === undefined ? clock(s.start) : `${clock(s.start)}–${clock(s.end)}`).join(', '),
    duration: (value) => {
      if (typeof value === 'number') return minutes(value)
      const slots = mergeSlots(toSlots(value))
      if (slots.some(s => s.end === undefined)) return ''
      return minutes(slots.reduce((sum, s) => sum + (s.end as number) - s.start, 0))
    },
    price: (value, currency = 'RUB') => {
      const amount = toNumber(value)
      const code = String(currency)
      let formats = priceFormats.get(code)
      if (formats === undefined) {
        formats = [0, 2].map(digits => new Intl.NumberFormat(locale.intl, {
          style: 'currency', currency: code, currencyDisplay: 'narrowSymbol', minimumFractionDigits: digits, maximumFractionDigits: digits
        }))
        priceFormats.set(code, formats)
      }
      return spaces((formats[Number.isInteger(amount) ? 0 : 1] as Intl.NumberFormat).format(amount))
    },
    number,
    plural,
    phone: (value) => formatPhone(String(value)),
    status: (value) => translated(translate, 'status', value),
    service: (value) => translated(translate, 'services', value)
  }
}

function translated (translate: Translate, group: string, value: unknown): string {
  const key = String(value)
  try {
    return /^[\w-]+$/.test(key) ? translate(`${group}.${key}`) : key
  } catch {
    return key // not a known code: free text from the backend
  }
}

function toDate (value: unknown, calendar: Intl.DateTimeFormat, instant: Intl.DateTimeFormat): [Date, Intl.DateTimeFormat] {
  if (typeof value === 'string') {
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
    if (day !== null) return [new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))), calendar]
    // a date-time without offset (Python's naive isoformat()) is already
    // wall-clock time in the studio's timezone: shown as written
    const local = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/.exec(value)
    if (local !== null) {
      const [y, mo, d, h, mi, sec] = local.slice(1).map(x => Number(x ?? 0)) as [number, number, number, number, number, number]
      return [new Date(Date.UTC(y, mo - 1, d, h, mi, sec)), calendar]
    }
  }
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : new Date(NaN)
  if (Number.isNaN(date.getTime())) throw new Error(`not a date: ${String(value)}`)
  return [date, instant]
}

function toNumber (value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`not a number: ${String(value)}`)
  return n
}

function spaces (text: string): string {
  return text.replace(/[\u202f\u2009]/g, NBSP)
}

function clock (minutes: number): string {
  const m = minutes === DAY ? DAY : minutes % DAY
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}

function toSlots (value: unknown): Slot[] {
  if (!Array.isArray(value)) throw new Error('time slots must be an array')
  return value.map(v => {
    const m = /^(\d{2}):(\d{2})(?:\s*[-–]\s*(\d{2}):(\d{2}))?$/.exec(String(v).trim())
    if (m === null) throw new Error(`not a time slot: ${String(v)}`)
    const start = Number(m[1]) * 60 + Number(m[2])
    if (m[3] === undefined) return { start }
    const end = Number(m[3]) * 60 + Number(m[4])
    return { start, end: end <= start ? end + DAY : end } // 22:00-02:00 runs past midnight
  })
}

/** Sorted, with touching or overlapping ranges joined: 10-11, 11-12 → 10-12. */
function mergeSlots (slots: Slot[]): Slot[] {
  const sorted = [...slots].sort((a, b) => a.start - b.start)
  const out: Slot[] = []
  for (const slot of sorted) {
    const last = out.at(-1)
    if (last?.end !== undefined && slot.end !== undefined && slot.start <= last.end) {
      last.end = Math.max(last.end, slot.end)
    } else {
      out.push({ ...slot })
    }
  }
  return out
}
