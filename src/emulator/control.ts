// /__emulator/* — the in-process controls over HTTP, for a service in sandbox mode, child
// processes and benchmarks. An outage closes this port too: `POST /__emulator/outage` takes
// `durationMs` to end it by itself; otherwise only the in-process setOutage(false) can.

import type { FastifyInstance } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import type { EmulatorState } from './state.ts'
import type { Emulator, EmulatorLimits, FaultConfig } from './types.ts'
import { badRequest } from './errors.ts'

export type ControlApi = Pick<Emulator, 'setFaults' | 'setLimits' | 'reset' | 'pushUpdate' | 'blockChat' | 'removeChat' | 'migrateChat'> & {
  setOutage: (on: boolean, durationMs?: number) => Promise<void>
}

const ChatId = Type.Union([Type.Integer(), Type.String({ minLength: 1 })])

const ListQuery = Type.Object({
  chat_id: Type.Optional(Type.String()),
  method: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer({ minimum: 1 }))
})

const Faults = Type.Object({
  latencyMs: Type.Optional(Type.Union([
    Type.Number({ minimum: 0 }),
    Type.Tuple([Type.Number({ minimum: 0 }), Type.Number({ minimum: 0 })])
  ])),
  resetRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  timeoutRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  serverErrorRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  lostResponseRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  methods: Type.Optional(Type.Array(Type.String())),
  seed: Type.Optional(Type.Integer())
}, { additionalProperties: false })

const Outage = Type.Object({
  on: Type.Boolean(),
  durationMs: Type.Optional(Type.Integer({ minimum: 1 }))
}, { additionalProperties: false })

const Limits = Type.Union([
  Type.Object({
    global: Type.Number({ exclusiveMinimum: 0 }),
    perChat: Type.Number({ exclusiveMinimum: 0 }),
    perGroup: Type.Number({ exclusiveMinimum: 0 })
  }, { additionalProperties: false }),
  Type.Literal(false)
])

const ChatState = Type.Object({
  chat_id: ChatId,
  state: Type.Union([Type.Literal('blocked'), Type.Literal('removed'), Type.Literal('migrated')]),
  description: Type.Optional(Type.String({ minLength: 1 })),
  migrate_to_chat_id: Type.Optional(Type.Integer())
}, { additionalProperties: false })

const Update = Type.Record(Type.String(), Type.Unknown())

const ok = (result: unknown): { ok: true, result: unknown } => ({ ok: true, result })

// The newest `limit` entries (newest last) matching the filter.
function newest<T> (list: T[], keep: (item: T) => boolean, limit: number | undefined): T[] {
  const matching = list.filter(keep)
  return limit === undefined ? matching : matching.slice(-limit)
}

export function registerControl (app: FastifyInstance, state: EmulatorState, api: ControlApi): void {
  app.get<{ Querystring: Static<typeof ListQuery> }>('/__emulator/messages', { schema: { querystring: ListQuery } }, async request => {
    const { chat_id: chatId, limit } = request.query
    return ok(newest(state.messages, m => chatId === undefined || String(m.chat_id) === chatId, limit))
  })

  app.get<{ Querystring: Static<typeof ListQuery> }>('/__emulator/calls', { schema: { querystring: ListQuery } }, async request => {
    const { method, limit } = request.query
    return ok(newest(state.calls, c => method === undefined || c.method === method, limit))
  })

  app.get('/__emulator/stats', async () => ok(state.stats))

  app.post<{ Body: Static<typeof Faults> }>('/__emulator/faults', { schema: { body: Faults } }, async request => {
    try {
      api.setFaults(request.body as FaultConfig)
    } catch (err) {
      throw badRequest((err as Error).message)
    }
    return ok(true)
  })

  app.post<{ Body: Static<typeof Outage> }>('/__emulator/outage', { schema: { body: Outage } }, async (request, reply) => {
    const { on, durationMs } = request.body
    // Answer first: an outage destroys this very connection.
    reply.raw.once('finish', () => {
      api.setOutage(on, durationMs).catch(err => app.log.error({ err }, 'emulator: outage switch failed'))
    })
    return ok(true)
  })

  app.post<{ Body: Static<typeof Limits> }>('/__emulator/limits', { schema: { body: Limits } }, async request => {
    api.setLimits(request.body as EmulatorLimits | false)
    return ok(true)
  })

  app.post('/__emulator/reset', async () => {
    api.reset()
    return ok(true)
  })

  app.post<{ Body: Static<typeof Update> }>('/__emulator/updates', { schema: { body: Update } }, async (request, reply) => {
    try {
      await api.pushUpdate(request.body)
    } catch (err) {
      // The webhook refused it: a bad gateway, from the pushing side's point of view.
      return await reply.code(502).send({ ok: false, error_code: 502, description: (err as Error).message })
    }
    return ok(true)
  })

  app.post<{ Body: Static<typeof ChatState> }>('/__emulator/chats', { schema: { body: ChatState } }, async request => {
    const { chat_id: chatId, state: chatState, description, migrate_to_chat_id: newId } = request.body
    if (chatState === 'blocked') api.blockChat(chatId, description)
    else if (chatState === 'removed') api.removeChat(chatId)
    else if (typeof chatId === 'number' && newId !== undefined) api.migrateChat(chatId, newId)
    else throw badRequest('migrating needs a numeric chat_id and migrate_to_chat_id')
    return ok(true)
  })
}
