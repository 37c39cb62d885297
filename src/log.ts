// The logging surface modules need: satisfied by pino and Fastify's logger alike.
import type { LogFn } from 'pino'

export interface Logger {
  fatal: LogFn
  error: LogFn
  warn: LogFn
  info: LogFn
  debug: LogFn
  trace: LogFn
  child (bindings: Record<string, unknown>): Logger
}
