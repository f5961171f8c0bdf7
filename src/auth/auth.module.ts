import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApplicationsModule } from '../applications/applications.module';
import { KeysModule } from '../keys/keys.module';
import { UsersModule } from '../users/users.module';
import { FormAccessTokenMiddleware } from './form-access-token.middleware';
import { GrantRegistry } from './grants/grant-handler';
import { ClientCredentialsGrant, RefreshTokenGrant } from './grants/standard-grants';
import { AuthenticationGuard } from './guards/authentication.guard';
import { OAuth2Controller } from './oauth2.controller';
import { AuthSchemeRegistry } from './schemes/auth-scheme';
import {
  AuthTokenScheme,
  BearerAuthScheme,
  ClientAuthScheme,
  StateTokenScheme,
} from './schemes/core-auth-schemes';
import { OpaqueToken } from './sessions/opaque-token.entity';
import { RefreshToken } from './sessions/refresh-token.entity';
import { Session } from './sessions/session.entity';
import { StateToken } from './sessions/state-token.entity';
import { AuthTokenHeaderStrategy } from './strategies/auth-token-header.strategy';
import { BearerJwtStrategy } from './strategies/bearer-jwt.strategy';
import { ClientBasicStrategy } from './strategies/client-basic.strategy';
import { StateTokenService } from './tokens/state-token.service';
import { TokenService } from './tokens/token.service';
import { WellKnownController } from './well-known.controller';

/**
 * Tokens, sessions, the auth-scheme and grant registries, and the global default-deny guard.
 * Flows that issue tokens (password and one-time-code sign-in) register their grants from their
 * own modules, so auth imports no flow.
 */
@Module({
  imports: [
    PassportModule,
    TypeOrmModule.forFeature([Session, RefreshToken, OpaqueToken, StateToken]),
    KeysModule,
    UsersModule,
    ApplicationsModule,
  ],
  controllers: [OAuth2Controller, WellKnownController],
  providers: [
    TokenService,
    StateTokenService,
    GrantRegistry,
    ClientCredentialsGrant,
    RefreshTokenGrant,
    BearerJwtStrategy,
    ClientBasicStrategy,
    AuthTokenHeaderStrategy,
    AuthSchemeRegistry,
    BearerAuthScheme,
    ClientAuthScheme,
    AuthTokenScheme,
    StateTokenScheme,
    AuthenticationGuard,
    { provide: APP_GUARD, useExisting: AuthenticationGuard },
  ],
  exports: [
    TokenService,
    StateTokenService,
    GrantRegistry,
    AuthSchemeRegistry,
    AuthenticationGuard,
  ],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(FormAccessTokenMiddleware)
      .forRoutes({ path: 'oauth2/userinfo', method: RequestMethod.POST });
  }
}
