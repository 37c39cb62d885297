// How the benchmark starts each side, each in a child process:
//   tg-relay      src/server.ts, as `npm start` runs it (REDIS_URL given, live
//                 mode against the emulator), LOG_LEVEL=warn for throughput
//   bullmq        the service a user would write instead (bench/targets/bullmq-service*.ts):
//                 a small Fastify app calling Queue.add, and a BullMQ Worker
//   bullmq-route  tg-relay's own route and composition storing with Queue.add
//   bare          the bullmq service's route answering 202 without Redis
//   relay-bare    tg-relay's route (validation, auth, HTML, composition) storing nothing
import { startTarget, type Target } from './child.ts'
import { ADMIN_TOKEN, BOT_TOKEN, SERVICE_TOKEN } from './payload.ts'

export type Side = 'tg-relay' | 'bullmq' | 'bullmq-route' | 'bare' | 'relay-bare'

/** The emulator's limits are off: the relay's own limits must not be the bottleneck either. */
export const UNLIMITED_RATES: Record<string, string> = {
  TELEGRAM_RATE_LIMIT_REQUESTS: '1000',
  TELEGRAM_RATE_LIMIT_WINDOW: '0.001',
  TELEGRAM_CHAT_RATE_INTERVAL: '0',
  TELEGRAM_GROUP_RATE_PER_MINUTE: '60000000'
}

export interface TargetOptions {
  role: 'api' | 'worker' | 'all'
  redisUrl?: string
  /** the Bot API (the emulator); unused by ROLE=api */
  apiUrl?: string
  /** tg-relay's LOG_LEVEL: 'warn' for throughput figures, undefined = its default (info) */
  logLevel?: string
  env?: Record<string, string>
  profileDir?: string
  /** another target script (bench/tools) */
  script?: string
}

const SCRIPTS: Record<Side, Partial<Record<TargetOptions['role'], string>>> = {
  'tg-relay': { api: 'src/server.ts', worker: 'src/server.ts', all: 'src/server.ts' },
  bullmq: { api: 'bench/targets/bullmq-service.ts', worker: 'bench/targets/bullmq-service-worker.ts', all: 'bench/targets/bullmq-service.ts' },
  'bullmq-route': { api: 'bench/targets/bullmq-api.ts', worker: 'bench/targets/bullmq-worker.ts', all: 'bench/targets/bullmq-api.ts' },
  bare: { api: 'bench/targets/bullmq-service.ts' },
  'relay-bare': { api: 'bench/targets/bare-api.ts' }
}

/** src/server.ts says it serves with its banner: "tg-relay is running / URL: …" */
function relayBanner (stdout: string): Record<string, string> | undefined {
  const m = /tg-relay is running\n\s+URL:\s+(\S+)/.exec(stdout)
  if (!m) return undefined
  return { url: (m[1] as string).startsWith('http') ? m[1] as string : '' }
}

export async function startSide (side: Side, o: TargetOptions): Promise<Target> {
  const script = o.script ?? SCRIPTS[side][o.role]
  if (!script) throw new Error(`no ${side} target for ROLE=${o.role}`)
  const env: Record<string, string> = {
    ROLE: o.role,
    ADMIN_TOKEN,
    SERVICE_TOKEN,
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_API_URL: o.apiUrl ?? 'http://127.0.0.1:9',
    ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
    ...(side === 'tg-relay'
      ? { PORT: '0', HOST: '127.0.0.1', ...(o.logLevel ? { LOG_LEVEL: o.logLevel } : {}) }
      : { LOG_LEVEL: 'silent' }),
    ...(side === 'bare' ? { STORE: 'none' } : {}),
    ...o.env
  }
  const ready = side === 'tg-relay' && !o.script ? { ready: relayBanner } : {}
  return await startTarget(`${side}-${o.role}`, script, env, { ...ready, ...(o.profileDir ? { profileDir: o.profileDir } : {}) })
}
