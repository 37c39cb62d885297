// Loads the Lua scripts once, splices `-- @include name` lines from
// lua/includes/, and registers them on an ioredis client, which then runs
// them with EVALSHA (falling back to EVAL after a Redis restart).
import { readFileSync } from 'node:fs'
import type { Redis } from 'ioredis'

export const SCRIPT_NAMES = ['enqueue', 'claim', 'ack', 'retry', 'dead', 'cancel', 'requeue', 'refund'] as const
export type ScriptName = typeof SCRIPT_NAMES[number]
export type ScriptReply = string | number | null | ScriptReply[]

const LUA_DIR = new URL('./lua/', import.meta.url)
let sources: Map<ScriptName, string> | undefined

function readLua (name: ScriptName): string {
  const text = readFileSync(new URL(`${name}.lua`, LUA_DIR), 'utf8')
  return text.replace(/^-- @include ([\w-]+)$/gm, (_, inc: string) =>
    readFileSync(new URL(`includes/${inc}.lua`, LUA_DIR), 'utf8'))
}

export function luaSources (): Map<ScriptName, string> {
  sources ??= new Map(SCRIPT_NAMES.map(n => [n, readLua(n)]))
  return sources
}

const registered = new WeakSet<Redis>()

/** Defines the scripts as commands on this client (idempotent). */
export function registerScripts (redis: Redis): void {
  if (registered.has(redis)) return
  for (const [name, lua] of luaSources()) redis.defineCommand(`tg_${name}`, { lua })
  registered.add(redis)
}

type ScriptCommand = (numKeys: number, ...args: Array<string | number>) => Promise<ScriptReply>

/** Runs one script: keys first, then args (numbers are sent as decimal strings). */
export async function runScript (redis: Redis, name: ScriptName, keys: string[], args: Array<string | number>): Promise<ScriptReply> {
  registerScripts(redis)
  const command = (redis as unknown as Record<string, ScriptCommand>)[`tg_${name}`]
  if (!command) throw new Error(`script ${name} is not registered`)
  return await command.call(redis, keys.length, ...keys, ...args)
}
