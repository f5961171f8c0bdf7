import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PolicyModule } from '../policy/policy.module';
import { AdminUsersController } from './admin-users.controller';
import { User } from './user.entity';
import { UserPresenter } from './user.presenter';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), PolicyModule],
  controllers: [AdminUsersController],
  providers: [UsersService, UserPresenter],
  exports: [UsersService, UserPresenter],
})
export class UsersModule {}
