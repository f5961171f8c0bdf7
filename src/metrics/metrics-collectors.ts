import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../hashing/password-hasher.service';
import { MetricsService } from './metrics.service';

/** The parts of mysql2's pool read here (internal queues; stable across mysql2 3.x). */
interface Mysql2PoolShape {
  config?: { connectionLimit?: number };
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

/**
 * Gauges read when Prometheus scrapes, so they cost nothing per request: the bcrypt pool (running
 * and queued hashes) and, on MySQL/MariaDB, the connection pool (open, idle, in use, waiting
 * requests, limit). SQLite has no pool; its gauges are not registered.
 */
@Injectable()
export class MetricsCollectors implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly hasher: PasswordHasher,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    const hasher = this.hasher;
    new Gauge({
      name: 'tessera_bcrypt_queue_depth',
      help: 'Hashes waiting for a slot (BCRYPT_CONCURRENCY run at once; past BCRYPT_MAX_QUEUE, 503)',
      registers,
      collect() {
        this.set(hasher.load.queued);
      },
    });
    new Gauge({
      name: 'tessera_bcrypt_running',
      help: 'Hashes running on the thread pool now',
      registers,
      collect() {
        this.set(hasher.load.running);
      },
    });
    if (this.dataSource.options.type !== 'mysql') return;
    const dataSource = this.dataSource;
    const pool = (): Mysql2PoolShape | undefined =>
      (dataSource.driver as unknown as { pool?: Mysql2PoolShape }).pool;
    new Gauge({
      name: 'tessera_db_pool_connections',
      help: 'Database connections by state (idle, in_use) and the pool limit (max)',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const p = pool();
        const all = p?._allConnections?.length ?? 0;
        const idle = p?._freeConnections?.length ?? 0;
        this.set({ state: 'idle' }, idle);
        this.set({ state: 'in_use' }, all - idle);
        this.set({ state: 'max' }, p?.config?.connectionLimit ?? 0);
      },
    });
    new Gauge({
      name: 'tessera_db_pool_waiting_requests',
      help: 'Requests waiting for a database connection (DB_POOL_QUEUE_LIMIT bounds it)',
      registers,
      collect() {
        this.set(pool()?._connectionQueue?.length ?? 0);
      },
    });
  }
}
