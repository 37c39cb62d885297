// The resilient API's method names, kept so its callers move over by changing
// an import: sendText/sendPhoto/sendDocument/sendVoice/sendLocation queue a
// message, getJobStatus answers in BullMQ's terms, retryFailedJob and
// clearFailedJobs work the dead-letter queue. getQueueStats needs nothing
// here: GET /api/telegram/queue/stats is that operation, in the same shape.
// Buffers and Blobs go up as multipart/form-data, as POST /send takes them.
import type { operations } from './openapi.ts'
import type { OperationMethods, OperationResult } from './methods.ts'
import type { CallOptions, Transport } from './transport.ts'
import { OPERATIONS } from './operations.ts'

type SendBody = NonNullable<operations['send']['requestBody']>['content']['application/json']
export type ChatId = SendBody['chat_id']
export type Message = OperationResult<'getMessage'>
/** 202: the message is in Redis */
export type Accepted = Extract<OperationResult<'send'>, { id: string }>

/** When and how hard to deliver: the same on every send. */
export type DeliveryOptions = Pick<SendBody, 'priority' | 'send_at' | 'expires_at' | 'ttl' | 'attempts' | 'idempotency_key' | 'metadata'>
/** How the message looks: parse_mode, reply_markup, disable_notification… */
export type TextOptions = Omit<SendBody, keyof DeliveryOptions | 'chat_id' | 'text' | 'photo' | 'document' | 'voice' | 'location' | 'caption' | 'queue'>
export type MediaOptions = TextOptions & {
  caption?: string
  /** for an uploaded Buffer or Blob: the file name Telegram shows (default: the Blob's name, or the field) */
  filename?: string
}
/** A URL Telegram fetches, a Telegram file_id, or the bytes themselves. */
export type Media = string | Blob | Uint8Array

export interface JobStatus {
  id: string
  state: 'waiting' | 'active' | 'completed' | 'failed' | 'delayed'
  /** percent of the message's parts delivered (long texts are several) */
  progress: number
  attemptsMade: number
  failedReason: string | null
  /** the whole status, as GET /api/telegram/messages/:id answers */
  message: Message
}

/** {waiting, active, completed, failed, delayed, paused}: getQueueStats() is the route's own method */
export type QueueStats = OperationResult<'getQueueStats'>

const STATE: Record<Message['status'], JobStatus['state']> = {
  queued: 'waiting',
  scheduled: 'delayed',
  retrying: 'delayed',
  active: 'active',
  sent: 'completed',
  // it was delivered; the backend withdrew it afterwards
  deleted: 'completed',
  failed: 'failed',
  dead: 'failed',
  expired: 'failed',
  cancelled: 'failed'
}

export function jobStatus (m: Message): JobStatus {
  const state = STATE[m.status]
  return {
    id: m.id,
    state,
    progress: m.parts > 0 ? Math.round(m.parts_sent / m.parts * 100) : 0,
    attemptsMade: m.attempts,
    failedReason: m.last_error ?? (state === 'failed' ? m.status : null),
    message: m
  }
}

/** Form fields as POST /send reads them: text as is, objects as JSON, the file as a file. */
function uploadForm (fields: Record<string, unknown>, field: 'photo' | 'document' | 'voice', media: Blob | Uint8Array, filename?: string): FormData {
  const form = new FormData()
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue
    form.set(key, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value))
  }
  const blob = media instanceof Blob ? media : new Blob([media as Uint8Array<ArrayBuffer>])
  form.set(field, blob, filename ?? (media instanceof File ? media.name : field))
  return form
}

export function compatMethods (ops: OperationMethods, request: Transport) {
  const queued = async (body: SendBody, options?: CallOptions) => await ops.send({ body }, options) as Accepted

  function media (field: 'photo' | 'document' | 'voice') {
    return async (chatId: ChatId, file: Media, options: MediaOptions = {}, delivery: DeliveryOptions = {}, call?: CallOptions): Promise<Accepted> => {
      const { filename, ...rest } = options
      if (typeof file === 'string') return await queued({ chat_id: chatId, [field]: file, ...rest, ...delivery }, call)
      const form = uploadForm({ chat_id: chatId, ...rest, ...delivery }, field, file, filename)
      return await request(OPERATIONS.send, { body: form }, call) as Accepted
    }
  }

  return {
    sendText: async (chatId: ChatId, text: string, options: TextOptions = {}, delivery: DeliveryOptions = {}, call?: CallOptions) =>
      await queued({ chat_id: chatId, text, ...options, ...delivery }, call),
    sendPhoto: media('photo'),
    sendDocument: media('document'),
    sendVoice: media('voice'),
    sendLocation: async (chatId: ChatId, latitude: number, longitude: number, delivery: DeliveryOptions = {}, call?: CallOptions) =>
      await queued({ chat_id: chatId, location: { latitude, longitude }, ...delivery }, call),
    getJobStatus: async (id: string, call?: CallOptions) => jobStatus(await ops.getMessage({ path: { id } }, call)),
    retryFailedJob: async (id: string, call?: CallOptions) => await ops.requeueDeadLetter({ path: { id } }, call),
    clearFailedJobs: async (call?: CallOptions) => await ops.clearDeadLetters(undefined, call)
  }
}
