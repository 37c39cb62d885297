// Bearer-token auth. Admin routes take ADMIN_TOKEN; send routes take
// SERVICE_TOKEN or ADMIN_TOKEN. Tokens are compared in constant time
// (token-match.ts). A route gets its check from the scope it is registered in
// (authScope, used by app.ts), never from its own options: a route added to a
// scope cannot forget it (test/admin/route-auth.test.ts walks them all).
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { tokenDigest, tokenMatches } from '../token-match.ts'

declare module 'fastify' {
  interface FastifyInstance {
    auth: {
      admin: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
      sender: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
    }
  }
}

const MAX_ACCEPTED = 16

export default fp(async function auth (app: FastifyInstance, opts: { adminToken: string, serviceToken?: string }) {
  const admin = [tokenDigest(opts.adminToken)]
  const senders = opts.serviceToken ? [...admin, tokenDigest(opts.serviceToken)] : admin

  const check = (allowed: Buffer[], what: string) => {
    // Headers that passed once pass again without hashing (SHA-256 was ~3 µs
    // of every request). Only exact matches of an accepted header hit this
    // set, so a wrong guess still takes the constant-time path; bounded, so
    // tokens rotated away cannot pile up.
    const accepted = new Set<string>()
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization
      if (header !== undefined && accepted.has(header)) return
      const failed = verify(header, allowed, what, reply)
      if (failed) return failed
      if (header !== undefined && accepted.size < MAX_ACCEPTED) accepted.add(header)
    }
  }
  function verify (header: string | undefined, allowed: Buffer[], what: string, reply: FastifyReply): FastifyReply | undefined {
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (!match) {
      reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Unauthorized', message: `missing "Authorization: Bearer <token>" (${what})` })
      return reply
    }
    if (!tokenMatches(match[1] as string, allowed)) {
      reply.code(403).send({ error: 'Forbidden', message: `the token is not valid for this route (${what})` })
      return reply
    }
    return undefined
  }
  app.decorate('auth', {
    admin: check(admin, 'needs ADMIN_TOKEN'),
    sender: check(senders, 'needs SERVICE_TOKEN or ADMIN_TOKEN')
  })
}, { name: 'auth' })

/**
 * An encapsulated scope whose every route runs `app.auth[who]` in onRequest,
 * before its body is read: `register` adds the route plugins to it.
 */
export function authScope (who: 'admin' | 'sender', register: (scope: FastifyInstance) => Promise<void>): FastifyPluginAsync {
  return async function scope (app) {
    app.addHook('onRequest', app.auth[who])
    await register(app)
  }
}
