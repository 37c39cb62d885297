// tg-relay as the benchmark runs it: the real app (buildApp) from environment
// variables, like src/server.ts, minus the banner and the supervised Redis.
// ROLE=api listens; ROLE=worker only delivers. Prints `READY {"url"}`.
import { buildApp, loggerOptions } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'

const config = loadConfig(process.env)
if (!config.REDIS_URL || !config.ADMIN_TOKEN || !config.TELEGRAM_BOT_TOKEN) throw new Error('REDIS_URL, ADMIN_TOKEN and TELEGRAM_BOT_TOKEN are required')
const app = await buildApp({
  config,
  redisUrl: config.REDIS_URL,
  telegram: { apiUrl: config.TELEGRAM_API_URL, token: config.TELEGRAM_BOT_TOKEN },
  adminToken: config.ADMIN_TOKEN,
  logger: loggerOptions(config)
})
let url = ''
if (config.ROLE === 'worker') await app.ready()
else url = await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`READY ${JSON.stringify({ url })}\n`)

process.once('SIGTERM', () => {
  app.close().then(() => process.exit(0), () => process.exit(1))
})
