// Turns a plain JSON Schema (templates/<name>.schema.json) into TypeBox types, so
// templates added without code are checked by the same compiler and give the same
// error messages as the built-in ones. Only the common subset is accepted; any
// other keyword is refused at load rather than silently ignored.
import { Type, type TSchema } from '@sinclair/typebox'

const ANNOTATIONS = ['$schema', '$id', '$comment', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly']
const BY_TYPE: Record<string, string[]> = {
  string: ['minLength', 'maxLength', 'pattern'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  array: ['items', 'minItems', 'maxItems', 'uniqueItems'],
  object: ['properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties'],
  boolean: [],
  null: []
}

type Json = Record<string, unknown>

export function fromJsonSchema (schema: unknown, path = '#'): TSchema {
  if (schema === true) return Type.Unknown()
  if (!isObject(schema)) throw new Error(`${path}: a schema must be an object`)
  const options = pick(schema, ANNOTATIONS)

  if ('const' in schema) return only(schema, ['const'], path, Type.Literal(literal(schema.const, path), options))
  if ('enum' in schema) {
    const values = schema.enum
    if (!Array.isArray(values) || values.length === 0) throw new Error(`${path}/enum: must be a non-empty array`)
    return only(schema, ['enum', 'type'], path, Type.Union(values.map(v => Type.Literal(literal(v, path))), options))
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (key in schema) {
      const variants = schema[key]
      if (!Array.isArray(variants)) throw new Error(`${path}/${key}: must be an array`)
      return only(schema, [key], path, Type.Union(variants.map((v, i) => fromJsonSchema(v, `${path}/${key}/${i}`)), options))
    }
  }

  const type = schema.type
  if (type === undefined) return only(schema, [], path, Type.Unknown(options))
  if (Array.isArray(type)) {
    const { type: _, ...rest } = schema
    const keywordsOf = (t: unknown) => BY_TYPE[String(t)] ?? []
    only(rest, type.flatMap(keywordsOf), path, null)
    return Type.Union(type.map(t => fromJsonSchema({ ...pick(rest, keywordsOf(t)), type: t }, path)), options)
  }
  if (typeof type !== 'string' || !(type in BY_TYPE)) throw new Error(`${path}/type: unsupported type ${JSON.stringify(type)}`)
  const keywords = BY_TYPE[type] as string[]
  only(schema, ['type', ...keywords], path, null)
  const constraints = { ...options, ...pick(schema, keywords.filter(k => !['items', 'properties', 'required', 'additionalProperties'].includes(k))) }

  switch (type) {
    case 'string': return Type.String(constraints)
    case 'number': return Type.Number(constraints)
    case 'integer': return Type.Integer(constraints)
    case 'boolean': return Type.Boolean(constraints)
    case 'null': return Type.Null(constraints)
    case 'array': return Type.Array(schema.items === undefined ? Type.Unknown() : fromJsonSchema(schema.items, `${path}/items`), constraints)
    default: return objectSchema(schema, constraints, path)
  }
}

function objectSchema (schema: Json, constraints: Json, path: string): TSchema {
  const props = schema.properties ?? {}
  if (!isObject(props)) throw new Error(`${path}/properties: must be an object`)
  const required = schema.required ?? []
  if (!Array.isArray(required) || !required.every(r => typeof r === 'string')) throw new Error(`${path}/required: must be an array of strings`)
  const properties: Record<string, TSchema> = {}
  for (const [key, sub] of Object.entries(props)) {
    const converted = fromJsonSchema(sub, `${path}/properties/${key}`)
    properties[key] = required.includes(key) ? converted : Type.Optional(converted)
  }
  const missing = required.filter(r => !(r in props))
  if (missing.length > 0) throw new Error(`${path}/required: ${missing.join(', ')} not in properties`)
  const extra = schema.additionalProperties
  const additionalProperties = extra === undefined || typeof extra === 'boolean' ? extra : fromJsonSchema(extra, `${path}/additionalProperties`)
  return Type.Object(properties, { ...constraints, ...(additionalProperties === undefined ? {} : { additionalProperties }) })
}

function only<T> (schema: Json, allowed: string[], path: string, result: T): T {
  const unknown = Object.keys(schema).filter(k => !allowed.includes(k) && !ANNOTATIONS.includes(k))
  if (unknown.length > 0) throw new Error(`${path}: unsupported keyword${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (see templates/README.md)`)
  return result
}

function literal (value: unknown, path: string): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  throw new Error(`${path}: const/enum values must be strings, numbers or booleans`)
}

function pick (schema: Json, keys: string[]): Json {
  return Object.fromEntries(keys.filter(k => k in schema).map(k => [k, schema[k]]))
}

function isObject (value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
