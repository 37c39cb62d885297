// The emulator's public types (re-exported by index.ts).

export interface EmulatorLimits {
  /** messages per second per bot */
  global: number
  /** messages per second per chat (bucket capacity max(2, perChat): Telegram tolerates a short burst) */
  perChat: number
  /** messages per minute per group, supergroup or channel */
  perGroup: number
}

export interface FaultConfig {
  /** delay before handling: fixed ms, or uniform in [min, max] */
  latencyMs?: number | [number, number]
  /** destroy the socket before reading the request (not recorded) */
  resetRate?: number
  /** never answer; the socket is held until the client gives up or close() (not recorded) */
  timeoutRate?: number
  /** 500 Internal Server Error (not recorded) */
  serverErrorRate?: number
  /** handle and record the call, then destroy the socket without answering */
  lostResponseRate?: number
  /** methods the faults apply to (case-insensitive); default: every send* method */
  methods?: string[]
  /** reseeds the fault RNG, for reproducible runs */
  seed?: number
}

/** What is kept of a multipart upload: never the bytes. */
export interface UploadedFile {
  filename: string
  mimetype: string
  size: number
}

export interface RecordedMessage {
  message_id: number
  method: string
  /** number for numeric ids, '@username' otherwise */
  chat_id: number | string
  /** the text exactly as sent (HTML included) */
  text?: string
  /** the caption exactly as sent */
  caption?: string
  /** the validated parameters (numbers coerced, JSON-serialized fields parsed, uploads as UploadedFile) */
  params: Record<string, unknown>
  /** ms since epoch */
  date: number
  /** ms since epoch, once deleteMessage removed it */
  deleted_at?: number
}

export interface RecordedCall {
  method: string
  params: Record<string, unknown>
  at: number
}

export interface EmulatorStats {
  /** Bot API requests received (control endpoints excluded) */
  requests: number
  /** send* calls that delivered a message (lost responses included) */
  accepted: number
  /** 4xx answers other than 429 */
  rejected: number
  tooManyRequests: number
  resets: number
  timeouts: number
  serverErrors: number
  lostResponses: number
}

export interface Emulator {
  /** 'http://127.0.0.1:PORT': what TELEGRAM_API_URL should be set to */
  url: string
  port: number
  /** every accepted send*, in acceptance order (lost-response ones too: Telegram did deliver them) */
  messages: RecordedMessage[]
  /** every successful call of a method that is not send* */
  calls: RecordedCall[]
  stats: EmulatorStats
  /** replaces the current faults; {} clears */
  setFaults: (faults: FaultConfig) => void
  /** on: stop listening and destroy open sockets (ECONNREFUSED); off: listen again on the same port */
  setOutage: (on: boolean) => Promise<void>
  setLimits: (limits: EmulatorLimits | false) => void
  /** 403, default description "Forbidden: bot was blocked by the user" */
  blockChat: (chatId: number | string, description?: string) => void
  /** 400 "Bad Request: chat not found" */
  removeChat: (chatId: number | string) => void
  /** 400 "Bad Request: group chat was upgraded to a supergroup chat" + parameters.migrate_to_chat_id */
  migrateChat: (oldId: number, newId: number) => void
  /** POSTs to the webhook if one is set (rejects if it does not answer 2xx), else queues for getUpdates */
  pushUpdate: (update: Record<string, unknown>) => Promise<void>
  received: (chatId?: number | string) => RecordedMessage[]
  /** polls every 10 ms; rejects after timeoutMs (default 5000) */
  waitFor: (predicate: () => boolean, timeoutMs?: number) => Promise<void>
  /** clears messages, calls, stats, faults, chat states, webhook and pending updates; keeps limits */
  reset: () => void
  /** idempotent */
  close: () => Promise<void>
}

export interface EmulatorOptions {
  /** 0 or unset: a free port */
  port?: number
  /** default: Telegram's (30/s, 1/s per chat, 20/min per group); false: off */
  limits?: EmulatorLimits | false
  /** if set, other tokens get 401 Unauthorized */
  token?: string
  /** log every request with pino (slow; off by default) */
  logger?: boolean
  /** seed of the fault RNG */
  seed?: number
}
