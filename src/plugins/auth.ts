// Bearer-token auth. Admin routes take ADMIN_TOKEN; send routes take
// SERVICE_TOKEN or ADMIN_TOKEN. Tokens are compared as SHA-256 digests with
// timingSafeEqual: constant time, whatever the length of what was sent.
import fp from 'fastify-plugin'
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyInstance {
    auth: {
      admin: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
      sender: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
    }
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest()

export function tokenMatches (given: string, expected: Buffer[]): boolean {
  const d = digest(given)
  let ok = false
  for (const e of expected) ok = timingSafeEqual(d, e) || ok
  return ok
}

export default fp(async function auth (app: FastifyInstance, opts: { adminToken: string, serviceToken?: string }) {
  const admin = [digest(opts.adminToken)]
  const senders = opts.serviceToken ? [...admin, digest(opts.serviceToken)] : admin

  const check = (allowed: Buffer[], what: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (!match) {
      reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Unauthorized', message: `missing "Authorization: Bearer <token>" (${what})` })
      return reply
    }
    if (!tokenMatches(match[1] as string, allowed)) {
      reply.code(403).send({ error: 'Forbidden', message: `the token is not valid for this route (${what})` })
      return reply
    }
  }
  app.decorate('auth', {
    admin: check(admin, 'needs ADMIN_TOKEN'),
    sender: check(senders, 'needs SERVICE_TOKEN or ADMIN_TOKEN')
  })
}, { name: 'auth' })
