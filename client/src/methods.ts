// A method per operation of the OpenAPI document, named by its operationId
// and typed from the generated ./openapi.ts: `client.getMessage({ path: { id } })`,
// `client.listMessages({ query: { status: 'dead' } })`, `client.send({ body })`.
// The table of routes (./operations.ts) is generated with the types, so a
// route added to the service is a method here after `npm run openapi`.
import type { operations } from './openapi.ts'
import { OPERATIONS } from './operations.ts'
import type { CallOptions, RequestInput, Transport } from './transport.ts'

export type OperationId = keyof operations & keyof typeof OPERATIONS
type Op<K extends OperationId> = operations[K]

type PathOf<K extends OperationId> = Op<K>['parameters']['path']
type QueryOf<K extends OperationId> = Op<K>['parameters']['query']
type JsonBodyOf<K extends OperationId> = Op<K> extends { requestBody?: infer R }
  ? R extends { content: { 'application/json': infer B } } ? B : never
  : never

type PathPart<K extends OperationId> = [PathOf<K>] extends [undefined] ? unknown : { path: PathOf<K> }
type QueryPart<K extends OperationId> = [QueryOf<K>] extends [undefined] ? unknown
  : undefined extends QueryOf<K> ? { query?: QueryOf<K> } : { query: QueryOf<K> }
type BodyPart<K extends OperationId> = [JsonBodyOf<K>] extends [never] ? unknown
  : Op<K> extends { requestBody: object } ? { body: JsonBodyOf<K> } : { body?: JsonBodyOf<K> }

/** What an operation takes: its path parameters, query and JSON body, each only if it has one. */
export type OperationInput<K extends OperationId> = PathPart<K> & QueryPart<K> & BodyPart<K>

type ContentOf<R> = R extends { content: infer C } ? C[keyof C] : undefined
type Success<K extends OperationId> = Extract<keyof Op<K>['responses'], 200 | 201 | 202 | 204>
/** What an operation answers on success (the union of its 2xx bodies). */
export type OperationResult<K extends OperationId> = ContentOf<Op<K>['responses'][Success<K>]>

type Args<K extends OperationId> = object extends OperationInput<K>
  ? [input?: OperationInput<K>, options?: CallOptions]
  : [input: OperationInput<K>, options?: CallOptions]

export type OperationMethods = { [K in OperationId]: (...args: Args<K>) => Promise<OperationResult<K>> }

export function operationMethods (request: Transport): OperationMethods {
  const methods: Record<string, (input?: RequestInput, options?: CallOptions) => Promise<unknown>> = {}
  for (const [id, route] of Object.entries(OPERATIONS)) methods[id] = (input, options) => request(route, input, options)
  return methods as unknown as OperationMethods
}
