import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of this process: Node's defaults (event-loop lag and its percentiles,
 * memory, GC, handles), HTTP request durations by route, the identity events of the domain
 * (`PrometheusIdentityEvents`) and gauges read when scraped (`MetricsCollectors`). No label
 * holds a user, client, address or token: every label value comes from a small fixed set.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly passwordOperations = new Counter({
    name: 'tessera_password_operations_total',
    help: 'Password changes, resets and administrator sets by dialect, operation and outcome (success or the error code)',
    labelNames: ['dialect', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly signIns = new Counter({
    name: 'tessera_sign_ins_total',
    help: 'Sign-ins by dialect, method (password, otp) and outcome',
    labelNames: ['dialect', 'method', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly lockouts = new Counter({
    name: 'tessera_lockouts_total',
    help: 'Users locked after repeated password failures, by dialect',
    labelNames: ['dialect'] as const,
    registers: [this.registry],
  });
  readonly otpSends = new Counter({
    name: 'tessera_otp_sends_total',
    help: 'One-time code sends by dialect, channel, usage and outcome (sent, suppressed: no account at the target, or the error code)',
    labelNames: ['dialect', 'channel', 'usage', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly otpVerifications = new Counter({
    name: 'tessera_otp_verifications_total',
    help: 'One-time code checks by dialect and outcome (success or the error code)',
    labelNames: ['dialect', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly bcryptDuration = new Histogram({
    name: 'tessera_bcrypt_duration_seconds',
    help: 'Time of one bcrypt hash or compare on the thread pool (the wait for a slot excluded)',
    labelNames: ['operation'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2],
    registers: [this.registry],
  });
  readonly bcryptRefused = new Counter({
    name: 'tessera_bcrypt_refused_total',
    help: 'Hashes refused with 503 because BCRYPT_MAX_QUEUE were already waiting',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tessera_' });
  }
}
