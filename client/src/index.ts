// tg-relay-client: createClient({ baseUrl, token }) returns a method for every
// operation of tg-relay's OpenAPI document (by operationId, typed from it)
// and the resilient API's names (sendText, getJobStatus, …). No runtime
// dependencies: Node 20's fetch, FormData and crypto.
import { createTransport, type ClientOptions } from './transport.ts'
import { operationMethods, type OperationMethods } from './methods.ts'
import { compatMethods } from './compat.ts'

export type TgRelayClient = OperationMethods & ReturnType<typeof compatMethods>

export function createClient (options: ClientOptions): TgRelayClient {
  const request = createTransport(options)
  const ops = operationMethods(request)
  return { ...ops, ...compatMethods(ops, request) }
}

export { TgRelayError, type FieldError } from './errors.ts'
export { verifySignature, SIGNATURE_HEADER } from './signature.ts'
export { OPERATIONS } from './operations.ts'
export { retryAfterMs, type ClientOptions, type CallOptions } from './transport.ts'
export type { OperationId, OperationInput, OperationResult, OperationMethods } from './methods.ts'
export type { Accepted, ChatId, DeliveryOptions, JobStatus, Media, MediaOptions, Message, QueueStats, TextOptions } from './compat.ts'
export type { paths, operations } from './openapi.ts'
