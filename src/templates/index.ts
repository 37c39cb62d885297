// The template catalog: loads locales and templates once, compiles every file,
// renders a known example of each template to prove it works, then renders
// messages as Telegram HTML. Data is checked against the template's schema before
// rendering, so a message is either complete or refused with the bad fields named.
import type nunjucks from 'nunjucks'
import type { TSchema } from '@sinclair/typebox'
import type { InlineKeyboardMarkup } from '@grammyjs/types'
import type { BookingChanges, BookingData, BookingEvent } from '../schemas/booking.ts'
import { TemplateDataSchemas } from '../schemas/templates.ts'
import { BOOKING_EVENT_TEMPLATES, bookingKeyboard } from './booking.ts'
import { compileTemplate, createEnvironment, templateFailure } from './environment.ts'
import { TemplateError } from './errors.ts'
import { readSources, TEMPLATE_NAME, type Sources } from './files.ts'
import { createFormatters } from './format.ts'
import { fromJsonSchema } from './json-schema.ts'
import { lintTemplate, type LintScope } from './lint.ts'
import { checkPluralCoverage, createTranslator, lookup, parseLocale, type Locale, type Translate } from './locale.ts'
import { tidyMessage } from './tidy.ts'
import { compileValidator, type Validate } from './validate.ts'

export { TemplateError, type TemplateErrorCode, type FieldError } from './errors.ts'
export { BOOKING_EVENT_TEMPLATES, bookingCallbackData, parseBookingCallback, type BookingAction } from './booking.ts'

export interface TemplateInfo {
  name: string
  /** languages that have their own file for it; others fall back to the default language */
  languages: string[]
  /** JSON schema of its data */
  variables: TSchema
  description: string
}

export interface Rendered {
  text: string
  parseMode: 'HTML'
  template: string
  /** language actually used */
  language: string
  requestedLanguage: string
  /** true when the template has no file in the requested language and the default one was used */
  fallback: boolean
  replyMarkup?: InlineKeyboardMarkup
}

export interface BookingRenderInput {
  booking: BookingData
  event: BookingEvent
  language?: string
  /** add Confirm/Cancel inline buttons */
  buttons?: boolean
  /** values before an update; only used for event "updated" */
  previous?: BookingChanges
}

export interface TemplateCatalog {
  /** from locales/*.json, sorted */
  languages: string[]
  list (): TemplateInfo[]
  render (name: string, language: string | undefined, data: unknown): Rendered
  renderBooking (input: BookingRenderInput): Rendered
}

export interface LoadTemplatesOptions {
  templatesDir: string
  localesDir: string
  defaultLanguage: string
  /** IANA zone for instants, e.g. Europe/Moscow */
  timezone: string
}

interface Entry {
  info: TemplateInfo
  validate: Validate
  compiled: Map<string, { template: nunjucks.Template, path: string }>
}

interface Language {
  locale: Locale
  t: Translate
  env: nunjucks.Environment
}

