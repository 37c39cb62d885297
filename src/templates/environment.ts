// One nunjucks environment per language: its files, its strings (t), its
// formatting filters. Autoescape is on (Telegram HTML), undefined output throws,
// and block tags eat their own line so template logic leaves no blank lines.
import nunjucks from 'nunjucks'
import { TemplateError } from './errors.ts'
import type { Formatters } from './format.ts'
import type { Translate } from './locale.ts'

export interface SourceFile {
  /** file name inside the language folder, e.g. booking_notification.njk */
  name: string
  /** path shown in errors, e.g. templates/ru/booking_notification.njk */
  path: string
  src: string
}

export function createEnvironment (files: ReadonlyMap<string, SourceFile>, shared: ReadonlyMap<string, SourceFile>, language: string, t: Translate, formatters: Formatters): nunjucks.Environment {
  // Sync in-memory loader over files read (async) before. {% include "_x.njk" %}
  // finds the language's own _x.njk first, then the shared templates/_x.njk.
  const loader: nunjucks.ILoader = {
    getSource: (name) => {
      const file = files.get(name) ?? shared.get(name)
      // nunjucks' own typings say LoaderSource, but a loader reports "not found" with null
      if (file === undefined) return null as unknown as nunjucks.LoaderSource
      return { src: file.src, path: file.path, noCache: false }
    }
  }
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true })
  for (const [name, fn] of Object.entries(formatters)) env.addFilter(name, fn)
  env.addGlobal('t', t)
  env.addGlobal('lang', language)
  return env
}

/** Compiles now, so a syntax error fails the load with file and line, not a later send. */
export function compileTemplate (env: nunjucks.Environment, file: SourceFile): nunjucks.Template {
  try {
    return env.getTemplate(file.name, true)
  } catch (err) {
    throw templateFailure(file.path, 'does not compile', err)
  }
}

/**
 * Turns nunjucks' "(path) [Line 3, Column 5]\n  reason" into a TemplateError naming
 * file:line. An error inside an include is wrapped once per template level; the
 * innermost level is the file to fix.
 */
export function templateFailure (path: string, what: string, err: unknown): TemplateError {
  const text = err instanceof Error ? err.message : String(err)
  const innermost = text.split(/Template render error:\s*/).at(-1) ?? text
  const m = /^\((.*?)\)(?:\s*\[Line (\d+), Column (\d+)\])?\s*([\s\S]*)$/.exec(innermost)
  const file = m?.[1] ?? path
  const at = m?.[2] === undefined ? '' : `line ${m[2]}, column ${m[3]}`
  const reason = (m?.[4] ?? innermost).replace(/^\w*Error:\s*/, '').trim()
  const via = file === path ? '' : ` (rendering ${path})`
  return new TemplateError('TEMPLATE_COMPILE', `${file}${at === '' ? '' : `:${m?.[2]}:${m?.[3]}`}: template ${what}${via}: ${reason}`, [
    { field: file, message: at === '' ? reason : `${at}: ${reason}` }
  ], { cause: err })
}
