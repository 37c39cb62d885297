// POST /api/telegram/send: validate, compose the Bot API calls, then either
// queue them (202 once Redis has them — uploaded bytes included) or, with
// queue:false, send now. JSON or multipart/form-data (one uploaded file).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import multipart, { type MultipartFile } from '@fastify/multipart'
import { Type } from '@sinclair/typebox'
import { SendBodySchema, SyncResultSchema, type SendBody } from '../schemas/send.ts'
import { fromSend } from '../schemas/compat/index.ts'
import { sendNow } from './send-now.ts'
import { AcceptedSchema, ErrorSchema } from '../schemas/common.ts'
import { composeCalls } from '../telegram/compose.ts'
import { acceptMessage, resolveDelivery } from './delivery.ts'
import { InputError } from '../input-error.ts'
import { newMessageId } from '../queue/producer.ts'
import { guardRedis } from '../queue/errors.ts'
import { retentionTtlMs, type UploadRef } from '../queue/message.ts'
import type { BotCall } from '../telegram/bot-call.ts'
import { MB, parseMultipartSend, type UploadedFile, type UploadField } from './send-multipart.ts'
import type { Config } from '../config.ts'

const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  // scoped to this plugin: only /send takes multipart
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: 50 * MB, files: 1, fields: 60, parts: 61 },
    async onFile (part: MultipartFile) {
      const file: UploadedFile = { buffer: await part.toBuffer(), filename: part.filename || part.fieldname, mimetype: part.mimetype }
      ;(part as MultipartFile & { value: UploadedFile }).value = file
    }
  })

  /** Stores each upload under its own key (expiring after the message could), and points the first call at it. */
  async function storeUploads (calls: BotCall[], uploads: Map<UploadField, UploadedFile>, expiresAt: number): Promise<string[]> {
    const ttl = retentionTtlMs(expiresAt, app.queue.retentionMs)
    const ids: string[] = []
    for (const [field, file] of uploads) {
      const id = newMessageId()
      await guardRedis(() => app.redis.set(app.queue.keys.file(id), file.buffer, 'PX', ttl))
      const ref: UploadRef = { upload: id, filename: file.filename, content_type: file.mimetype }
      ;(calls[0] as BotCall).params[field] = ref
      ids.push(id)
    }
    return ids
  }

  app.post('/api/telegram/send', {
    schema: {
      tags: ['send'],
      operationId: 'send',
      summary: 'Send one message (queued by default)',
      description: 'JSON, or multipart/form-data with the same fields plus one uploaded file in photo (≤ 10 MB), document or voice (≤ 50 MB).',
      security: [{ bearer: [] }],
      body: {
        content: {
          'application/json': { schema: SendBodySchema },
          'multipart/form-data': { schema: Type.Object({}, { additionalProperties: true }) }
        }
      },
      response: { 200: SyncResultSchema, 202: AcceptedSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 413: ErrorSchema, 429: ErrorSchema, 502: ErrorSchema, 503: ErrorSchema }
    }
  }, async (request, reply) => {
    const parsed = request.isMultipart()
      ? parseMultipartSend(request.body)
      : { body: request.body as SendBody, uploads: new Map<UploadField, UploadedFile>() }
    const { uploads } = parsed
    const body = fromSend(parsed.body)
    const calls = composeCalls(body)

    if (body.queue === false || !config.TELEGRAM_ENABLE_QUEUE) {
      if (body.callback_url !== undefined) throw InputError.field('body.callback_url', 'needs a queued send: a synchronous one answers with the result itself')
      for (const [field, file] of uploads) (calls[0] as BotCall).params[field] = new File([new Uint8Array(file.buffer)], file.filename, { type: file.mimetype })
      return reply.code(200).send(await sendNow(app.telegram.api, calls))
    }
    const delivery = resolveDelivery(config, body)
    const files = uploads.size > 0 ? await storeUploads(calls, uploads, delivery.expiresAt) : undefined
    return reply.code(202).send(await acceptMessage(app.queue.producer, { chatId: body.chat_id, calls, ...delivery, ...(files ? { files } : {}) }))
  })
}
export default routes
