// The part of autocannon's programmatic API the benchmark uses (the package
// ships no types).
declare module 'autocannon' {
  export interface Histogram {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    total: number
    p50: number
    p90: number
    p97_5: number
    p99: number
  }

  export interface Options {
    url: string
    connections?: number
    duration?: number
    method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
    headers?: Record<string, string>
    body?: string
    timeout?: number
    /** per-request hooks: setupRequest may change the body of each request */
    requests?: Array<{ method?: string, path?: string, headers?: Record<string, string>, setupRequest?: (req: { body?: string }) => { body?: string } }>
  }

  export interface Result {
    requests: Histogram
    latency: Histogram
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    statusCodeStats: Record<string, { count: number }>
  }

  function autocannon (opts: Options): Promise<Result>
  export default autocannon
}
