// A replication link with latency: a TCP proxy on a free port that delivers
// what the primary sends after `delayMs` (the replica's acks go straight
// back), like a slow link between two machines.
// cut() drops the link with whatever is still on the way — what happens to
// those bytes when the primary's machine dies (on one machine, a killed
// process's socket would still deliver them, and nothing would ever be lost).
import { createServer, connect, type Socket } from 'node:net'
import { freePort } from '../../src/redis/server-process.ts'

export interface Link {
  port: number
  cut (): void
}

export async function delayedLink (targetPort: number, delayMs: number): Promise<Link> {
  const port = await freePort()
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const later = (fn: () => void) => {
    const timer = setTimeout(() => { timers.delete(timer); fn() }, delayMs)
    timers.add(timer)
  }
  const server = createServer(client => {
    const upstream = connect(targetPort, '127.0.0.1')
    for (const s of [client, upstream]) { sockets.add(s); s.on('error', () => undefined); s.on('close', () => sockets.delete(s)) }
    client.on('data', chunk => upstream.write(chunk))
    upstream.on('data', chunk => later(() => client.write(chunk)))
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => later(() => client.destroy()))
  })
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
  return {
    port,
    cut () {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      for (const s of sockets) s.destroy()
      server.close()
    }
  }
}
