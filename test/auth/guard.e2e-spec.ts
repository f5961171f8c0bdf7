import { Controller, Get } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { Auth } from '../../src/auth/decorators/auth.decorator';
import { CurrentUser } from '../../src/auth/decorators/current-principal.decorator';
import { Public } from '../../src/auth/decorators/public.decorator';
import type { UserPrincipal } from '../../src/auth/principal';
import { TokenService } from '../../src/auth/tokens/token.service';
import { UsersService } from '../../src/users/users.service';
import { adminToken, createUser, signedInUser } from '../utils/auth-helpers';
import { TEST_ADMIN } from '../utils/create-test-app';

@Controller('probe')
class ProbeController {
  @Get('opaque')
  @Auth('auth-token')
  opaque(@CurrentUser() user: UserPrincipal): UserPrincipal {
    return user;
  }

  @Get('password-change')
  @Auth('bearer', { allowPasswordChangeRequired: true })
  passwordChange(@CurrentUser() user: UserPrincipal): UserPrincipal {
    return user;
  }

  @Get('unmarked')
  unmarked(): string {
    return 'should never be reached';
  }
}

@Public()
@Controller('probe-public')
class PublicProbeController {
  @Get('open')
  open(): string {
    return 'open';
  }

  @Get('closed')
  @Auth('bearer')
  closed(): string {
    return 'closed';
  }
}

describe('AuthenticationGuard', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      ADMIN_CLIENT_ID: TEST_ADMIN.clientId,
      ADMIN_CLIENT_SECRET: TEST_ADMIN.clientSecret,
    });
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [AppModule],
        controllers: [ProbeController, PublicProbeController],
      }).compile();
      app = configureApp(
        moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false }),
      );
      await app.init();
    } finally {
      process.env = saved;
    }
  });
  afterAll(() => app.close());

  it('should deny a route that has neither @Auth nor @Public', async () => {
    await http().get('/probe/unmarked').expect(403);
  });

  it('should let a method @Auth override a controller @Public', async () => {
    await http().get('/probe-public/open').expect(200);
    await http().get('/probe-public/closed').expect(401);
  });

  it('should admit password_change_required tokens only where the route allows them', async () => {
    const { tokens, user } = await signedInUser(app, {
      scope: 'openid',
      user: { must_change_password: true },
    });
    await http().get('/oauth2/userinfo').auth(tokens.access_token, { type: 'bearer' }).expect(403);
    const res = await http()
      .get('/probe/password-change')
      .auth(tokens.access_token, { type: 'bearer' })
      .expect(200);
    expect(res.body).toEqual(
      expect.objectContaining({ kind: 'user', userId: user.user_id, passwordChangeRequired: true }),
    );
  });

  it('should authenticate X-Auth-Token opaque tokens and drop them after a password change', async () => {
    const admin = await adminToken(app);
    const created = await createUser(app, admin);
    const user = (await app.get(UsersService).findById(created.user_id))!;
    const { token, expiresAt } = await app
      .get(TokenService)
      .issueOpaqueToken(user, { methods: ['password'] });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());

    const ok = await http().get('/probe/opaque').set('X-Auth-Token', token).expect(200);
    expect(ok.body).toEqual(
      expect.objectContaining({ kind: 'user', userId: user.id, tokenType: 'opaque' }),
    );
    expect((await http().get('/probe/opaque').expect(401)).body.error).toBe('invalid_request');
    expect(
      (await http().get('/probe/opaque').set('X-Auth-Token', `${token}x`).expect(401)).body.error,
    ).toBe('invalid_token');
    // A JWT is not an X-Auth-Token.
    await http().get('/probe/opaque').auth(token, { type: 'bearer' }).expect(401);

    await http()
      .put(`/admin/users/${user.id}/password`)
      .auth(admin, { type: 'bearer' })
      .send({ password: 'Another-Passw0rd-2', must_change_password: false })
      .expect(204);
    expect(
      (await http().get('/probe/opaque').set('X-Auth-Token', token).expect(401)).body.error,
    ).toBe('invalid_token');
  });
});
