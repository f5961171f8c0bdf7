import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PolicyModule } from '../policy/policy.module';
import { AdminUsersController } from './admin-users.controller';
import { User } from './user.entity';
import { UserPresenter } from './user.presenter';
import { RedisConnection } from '../redis/redis.connection';
import { DatabasePasswordAttempts } from './database-password-attempts';
import { PASSWORD_ATTEMPTS, type PasswordAttempts } from './password-attempts';
import { RedisPasswordAttempts } from './redis-password-attempts';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), PolicyModule],
  controllers: [AdminUsersController],
  providers: [
    UsersService,
    UserPresenter,
    {
      // Redis when REDIS_URL is set, else the user's row: decided once, at start.
      provide: PASSWORD_ATTEMPTS,
      inject: [UsersService, RedisConnection],
      useFactory: (users: UsersService, redis: RedisConnection): PasswordAttempts =>
        redis.client
          ? new RedisPasswordAttempts(redis.client, users)
          : new DatabasePasswordAttempts(users),
    },
  ],
  exports: [UsersService, UserPresenter, PASSWORD_ATTEMPTS],
})
export class UsersModule {}
