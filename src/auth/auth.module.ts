import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApplicationsModule } from '../applications/applications.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { KeysModule } from '../keys/keys.module';
import { UsersModule } from '../users/users.module';
import { GrantRegistry } from './grants/grant-handler';
import { ClientCredentialsGrant, PasswordGrant, RefreshTokenGrant } from './grants/standard-grants';
import { AuthenticationGuard } from './guards/authentication.guard';
import { OAuth2Controller } from './oauth2.controller';
import { OpaqueToken } from './sessions/opaque-token.entity';
import { RefreshToken } from './sessions/refresh-token.entity';
import { Session } from './sessions/session.entity';
import { AuthTokenHeaderStrategy } from './strategies/auth-token-header.strategy';
import { BearerJwtStrategy } from './strategies/bearer-jwt.strategy';
import { ClientBasicStrategy } from './strategies/client-basic.strategy';
import { TokenService } from './tokens/token.service';
import { WellKnownController } from './well-known.controller';

/** Tokens, sessions, Passport strategies and the global default-deny guard. */
@Module({
  imports: [
    PassportModule,
    TypeOrmModule.forFeature([Session, RefreshToken, OpaqueToken]),
    KeysModule,
    UsersModule,
    ApplicationsModule,
    CredentialsModule,
  ],
  controllers: [OAuth2Controller, WellKnownController],
  providers: [
    TokenService,
    GrantRegistry,
    ClientCredentialsGrant,
    PasswordGrant,
    RefreshTokenGrant,
    BearerJwtStrategy,
    ClientBasicStrategy,
    AuthTokenHeaderStrategy,
    AuthenticationGuard,
    { provide: APP_GUARD, useExisting: AuthenticationGuard },
  ],
  exports: [TokenService, GrantRegistry, AuthenticationGuard],
})
export class AuthModule {}
