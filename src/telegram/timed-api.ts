// Times every Bot API request for tg_relay_bot_api_request_duration_seconds:
// a wrapper around the client, so the client itself stays about HTTP only.
import { BotApiError, type BotApi } from './client.ts'

export type RequestOutcome = 'ok' | 'rate_limited' | 'client_error' | 'server_error' | 'network'

export function requestOutcome (err: unknown): RequestOutcome {
  if (!(err instanceof BotApiError)) return 'network'
  return err.errorCode === 429 ? 'rate_limited' : err.errorCode >= 500 ? 'server_error' : 'client_error'
}

export function timedBotApi (api: BotApi, observe: (seconds: number, method: string, outcome: RequestOutcome) => void): BotApi {
  return {
    async call<T> (...args: Parameters<BotApi['call']>): Promise<T> {
      const started = performance.now()
      try {
        const result = await api.call<T>(...args)
        observe((performance.now() - started) / 1000, args[0], 'ok')
        return result
      } catch (err) {
        observe((performance.now() - started) / 1000, args[0], requestOutcome(err))
        throw err
      }
    },
    close: () => api.close()
  }
}
