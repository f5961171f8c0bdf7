import { Global, Module } from '@nestjs/common';
import { RedisConnection } from './redis.connection';

/** Redis for state shared by replicas (`REDIS_URL`); absent, that state stays in the database. */
@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
