// `npm start` without a Redis configured (REDIS_URL, or REDIS_HOST /
// REDIS_PORT, from the environment or .env) runs a local redis-server. Make
// sure there is one: install Debian's package when we can (root or
// passwordless sudo), otherwise say in one line how to get it.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const has = cmd => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0

// the same .env src/server.ts reads
if (existsSync('.env')) process.loadEnvFile('.env')
const external = ['REDIS_URL', 'REDIS_HOST', 'REDIS_PORT', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'].some(name => process.env[name])
if (external || has('redis-server')) process.exit(0)

const root = process.getuid?.() === 0
const sudo = !root && has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0
if (!root && !sudo) {
  console.error('tg-relay: redis-server is not installed. Install it with "sudo apt-get install -y redis-server", or set REDIS_URL to a running Redis.')
  process.exit(1)
}
console.log('tg-relay: redis-server not found; installing Debian\'s redis-server …')
const pre = sudo ? ['sudo', '-n'] : []
try {
  const run = args => execFileSync(pre[0] ?? args[0], pre.length ? [...pre.slice(1), ...args] : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  run(['apt-get', 'update', '-qq'])
  run(['apt-get', 'install', '-y', '-qq', 'redis-server'])
} catch {
  console.error('tg-relay: installing redis-server failed. Install it with "sudo apt-get install -y redis-server", or set REDIS_URL to a running Redis.')
  process.exit(1)
}
