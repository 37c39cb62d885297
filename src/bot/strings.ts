// The bot's words: the "bot.*" strings of locales/*.json, read once at startup
// with the same parser and fallback rules as the templates (a key missing in a
// language falls back to DEFAULT_LANGUAGE). Every key the bot uses is checked at
// load, so a typo stops startup instead of a reply failing later.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createTranslator, lookup, parseLocale, type Locale, type Translate } from '../templates/locale.ts'
import { TemplateError } from '../templates/errors.ts'

export const BOT_STRING_KEYS = [
  'bot.start', 'bot.help', 'bot.help_admin', 'bot.unknown', 'bot.status_denied', 'bot.status', 'bot.status_paused',
  'bot.breaker.closed', 'bot.breaker.open', 'bot.breaker.half-open', 'bot.rate_limited', 'bot.button_expired',
  'bot.booking.confirmed', 'bot.booking.cancelled', 'bot.booking.already_confirmed', 'bot.booking.already_cancelled',
  'bot.booking.confirmed_by', 'bot.booking.cancelled_by',
  'bot.alert.dlq', 'bot.alert.breaker', 'bot.alert.paused', 'bot.alert.no_worker'
] as const
export type BotStringKey = typeof BOT_STRING_KEYS[number]

export interface BotStrings {
  languages: string[]
  /** a user's language_code (en, ru-RU, pt-br…) → a language we have, else the default */
  pick (languageCode: string | undefined): string
  t (language: string, key: BotStringKey, params?: Record<string, unknown>): string
  /** a moment as a short date and time in the language and DEFAULT_TIMEZONE */
  time (language: string, at: number): string
}

export async function loadBotStrings (o: { localesDir: string, defaultLanguage: string, timezone: string }): Promise<BotStrings> {
  const locales = new Map<string, Locale>()
  for (const name of (await readdir(o.localesDir)).sort()) {
    if (!name.endsWith('.json')) continue
    const path = join(o.localesDir, name)
    const language = name.slice(0, -'.json'.length)
    locales.set(language, parseLocale(language, path, JSON.parse(await readFile(path, 'utf8'))))
  }
  const defaultLanguage = o.defaultLanguage.toLowerCase()
  const fallback = locales.get(defaultLanguage)
  if (fallback === undefined) throw new TemplateError('UNKNOWN_LANGUAGE', `default language "${defaultLanguage}" has no file in ${o.localesDir}`)
  const missing = BOT_STRING_KEYS.filter(k => lookup(fallback.strings, k) === undefined)
  if (missing.length > 0) throw new TemplateError('TEMPLATE_COMPILE', `${fallback.file}: the bot needs the strings ${missing.join(', ')}`)

  const translators = new Map<string, Translate>()
  const clocks = new Map<string, Intl.DateTimeFormat>()
  for (const [language, locale] of locales) {
    translators.set(language, createTranslator(locale, fallback))
    clocks.set(language, new Intl.DateTimeFormat(locale.intl, { timeZone: o.timezone, dateStyle: 'short', timeStyle: 'short' }))
  }

  const pick = (code: string | undefined): string => {
    if (code === undefined) return defaultLanguage
    const wanted = code.toLowerCase().replaceAll('_', '-')
    if (locales.has(wanted)) return wanted
    const base = wanted.split('-')[0] as string
    return locales.has(base) ? base : defaultLanguage
  }

  return {
    languages: [...locales.keys()],
    pick,
    t: (language, key, params) => (translators.get(language) ?? translators.get(defaultLanguage) as Translate)(key, params),
    time: (language, at) => (clocks.get(language) ?? clocks.get(defaultLanguage) as Intl.DateTimeFormat).format(at)
  }
}
