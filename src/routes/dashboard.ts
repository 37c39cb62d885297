// The admin dashboard at /admin: static files from src/admin/, read once
// when the app starts. The page itself is public; everything it shows comes
// from the admin API with the token the admin types in. A strict CSP allows
// only this origin's own script, style and API (no inline code, nothing from
// the internet), so a message text that slipped through as markup could not
// run.
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { readFile } from 'node:fs/promises'

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

const FILES = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'views.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8'
} as const
type FileName = keyof typeof FILES

const routes: FastifyPluginAsync = async (app) => {
  const dir = new URL('../admin/', import.meta.url)
  const content = new Map<FileName, Buffer>()
  for (const name of Object.keys(FILES) as FileName[]) content.set(name, await readFile(new URL(name, dir)))

  const serve = (name: FileName) => async (_request: unknown, reply: FastifyReply) => reply
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-cache')
    .type(FILES[name])
    .send(content.get(name))

  const hide = { schema: { hide: true } }
  app.get('/admin', hide, serve('index.html'))
  app.get('/admin/', hide, serve('index.html'))
  for (const name of Object.keys(FILES) as FileName[]) app.get(`/admin/${name}`, hide, serve(name))
  // where Bull Board was: bookmarks of the resilient API's operators keep working
  const toDashboard = async (_request: unknown, reply: FastifyReply) => reply.redirect('/admin', 302)
  app.get('/admin/queues', hide, toDashboard)
  app.get('/admin/queues/*', hide, toDashboard)
}
export default routes
