// npm install (prepare) and npm test (pretest) build client/ (the
// tg-relay-client workspace) into client/dist, so the repository and its
// tests import it by name. An install without dev dependencies
// (--omit=dev, to run the service) has no TypeScript and needs no client:
// skip the build instead of failing the install.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'

try {
  createRequire(import.meta.url).resolve('typescript')
} catch {
  console.log('tg-relay-client not built: TypeScript is not installed (dev dependencies omitted)')
  process.exit(0)
}
const run = spawnSync('npm', ['run', 'build', '--workspace', 'client'], { stdio: 'inherit' })
process.exit(run.status ?? 1)
