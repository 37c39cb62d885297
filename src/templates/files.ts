// Reads everything the templates need from disk, once, at load:
//   locales/<lang>.json            strings of a language (its presence defines the language)
//   templates/<lang>/<name>.njk    a template in a language
//   templates/<lang>/_<part>.njk   a partial, only reachable by {% include %}/{% import %}
//   templates/_<part>.njk          a partial shared by all languages (its words come from t())
//   templates/<name>.schema.json   the data schema of a template that has none in code
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TemplateError } from './errors.ts'
import type { SourceFile } from './environment.ts'

export const TEMPLATE_NAME = /^[a-z][a-z0-9_]*$/
const LANGUAGE_NAME = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/

export interface Sources {
  /** language → file name → source (templates and partials) */
  files: Map<string, Map<string, SourceFile>>
  /** language-neutral partials (templates/_*.njk); a language folder may override one */
  shared: Map<string, SourceFile>
  /** template name → parsed JSON of templates/<name>.schema.json */
  schemas: Map<string, { path: string, json: unknown }>
  /** language → parsed JSON of locales/<lang>.json */
  locales: Map<string, { path: string, json: unknown }>
}

export async function readSources (templatesDir: string, localesDir: string): Promise<Sources> {
  const locales = new Map<string, { path: string, json: unknown }>()
  for (const entry of await list(localesDir)) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue
    const language = entry.name.slice(0, -'.json'.length)
    const path = join(localesDir, entry.name)
    if (!LANGUAGE_NAME.test(language)) throw new TemplateError('TEMPLATE_COMPILE', `${path}: a locale file is named after its language in lower case, e.g. en.json or pt-br.json`)
    locales.set(language, { path, json: await readJson(path) })
  }

  const files = new Map<string, Map<string, SourceFile>>()
  const schemas = new Map<string, { path: string, json: unknown }>()
  const shared = new Map<string, SourceFile>()
  for (const entry of await list(templatesDir)) {
    if (entry.name.startsWith('.')) continue
    const path = join(templatesDir, entry.name)
    if (entry.isFile() && entry.name.endsWith('.schema.json')) {
      schemas.set(entry.name.slice(0, -'.schema.json'.length), { path, json: await readJson(path) })
    } else if (entry.isFile() && entry.name.endsWith('.njk')) {
      if (!entry.name.startsWith('_')) throw new TemplateError('TEMPLATE_COMPILE', `${path}: templates live in a language folder (templates/<lang>/); only partials (_name.njk) are shared`)
      shared.set(entry.name, await readSource(templatesDir, entry.name))
    } else if (entry.isDirectory()) {
      if (!locales.has(entry.name)) throw new TemplateError('TEMPLATE_COMPILE', `${path}/: no ${join(localesDir, `${entry.name}.json`)} for this language`)
      files.set(entry.name, await readLanguage(path))
    }
  }
  return { files, shared, schemas, locales }
}

async function readLanguage (dir: string): Promise<Map<string, SourceFile>> {
  const out = new Map<string, SourceFile>()
  for (const entry of await list(dir)) {
    if (!entry.isFile() || !entry.name.endsWith('.njk')) continue
    out.set(entry.name, await readSource(dir, entry.name))
  }
  return out
}

async function readSource (dir: string, name: string): Promise<SourceFile> {
  const path = join(dir, name)
  if (!TEMPLATE_NAME.test(name.slice(0, -'.njk'.length).replace(/^_/, ''))) {
    throw new TemplateError('TEMPLATE_COMPILE', `${path}: template names are lower_snake_case`)
  }
  return { name, path, src: await readFile(path, 'utf8') }
}

async function list (dir: string) {
  try {
    return (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))
  } catch (err) {
    throw new TemplateError('TEMPLATE_COMPILE', `cannot read ${dir}: ${(err as Error).message}`, [], { cause: err })
  }
}

async function readJson (path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8')
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new TemplateError('TEMPLATE_COMPILE', `${path}: invalid JSON: ${(err as Error).message}`, [], { cause: err })
  }
}
