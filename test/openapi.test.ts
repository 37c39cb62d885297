// The OpenAPI document is what clients are generated from: every operation
// must be callable by name (operationId), say what it does, declare how it is
// authenticated and what it answers on bad input. A route added without these
// fails here, as does one whose change was not regenerated into client/.
import t from 'tap'
import { readFile } from 'node:fs/promises'
import { buildOpenApiDocument, operationTable, type OpenApiDocument } from '../src/openapi.ts'

let built: Promise<OpenApiDocument> | undefined
const document = async () => await (built ??= buildOpenApiDocument())

t.test('every operation has an operationId, a summary, its security and a 4xx response', async t => {
  const doc = await document()
  const seen = new Map<string, string>()
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const name = `${method.toUpperCase()} ${path}`
      t.ok(op.operationId, `${name}: operationId (in its route schema)`)
      if (op.operationId) {
        t.notOk(seen.has(op.operationId), `${name}: operationId ${op.operationId} is unique${seen.has(op.operationId) ? ` (also ${seen.get(op.operationId)})` : ''}`)
        seen.set(op.operationId, name)
      }
      t.ok(op.summary, `${name}: summary`)
      t.ok(Array.isArray(op.security), `${name}: security ([] when none)`)
      t.ok(Object.keys(op.responses).some(s => s.startsWith('4')), `${name}: a 4xx response`)
    }
  }
  t.ok(seen.size >= 30, `${seen.size} operations`)
})

t.test('client/ was regenerated from the current routes (npm run openapi)', async t => {
  const doc = await document()
  const stored = JSON.parse(await readFile(new URL('../client/openapi.json', import.meta.url), 'utf8')) as unknown
  t.same(stored, JSON.parse(JSON.stringify(doc)), 'client/openapi.json matches the routes')
  const generated = await readFile(new URL('../client/src/operations.ts', import.meta.url), 'utf8')
  for (const [id, op] of Object.entries(operationTable(doc))) {
    t.ok(generated.includes(`  ${id}: { method: '${op.method}', path: '${op.path}'`), `client/src/operations.ts has ${id}`)
  }
})
