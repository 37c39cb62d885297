// Two Ajv instances: bodies are validated strictly (a number where a string
// belongs is a 400, not silently coerced), while query strings and path
// params — always text on the wire — are coerced to their declared types.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Ajv, type Options } from 'ajv'
import addFormatsModule from 'ajv-formats'

// ajv-formats is CommonJS with a default export
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

function makeAjv (coerce: boolean): Ajv {
  const options: Options = { allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes: coerce ? 'array' : false, strict: false }
  const ajv = new Ajv(options)
  addFormats(ajv)
  return ajv
}

export default fp(async function validation (app: FastifyInstance) {
  const strict = makeAjv(false)
  const coercing = makeAjv(true)
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema))
}, { name: 'validation' })
