import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { IsString } from 'class-validator';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { Public } from '../../src/auth/decorators/public.decorator';
import { TEST_ADMIN } from '../utils/create-test-app';

/**
 * Where the probe routes live: under each dialect's prefix, so that a dialect without controllers
 * yet (Huawei, IDaaS) still has a known path for the 405 case, a body with a required string for
 * the null case, and a route that fails unexpectedly.
 */
export const PROBE_BASES = {
  native: '/contract-probe',
  tencent: '/otp/send/contract-probe',
  huawei: '/v3/contract-probe',
  'idaas-tenant': '/api/v2/tenant/contract-probe',
  'idaas-sdk': '/api/v2/sdk/contract-probe',
} as const;

/** What the probe's unexpected error says; it must never reach a client. */
export const PROBE_SECRET = 'probe-internal-detail-7f3a';

const bases = Object.values(PROBE_BASES).map((base) => base.slice(1));

class ProbeBody {
  @IsString()
  value!: string;
}

@Controller()
class ContractProbeController {
  @Get(bases)
  @Public()
  known(): { ok: true } {
    return { ok: true };
  }

  @Post(bases.map((base) => `${base}/echo`))
  @Public()
  @HttpCode(200)
  echo(@Body() body: ProbeBody): ProbeBody {
    return body;
  }

  @Get(bases.map((base) => `${base}/boom`))
  @Public()
  boom(): never {
    throw new Error(PROBE_SECRET);
  }
}

@Module({ controllers: [ContractProbeController] })
class ContractProbeModule {}

/**
 * `createTestApp` plus the probe routes: the real AppModule and `configureApp`, as production.
 */
export async function createContractTestApp(): Promise<NestExpressApplication> {
  const saved = { ...process.env };
  Object.assign(process.env, {
    ADMIN_CLIENT_ID: TEST_ADMIN.clientId,
    ADMIN_CLIENT_SECRET: TEST_ADMIN.clientSecret,
  });
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule, ContractProbeModule],
    }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false });
    configureApp(app);
    await app.init();
    return app;
  } finally {
    process.env = saved;
  }
}
