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

interface PinoLike {
  level: string
  isLevelEnabled (level: string): boolean
  child (bindings: Record<string, unknown>, options?: object): PinoLike & Logger
}

/**
 * A request's logger (Fastify's childLoggerFactory, app.ts) that becomes a
 * real pino child — bindings serialised, redaction set up: ~2 µs and several
 * objects — only when something is logged at an enabled level. At the
 * default level almost no request logs anything, and the child was a
 * measurable part of every POST /send (bench/tools/top-profile.ts).
 */
export class LazyChildLogger {
  #real: (PinoLike & Logger) | undefined
  constructor (private readonly parent: PinoLike, private readonly bindings: Record<string, unknown>, private readonly options: object) {}
  #get (): PinoLike & Logger { return (this.#real ??= this.parent.child(this.bindings, this.options)) }
  #enabled (level: string): boolean { return this.#real !== undefined || this.parent.isLevelEnabled(level) }
  get level (): string { return this.#real?.level ?? this.parent.level }
  set level (level: string) { this.#get().level = level }
  isLevelEnabled (level: string): boolean { return this.#real?.isLevelEnabled(level) ?? this.parent.isLevelEnabled(level) }
  child (bindings: Record<string, unknown>, options?: object): Logger { return this.#get().child(bindings, options) }
  fatal (...args: Parameters<LogFn>): void { if (this.#enabled('fatal')) this.#get().fatal(...args) }
  error (...args: Parameters<LogFn>): void { if (this.#enabled('error')) this.#get().error(...args) }
  warn (...args: Parameters<LogFn>): void { if (this.#enabled('warn')) this.#get().warn(...args) }
  info (...args: Parameters<LogFn>): void { if (this.#enabled('info')) this.#get().info(...args) }
  debug (...args: Parameters<LogFn>): void { if (this.#enabled('debug')) this.#get().debug(...args) }
  trace (...args: Parameters<LogFn>): void { if (this.#enabled('trace')) this.#get().trace(...args) }
}
