// Entry point: the only file that listens. Resolves Redis (REDIS_URL or one
// built from REDIS_HOST…, Sentinel, Cluster, or a supervised local
// redis-server) and Telegram (a token, or sandbox mode with
// the built-in emulator), starts the app, prints the banner, and shuts down
// gracefully on SIGTERM/SIGINT: stop claiming, finish or return in-flight
// sends, close, exit 0.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { pino } from 'pino'
import { ConfigError, loadConfig, type Config } from './config.ts'
import { buildApp, loggerOptions } from './app.ts'
import { startRedisServer, type RedisServer } from './redis/server-process.ts'
import { describeTopology, redisTopology } from './redis/topology.ts'
import { startEmulator, type Emulator } from './emulator/index.ts'

async function main (): Promise<void> {
  // a .env file in the working directory, when there is one (Node's own parser)
  if (existsSync('.env')) process.loadEnvFile('.env')
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`tg-relay: ${err.message}`)
      process.exit(1)
    }
    throw err
  }
  const log = pino(loggerOptions(config))

  let adminToken = config.ADMIN_TOKEN
  let generatedToken = false
  if (!adminToken) {
    if (!config.sandbox) {
      console.error('tg-relay: ADMIN_TOKEN is required when TELEGRAM_BOT_TOKEN is set (live mode): set ADMIN_TOKEN to a random string of at least 16 characters')
      process.exit(1)
    }
    adminToken = randomBytes(18).toString('base64url')
    generatedToken = true
  }

  let localRedis: RedisServer | undefined
  let topology = redisTopology(config)
  if (!topology) {
    localRedis = await startRedisServer({
      dir: config.REDIS_DATA_DIR,
      supervise: true,
      onExit: (code, signal) => log.warn({ code, signal }, 'local redis-server exited; restarting it')
    })
    topology = { kind: 'single', url: localRedis.url }
  }

  let emulator: Emulator | undefined
  let target = { apiUrl: config.TELEGRAM_API_URL, token: config.TELEGRAM_BOT_TOKEN ?? '' }
  if (config.sandbox) {
    emulator = await startEmulator({})
    target = { apiUrl: emulator.url, token: '1000000:sandbox' }
  }

  const app = await buildApp({ config, ...(localRedis ? { redisUrl: localRedis.url } : {}), telegram: target, adminToken, logger: loggerOptions(config) })
  let url = 'none (ROLE=worker)'
  if (config.ROLE === 'worker') {
    await app.ready()
  } else {
    await app.listen({ port: config.PORT, host: config.HOST })
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : config.PORT
    url = `http://${config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST}:${port}`
  }

  const lines = [
    '',
    'tg-relay is running',
    `  URL:     ${url}`,
    `  mode:    ${config.sandbox ? 'SANDBOX — messages go to the built-in Bot API emulator, not Telegram (set TELEGRAM_BOT_TOKEN for live)' : `live — Bot API at ${config.TELEGRAM_API_URL}`}`,
    ...(emulator ? [`  inbox:   ${emulator.url}/__emulator/messages (what the emulator received)`] : []),
    `  redis:   ${localRedis ? `local redis-server ${localRedis.url} (AOF, data in ${config.REDIS_DATA_DIR})` : describeTopology(topology)}${config.REDIS_MIN_REPLICAS_ACK > 0 ? `; 202 once ${config.REDIS_MIN_REPLICAS_ACK} replica(s) have it` : ''}`,
    `  role:    ${config.ROLE}; worker ${config.ROLE === 'api' ? 'not in this process' : `running, ${config.QUEUE_MAX_CONCURRENT_JOBS} concurrent sends`}`,
    generatedToken
      ? `  admin:   generated ADMIN_TOKEN for this run (shown once): ${adminToken}`
      : '  admin:   ADMIN_TOKEN from the environment',
    ''
  ]
  process.stdout.write(lines.join('\n') + '\n')

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    log.info({ signal }, 'shutting down: no new claims, finishing in-flight sends')
    const force = setTimeout(() => { log.error('shutdown took over 30 s; exiting'); process.exit(1) }, 30_000)
    force.unref()
    try {
      await app.close()
      await emulator?.close()
      await localRedis?.stop()
    } catch (err) {
      log.error({ err }, 'error during shutdown')
    }
    process.exit(0)
  }
  process.on('SIGTERM', () => { shutdown('SIGTERM').catch(() => process.exit(1)) })
  process.on('SIGINT', () => { shutdown('SIGINT').catch(() => process.exit(1)) })
}

main().catch(err => {
  console.error('tg-relay failed to start:', err instanceof Error ? err.message : err)
  process.exit(1)
})
