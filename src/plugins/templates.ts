// The template catalog: `app.templates`, compiled once at startup. A template
// that does not compile stops startup with its file and line.
import fp from 'fastify-plugin'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { loadTemplates, type TemplateCatalog } from '../templates/index.ts'
import type { Config } from '../config.ts'

declare module 'fastify' {
  interface FastifyInstance { templates: TemplateCatalog }
}

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url))
export const LOCALES_DIR = fileURLToPath(new URL('../../locales/', import.meta.url))

export default fp(async function templatesPlugin (app: FastifyInstance, opts: { config: Config }) {
  const catalog = await loadTemplates({
    templatesDir: TEMPLATES_DIR,
    localesDir: LOCALES_DIR,
    defaultLanguage: opts.config.DEFAULT_LANGUAGE,
    timezone: opts.config.DEFAULT_TIMEZONE
  })
  app.decorate('templates', catalog)
}, { name: 'templates' })
