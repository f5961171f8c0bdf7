import { Global, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { IdentityEvents } from '../common/events/identity-events';
import { HashingModule } from '../hashing/hashing.module';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsCollectors } from './metrics-collectors';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { MetricsTokenScheme } from './metrics-token.scheme';
import { PrometheusIdentityEvents } from './prometheus-identity-events';

/**
 * `/metrics` and what feeds it. Global so that every domain module receives the `IdentityEvents`
 * port without importing metrics (and so without knowing Prometheus).
 */
@Global()
@Module({
  imports: [AuthModule, HashingModule],
  controllers: [MetricsController],
  providers: [
    MetricsService,
    MetricsTokenScheme,
    MetricsCollectors,
    { provide: IdentityEvents, useClass: PrometheusIdentityEvents },
  ],
  exports: [MetricsService, IdentityEvents],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}
