// A language's strings (locales/xx.json): checked at load, looked up by dotted key.
// A key missing in a language falls back to the default language; a key missing
// everywhere is a template bug and throws.
import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { TemplateError } from './errors.ts'
import { fieldName } from './validate.ts'

const PluralFormsSchema = Type.Object({
  zero: Type.Optional(Type.String()),
  one: Type.Optional(Type.String()),
  two: Type.Optional(Type.String()),
  few: Type.Optional(Type.String()),
  many: Type.Optional(Type.String()),
  other: Type.String()
}, { additionalProperties: false })

const LocaleFileSchema = Type.Object({
  intl: Type.String({ minLength: 2, description: 'BCP 47 tag for Intl, e.g. ru-RU' }),
  formats: Type.Object({
    date: Type.String({ description: 'uses {day} {month} {year} {weekday}' }),
    dateFull: Type.String(),
    dateTime: Type.String({ description: 'uses {date} {time}' })
  }),
  plurals: Type.Record(Type.String(), PluralFormsSchema),
  buttons: Type.Object({ confirm: Type.String({ minLength: 1 }), cancel: Type.String({ minLength: 1 }) })
}, { additionalProperties: true })

export type LocaleFile = Static<typeof LocaleFileSchema>
export type PluralForms = Static<typeof PluralFormsSchema>

export interface Locale {
  language: string
  file: string
  intl: string
  formats: LocaleFile['formats']
  plurals: Record<string, PluralForms>
  pluralRules: Intl.PluralRules
  strings: Record<string, unknown>
}

let checker: ReturnType<typeof TypeCompiler.Compile<typeof LocaleFileSchema>> | undefined

export function parseLocale (language: string, file: string, json: unknown): Locale {
  checker ??= TypeCompiler.Compile(LocaleFileSchema)
  const error = checker.Errors(json).First()
  if (error !== undefined) {
    throw new TemplateError('TEMPLATE_COMPILE', `${file}: ${fieldName('', error.path)} ${error.message.toLowerCase()}`)
  }
  const locale = json as LocaleFile
  let pluralRules: Intl.PluralRules
  try {
    pluralRules = new Intl.PluralRules(locale.intl)
  } catch {
    throw new TemplateError('TEMPLATE_COMPILE', `${file}: intl "${locale.intl}" is not a valid locale tag`)
  }
  const categories = pluralRules.resolvedOptions().pluralCategories
  for (const [key, forms] of Object.entries(locale.plurals)) {
    const missing = categories.filter(c => forms[c] === undefined)
    if (missing.length > 0) throw new TemplateError('TEMPLATE_COMPILE', `${file}: plurals.${key} needs the forms ${missing.join(', ')} for ${locale.intl}`)
  }
  return { language, file, intl: locale.intl, formats: locale.formats, plurals: locale.plurals, pluralRules, strings: locale as Record<string, unknown> }
}

/** Every language must be able to say what the default language says in plural. */
export function checkPluralCoverage (locale: Locale, fallback: Locale): void {
  const missing = Object.keys(fallback.plurals).filter(k => locale.plurals[k] === undefined)
  if (missing.length > 0) throw new TemplateError('TEMPLATE_COMPILE', `${locale.file}: plurals ${missing.join(', ')} missing (present in ${fallback.file})`)
}

export type Translate = (key: string, params?: Record<string, unknown>) => string

export function lookup (strings: Record<string, unknown>, key: string): string | undefined {
  let node: unknown = strings
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string' ? node : undefined
}

export function createTranslator (locale: Locale, fallback: Locale): Translate {
  return (key, params) => {
    const text = lookup(locale.strings, key) ?? lookup(fallback.strings, key)
    if (text === undefined) throw new Error(`no string "${key}" in ${locale.file}`)
    if (params === undefined) return text
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      if (!(name in params)) throw new Error(`string "${key}" needs parameter {${name}}`)
      return String(params[name])
    })
  }
}
