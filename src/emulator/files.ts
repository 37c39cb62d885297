// Files sent with sendPhoto/sendDocument/sendVoice. An InputFile|String parameter is an upload,
// an http(s) URL, or a file_id this emulator issued earlier; anything else is refused as
// Telegram refuses an unknown file_id. Only metadata is kept, never content.

import { randomBytes } from 'node:crypto'
import { basename } from 'node:path'
import { badRequest } from './errors.ts'
import { Upload } from './validate.ts'

export interface PhotoSize { file_id: string, file_unique_id: string, width: number, height: number, file_size?: number }
export interface DocumentFile { file_id: string, file_unique_id: string, file_name?: string, mime_type?: string, file_size?: number }
export interface VoiceFile { file_id: string, file_unique_id: string, duration: number, mime_type?: string, file_size?: number }

type StoredFile =
  | { kind: 'photo', sizes: PhotoSize[] }
  | { kind: 'document', document: DocumentFile }
  | { kind: 'voice', voice: VoiceFile }

export interface FileRegistry {
  photo: (input: unknown) => PhotoSize[]
  document: (input: unknown) => DocumentFile
  voice: (input: unknown, duration: number | undefined) => VoiceFile
}

// Telegram's file_id prefixes by type, so ids look familiar in logs.
const PREFIX = { photo: 'AgACAgIAAxkDAAI', document: 'BQACAgIAAxkDAAI', voice: 'AwACAgIAAxkDAAI' }

const TYPE_NAME = { photo: 'Photo', document: 'Document', voice: 'Voice' }

interface Source { name?: string, mime?: string, size?: number }

function sourceOf (input: unknown): Source | 'file_id' {
  if (input instanceof Upload) return { name: input.filename, mime: input.mimetype, size: input.size }
  if (typeof input === 'string' && /^https?:\/\//i.test(input) && URL.canParse(input)) {
    const name = basename(new URL(input).pathname)
    return name === '' ? {} : { name }
  }
  return 'file_id'
}

export function createFileRegistry (): FileRegistry {
  const byId = new Map<string, StoredFile>()
  const newIds = (kind: keyof typeof PREFIX): { file_id: string, file_unique_id: string } => ({
    file_id: PREFIX[kind] + randomBytes(27).toString('base64url'),
    file_unique_id: 'AQAD' + randomBytes(9).toString('base64url')
  })

  function known<K extends StoredFile['kind']> (input: unknown, kind: K): Extract<StoredFile, { kind: K }> {
    const file = typeof input === 'string' ? byId.get(input) : undefined
    if (file === undefined) throw badRequest('wrong file identifier/HTTP URL specified')
    if (file.kind !== kind) throw badRequest(`can't use file of type ${TYPE_NAME[file.kind]} as ${TYPE_NAME[kind]}`)
    return file as Extract<StoredFile, { kind: K }>
  }

  return {
    photo (input) {
      const source = sourceOf(input)
      if (source === 'file_id') return known(input, 'photo').sizes
      const sizes = [90, 320, 800].map(side => ({
        ...newIds('photo'),
        width: side,
        height: Math.round(side * 0.75),
        file_size: source.size === undefined ? side * 60 : Math.min(source.size, Math.round(source.size * side / 800))
      }))
      const stored: StoredFile = { kind: 'photo', sizes }
      for (const size of sizes) byId.set(size.file_id, stored)
      return sizes
    },
    document (input) {
      const source = sourceOf(input)
      if (source === 'file_id') return known(input, 'document').document
      const document: DocumentFile = { ...newIds('document') }
      if (source.name !== undefined) document.file_name = source.name
      document.mime_type = source.mime ?? 'application/octet-stream'
      if (source.size !== undefined) document.file_size = source.size
      byId.set(document.file_id, { kind: 'document', document })
      return document
    },
    voice (input, duration) {
      const source = sourceOf(input)
      if (source === 'file_id') return known(input, 'voice').voice
      const voice: VoiceFile = { ...newIds('voice'), duration: duration ?? 1, mime_type: source.mime ?? 'audio/ogg' }
      if (source.size !== undefined) voice.file_size = source.size
      byId.set(voice.file_id, { kind: 'voice', voice })
      return voice
    }
  }
}