export async function loadTemplates (opts: LoadTemplatesOptions): Promise<TemplateCatalog> {
  try {
    // eslint-disable-next-line no-new -- only to see whether the zone exists
    new Intl.DateTimeFormat('en', { timeZone: opts.timezone })
  } catch {
    throw new TemplateError('TEMPLATE_COMPILE', `timezone "${opts.timezone}" is not an IANA time zone (e.g. Europe/Moscow)`)
  }
  const sources = await readSources(opts.templatesDir, opts.localesDir)
  const languageCodes = [...sources.locales.keys()].sort()
  const defaultLanguage = opts.defaultLanguage.toLowerCase()
  const defaultSource = sources.locales.get(defaultLanguage)
  if (defaultSource === undefined) {
    throw new TemplateError('UNKNOWN_LANGUAGE', `default language "${opts.defaultLanguage}" has no locale file; languages: ${languageCodes.join(', ') || 'none'}`)
  }

  const fallbackLocale = parseLocale(defaultLanguage, defaultSource.path, defaultSource.json)
  const languages = new Map<string, Language>()
  for (const code of languageCodes) {
    const source = sources.locales.get(code) as { path: string, json: unknown }
    const locale = code === defaultLanguage ? fallbackLocale : parseLocale(code, source.path, source.json)
    checkPluralCoverage(locale, fallbackLocale)
    const t = createTranslator(locale, fallbackLocale)
    const env = createEnvironment(sources.files.get(code) ?? new Map(), sources.shared, code, t, createFormatters(locale, t, opts.timezone))
    languages.set(code, { locale, t, env })
  }

  const entries = buildEntries(sources, defaultLanguage, opts.templatesDir)
  const { env: defaultEnv } = languages.get(defaultLanguage) as Language
  for (const file of sources.shared.values()) compileTemplate(defaultEnv, file)
  for (const [code, files] of sources.files) {
    const { env } = languages.get(code) as Language
    for (const file of files.values()) {
      const template = compileTemplate(env, file)
      if (file.name.startsWith('_')) continue
      const entry = entries.get(file.name.slice(0, -'.njk'.length)) as Entry
      entry.compiled.set(code, { template, path: file.path })
      entry.info.languages.push(code)
    }
  }
  for (const [code, language] of languages) lintLanguage(sources, code, language, fallbackLocale)
  for (const entry of entries.values()) proveWithExample(entry)

  function resolveLanguage (requested: string | undefined): string {
    if (requested === undefined || requested.trim() === '') return defaultLanguage
    const code = requested.trim().toLowerCase().replaceAll('_', '-')
    if (languages.has(code)) return code
    const base = code.split('-')[0] as string
    if (languages.has(base)) return base
    throw new TemplateError('UNKNOWN_LANGUAGE', `Unknown language "${requested}"; languages: ${languageCodes.join(', ')}`, [
      { field: 'language', message: `must be one of ${languageCodes.join(', ')}` }
    ])
  }

  function find (name: string): Entry {
    const entry = entries.get(name)
    if (entry === undefined) {
      throw new TemplateError('UNKNOWN_TEMPLATE', `Unknown template "${name}"; templates: ${[...entries.keys()].join(', ')}`, [
        { field: 'template', message: `must be one of ${[...entries.keys()].join(', ')}` }
      ])
    }
    return entry
  }

  function renderEntry (entry: Entry, requested: string | undefined, data: unknown, prefix: string): Rendered {
    const wanted = resolveLanguage(requested)
    const details = entry.validate(data, prefix)
    if (details.length > 0) {
      throw new TemplateError('INVALID_DATA', `Invalid data for template "${entry.info.name}": ${details.map(d => `${d.field} ${d.message}`).join('; ')}`, details)
    }
    const own = entry.compiled.get(wanted)
    const language = own === undefined ? defaultLanguage : wanted
    const { template, path } = own ?? entry.compiled.get(defaultLanguage) as { template: nunjucks.Template, path: string }
    let html: string
    try {
      html = template.render({ ...(data as Record<string, unknown>) })
    } catch (err) {
      throw templateFailure(path, 'failed to render', err)
    }
    const text = tidyMessage(html)
    if (text === '') {
      // Telegram refuses an empty message; better a 400 now than a dead letter later.
      throw new TemplateError('INVALID_DATA', `Template "${entry.info.name}" renders an empty message for this data`, [{ field: prefix || '(root)', message: 'renders an empty message' }])
    }
    return {
      text,
      parseMode: 'HTML',
      template: entry.info.name,
      language,
      requestedLanguage: requested === undefined || requested.trim() === '' ? defaultLanguage : requested,
      fallback: language !== wanted
    }
  }

  return {
    languages: languageCodes,
    list: () => [...entries.values()].map(e => ({ ...e.info, languages: [...e.info.languages].sort() })),
    render: (name, language, data) => renderEntry(find(name), language, data, 'data'),
    renderBooking: ({ booking, event, language, buttons, previous }) => {
      const name = BOOKING_EVENT_TEMPLATES[event]
      if (name === undefined) {
        const events = Object.keys(BOOKING_EVENT_TEMPLATES).join(', ')
        throw new TemplateError('INVALID_DATA', `Unknown booking event "${String(event)}"; events: ${events}`, [{ field: 'event', message: `must be one of ${events}` }])
      }
      const data = event === 'updated' && previous !== undefined ? { booking, previous } : { booking }
      const rendered = renderEntry(find(name), language, data, '')
      if (buttons !== true) return rendered
      const { t } = languages.get(rendered.language) as Language
      const replyMarkup = bookingKeyboard(booking, event, { confirm: t('buttons.confirm'), cancel: t('buttons.cancel') })
      return replyMarkup === undefined ? rendered : { ...rendered, replyMarkup }
    }
  }
}

