// POST /send as multipart/form-data: the same fields as the JSON body (as
// form strings; objects JSON-encoded) plus one uploaded file in photo,
// document or voice. Converted, then validated against the same SendBody
// schema, so both forms accept exactly the same messages.
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { Value } from '@sinclair/typebox/value'
import { SendBodySchema, type SendBody } from '../schemas/send.ts'
import { InputError } from '../input-error.ts'

export const MB = 1024 * 1024
/** Telegram's upload limits for bots */
export const UPLOAD_LIMITS = { photo: 10 * MB, document: 50 * MB, voice: 50 * MB } as const
export type UploadField = keyof typeof UPLOAD_LIMITS

export interface UploadedFile { buffer: Buffer, filename: string, mimetype: string }

const JSON_FIELDS = new Set(['reply_markup', 'location', 'metadata', 'link_preview_options'])
const checker = TypeCompiler.Compile(SendBodySchema)

function isUploaded (v: unknown): v is UploadedFile {
  return typeof v === 'object' && v !== null && Buffer.isBuffer((v as UploadedFile).buffer)
}

export function parseMultipartSend (raw: unknown): { body: SendBody, uploads: Map<UploadField, UploadedFile> } {
  const fields: Record<string, unknown> = {}
  const uploads = new Map<UploadField, UploadedFile>()
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (isUploaded(value)) {
      if (!(key in UPLOAD_LIMITS)) throw InputError.field(`body.${key}`, 'is a file, but only photo, document or voice can be uploaded')
      const field = key as UploadField
      if (value.buffer.length > UPLOAD_LIMITS[field]) {
        throw InputError.field(`body.${key}`, `is ${(value.buffer.length / MB).toFixed(1)} MB; Telegram accepts ${key} uploads up to ${UPLOAD_LIMITS[field] / MB} MB`, 413)
      }
      if (value.buffer.length === 0) throw InputError.field(`body.${key}`, 'is an empty file')
      uploads.set(field, value)
      fields[key] = `upload:${value.filename}`
    } else if (JSON_FIELDS.has(key) && typeof value === 'string') {
      try { fields[key] = JSON.parse(value) } catch { throw InputError.field(`body.${key}`, 'must be JSON in a form field') }
    } else {
      fields[key] = value
    }
  }
  const body = Value.Convert(SendBodySchema, fields)
  const errors = [...checker.Errors(body)]
  if (errors.length > 0) {
    const details = errors.map(e => ({ field: `body${e.path.replaceAll('/', '.')}`, message: e.message }))
    throw new InputError(details.map(d => `${d.field} ${d.message}`).join('; '), details)
  }
  return { body: body as SendBody, uploads }
}
