import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

/**
 * A Lua script run atomically by Redis: by its SHA1 (`EVALSHA`), sending the source once more
 * (`EVAL`) only when this Redis has not seen it yet (after a restart or a failover).
 */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