/** One entry per template name, each with a schema and a file in the default language. */
function buildEntries (sources: Sources, defaultLanguage: string, templatesDir: string): Map<string, Entry> {
  const names = new Set<string>()
  for (const files of sources.files.values()) {
    for (const file of files.keys()) if (!file.startsWith('_')) names.add(file.slice(0, -'.njk'.length))
  }
  const defaultFiles = sources.files.get(defaultLanguage)
  const fail = (message: string) => new TemplateError('TEMPLATE_COMPILE', message)
  for (const name of Object.keys(TemplateDataSchemas)) names.add(name)
  for (const name of sources.schemas.keys()) {
    if (!names.has(name)) throw fail(`${templatesDir}/${name}.schema.json: no template ${name}.njk in any language`)
  }

  const entries = new Map<string, Entry>()
  for (const name of [...names].sort()) {
    if (!TEMPLATE_NAME.test(name)) throw fail(`template names are lower_snake_case: ${name}`)
    if (defaultFiles?.has(`${name}.njk`) !== true) throw fail(`${templatesDir}/${defaultLanguage}/${name}.njk is missing: every template needs a file in the default language (${defaultLanguage})`)
    const variables = schemaOf(name, sources)
    entries.set(name, {
      info: { name, languages: [], variables, description: typeof variables.description === 'string' ? variables.description : '' },
      validate: compileValidator(variables),
      compiled: new Map()
    })
  }
  return entries
}

function schemaOf (name: string, sources: Sources): TSchema {
  const builtin = TemplateDataSchemas[name]
  const file = sources.schemas.get(name)
  if (builtin !== undefined && file !== undefined) {
    throw new TemplateError('TEMPLATE_COMPILE', `${file.path}: ${name} is a built-in template; its schema is in src/schemas/templates.ts`)
  }
  if (builtin !== undefined) return builtin
  if (file === undefined) throw new TemplateError('TEMPLATE_COMPILE', `template ${name} has no schema: add ${name}.schema.json next to the language folders (see templates/README.md)`)
  let schema: TSchema
  try {
    schema = fromJsonSchema(file.json)
  } catch (err) {
    throw new TemplateError('TEMPLATE_COMPILE', `${file.path}: ${(err as Error).message}`, [], { cause: err })
  }
  if (schema.type !== 'object') throw new TemplateError('TEMPLATE_COMPILE', `${file.path}: the data of a template is an object ("type": "object")`)
  return schema
}

/** Every file a language renders: its own, and the shared partials it does not override. */
function lintLanguage (sources: Sources, code: string, { locale, env }: Language, fallback: Locale): void {
  const scope: LintScope = {
    hasFilter: name => {
      try {
        return typeof env.getFilter(name) === 'function'
      } catch {
        return false
      }
    },
    hasString: key => lookup(locale.strings, key) !== undefined || lookup(fallback.strings, key) !== undefined,
    hasPlural: key => locale.plurals[key] !== undefined
  }
  const own = sources.files.get(code) ?? new Map()
  for (const file of own.values()) lintTemplate(file, scope)
  for (const file of sources.shared.values()) if (!own.has(file.name)) lintTemplate(file, scope)
}

/** Renders the schema's first example in every language, so a typo'd string key or filter fails the load. */
function proveWithExample (entry: Entry): void {
  const examples = entry.info.variables.examples
  if (!Array.isArray(examples) || examples.length === 0) return
  const details = entry.validate(examples[0], 'example')
  if (details.length > 0) {
    throw new TemplateError('TEMPLATE_COMPILE', `the example of template ${entry.info.name} does not match its schema: ${details.map(d => `${d.field} ${d.message}`).join('; ')}`, details)
  }
  for (const { template, path } of entry.compiled.values()) {
    try {
      template.render({ ...(examples[0] as Record<string, unknown>) })
    } catch (err) {
      throw templateFailure(path, 'fails on its schema example', err)
    }
  }
}
