import { Module } from '@nestjs/common';
import { LifecycleService } from './lifecycle.service';

/** The drain state readiness reports; `main.ts` drives it on SIGTERM (graceful-shutdown.ts). */
@Module({
  providers: [LifecycleService],
  exports: [LifecycleService],
})
export class LifecycleModule {}
