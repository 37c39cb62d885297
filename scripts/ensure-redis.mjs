// `npm start` without REDIS_URL runs a local redis-server. Make sure there is
// one: install Debian's package when we can (root or passwordless sudo),
// otherwise say in one line how to get it.
import { execFileSync, spawnSync } from 'node:child_process'

const has = cmd => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0

if (process.env.REDIS_URL || has('redis-server')) process.exit(0)

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
