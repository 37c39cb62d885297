// Runs an ioredis pipeline and returns each command's reply. ioredis reports
// a failed command inside the results ([err, null]), not by rejecting; here
// the first such error is thrown, so guardRedis can turn an unreachable
// Redis into a 503 instead of a half-empty answer.
import type { ChainableCommander } from 'ioredis'

export async function execPipeline (pipeline: ChainableCommander): Promise<unknown[]> {
  const results = await pipeline.exec() ?? []
  const failed = results.find(([err]) => err)
  if (failed?.[0]) throw failed[0]
  return results.map(([, value]) => value)
}
