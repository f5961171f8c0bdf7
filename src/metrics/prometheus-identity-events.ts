import { Injectable } from '@nestjs/common';
import { type IdentityEvent, IdentityEvents } from '../common/events/identity-events';
import { MetricsService } from './metrics.service';
import { currentDialect } from './request-dialect';

/** The domain's events as Prometheus counters, labelled with the dialect of the request. */
@Injectable()
export class PrometheusIdentityEvents extends IdentityEvents {
  constructor(private readonly metrics: MetricsService) {
    super();
  }

  record(event: IdentityEvent): void {
    const m = this.metrics;
    switch (event.kind) {
      case 'password_operation':
        m.passwordOperations.inc({
          dialect: currentDialect(),
          operation: event.operation,
          outcome: event.outcome,
        });
        return;
      case 'sign_in':
        m.signIns.inc({ dialect: currentDialect(), method: event.method, outcome: event.outcome });
        return;
      case 'lockout':
        m.lockouts.inc({ dialect: currentDialect() });
        return;
      case 'otp_send':
        m.otpSends.inc({
          dialect: currentDialect(),
          channel: event.channel,
          usage: event.usage,
          outcome: event.outcome,
        });
        return;
      case 'otp_verification':
        m.otpVerifications.inc({ dialect: currentDialect(), outcome: event.outcome });
        return;
      case 'bcrypt':
        m.bcryptDuration.observe({ operation: event.operation }, event.seconds);
        return;
      case 'bcrypt_refused':
        m.bcryptRefused.inc();
        return;
    }
  }
}
