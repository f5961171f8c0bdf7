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
import {
  STATE_TOKEN_TTL_SECONDS,
  StateTokenService,
} from '../../src/auth/tokens/state-token.service';
import { TokenService } from '../../src/auth/tokens/token.service';
import { UsersService } from '../../src/users/users.service';
import { adminToken, createApplication, createUser, signedInUser } from '../utils/auth-helpers';
import { TEST_ADMIN } from '../utils/create-test-app';

@Controller('probe')
class ProbeController {
  @Get('opaque')
  @Auth('auth-token')
  opaque(@CurrentUser() user: UserPrincipal): UserPrincipal {
    return user;
  }

  @Get('opaque-change')
  @Auth('auth-token', { allowPasswordChangeRequired: true })
  opaqueChange(@CurrentUser() user: UserPrincipal): Pick<UserPrincipal, 'passwordChangeRequired'> {
    return { passwordChangeRequired: user.passwordChangeRequired };
  }

  @Get('state')
  @Auth('state-token', { allowPasswordChangeRequired: true })
  state(@CurrentUser() user: UserPrincipal): UserPrincipal {
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

  it('should authenticate X-Auth-Token opaque tokens bound to a session and drop them after a password change', async () => {
    const admin = await adminToken(app);
    const client = await createApplication(app, admin);
    const created = await createUser(app, admin);
    const user = (await app.get(UsersService).findById(created.user_id))!;
    const tokens = app.get(TokenService);
    const { token, expiresAt, sessionId } = await tokens.issueOpaqueToken(
      user,
      client.client_id,
      ['openid'],
      { methods: ['password'] },
    );
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());

    const ok = await http().get('/probe/opaque').set('X-Auth-Token', token).expect(200);
    expect(ok.body).toEqual(
      expect.objectContaining({
        kind: 'user',
        userId: user.id,
        clientId: client.client_id,
        sessionId,
        scopes: ['openid'],
        passwordChangeRequired: false,
      }),
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

  it('should end an opaque token with its session, and restrict one issued for a forced change', async () => {
    const admin = await adminToken(app);
    const client = await createApplication(app, admin);
    const created = await createUser(app, admin);
    const user = (await app.get(UsersService).findById(created.user_id))!;
    const tokens = app.get(TokenService);
    const revoked = await tokens.issueOpaqueToken(user, client.client_id, [], {
      methods: ['password'],
    });
    await http().get('/probe/opaque').set('X-Auth-Token', revoked.token).expect(200);
    await tokens.revokeSession(revoked.sessionId);
    await http().get('/probe/opaque').set('X-Auth-Token', revoked.token).expect(401);

    const forced = await tokens.issueOpaqueToken(user, client.client_id, [], {
      methods: ['password'],
      passwordChangeRequired: true,
    });
    const res = await http().get('/probe/opaque').set('X-Auth-Token', forced.token).expect(403);
    expect(res.body.error).toBe('password_change_required');
    await http()
      .get('/probe/opaque-change')
      .set('X-Auth-Token', forced.token)
      .expect(200, { passwordChangeRequired: true });
  });

  it('should tell a missing credential from an invalid one by reading the request', async () => {
    // An Authorization header of another scheme is no bearer token at all.
    const basic = await http()
      .get('/probe/password-change')
      .set('Authorization', 'Basic Zm9vOmJhcg==')
      .expect(401);
    expect(basic.body.error).toBe('invalid_request');
    const empty = await http()
      .get('/probe/password-change')
      .set('Authorization', 'Bearer ')
      .expect(401);
    expect(empty.body.error).toBe('invalid_request');
    const bad = await http()
      .get('/probe/password-change')
      .set('Authorization', 'Bearer not-a-jwt')
      .expect(401);
    expect(bad.body.error).toBe('invalid_token');
  });

  it('should accept a state token until it is spent, expired or outlived by a password change', async () => {
    const admin = await adminToken(app);
    const client = await createApplication(app, admin);
    const created = await createUser(app, admin);
    const users = app.get(UsersService);
    const stateTokens = app.get(StateTokenService);
    const user = (await users.findById(created.user_id))!;

    expect((await http().get('/probe/state').expect(401)).body.error).toBe('invalid_request');
    await http().get('/probe/state').set('X-State-Token', 'unknown').expect(401);

    const token = await stateTokens.issue(user, client.client_id, 'password_expired');
    const res = await http().get('/probe/state').set('X-State-Token', token).expect(200);
    expect(res.body).toEqual(
      expect.objectContaining({
        kind: 'user',
        userId: user.id,
        clientId: client.client_id,
        passwordChangeRequired: true,
        stateTokenDigest: stateTokens.digest(token),
      }),
    );
    // Single use: of two concurrent spends exactly one wins.
    const spends = await Promise.allSettled([
      stateTokens.spend(stateTokens.digest(token)),
      stateTokens.spend(stateTokens.digest(token)),
    ]);
    expect(spends.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await http().get('/probe/state').set('X-State-Token', token).expect(401);

    const outlived = await stateTokens.issue(user, client.client_id, 'password_warn');
    await http()
      .put(`/admin/users/${user.id}/password`)
      .auth(admin, { type: 'bearer' })
      .send({ password: 'Another-Passw0rd-3' })
      .expect(204);
    await http().get('/probe/state').set('X-State-Token', outlived).expect(401);
  });

  it('should refuse a state token past its five minutes', async () => {
    const admin = await adminToken(app);
    const client = await createApplication(app, admin);
    const created = await createUser(app, admin);
    const user = (await app.get(UsersService).findById(created.user_id))!;
    const stateTokens = app.get(StateTokenService);
    const start = Date.now();
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setInterval', 'setTimeout'] });
    try {
      jest.setSystemTime(start);
      const token = await stateTokens.issue(user, client.client_id, 'password_expired');
      jest.setSystemTime(start + (STATE_TOKEN_TTL_SECONDS - 5) * 1000);
      await http().get('/probe/state').set('X-State-Token', token).expect(200);
      jest.setSystemTime(start + (STATE_TOKEN_TTL_SECONDS + 1) * 1000);
      await http().get('/probe/state').set('X-State-Token', token).expect(401);
    } finally {
      jest.useRealTimers();
    }
  });
});
