// How the benchmark starts each side: tg-relay (bench/targets/relay.ts) and
// its peers (BullMQ route and worker, the bare route), with the environment
// each figure needs.
import { startTarget, type Target } from './child.ts'
import { ADMIN_TOKEN, BOT_TOKEN, SERVICE_TOKEN } from './payload.ts'

export type Side = 'tg-relay' | 'bullmq' | 'bare'

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
  env?: Record<string, string>
  profileDir?: string
  /** another target script (bench/tools) */
  script?: string
}

const SCRIPTS: Record<Side, Partial<Record<TargetOptions['role'], string>>> = {
  'tg-relay': { api: 'bench/targets/relay.ts', worker: 'bench/targets/relay.ts', all: 'bench/targets/relay.ts' },
  bullmq: { api: 'bench/targets/bullmq-api.ts', worker: 'bench/targets/bullmq-worker.ts', all: 'bench/targets/bullmq-api.ts' },
  bare: { api: 'bench/targets/bare-api.ts' }
}

export async function startSide (side: Side, o: TargetOptions): Promise<Target> {
  const script = o.script ?? SCRIPTS[side][o.role]
  if (!script) throw new Error(`no ${side} target for ROLE=${o.role}`)
  const env: Record<string, string> = {
    ROLE: o.role,
    LOG_LEVEL: 'silent',
    ADMIN_TOKEN,
    SERVICE_TOKEN,
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_API_URL: o.apiUrl ?? 'http://127.0.0.1:9',
    ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
    ...o.env
  }
  return await startTarget(`${side}-${o.role}`, script, env, o.profileDir ? { profileDir: o.profileDir } : {})
}
