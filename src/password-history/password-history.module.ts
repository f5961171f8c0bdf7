import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HashingModule } from '../hashing/hashing.module';
import { PolicyModule } from '../policy/policy.module';
import { UsersModule } from '../users/users.module';
import { AdminPasswordHistoryController } from './admin-password-history.controller';
import { PasswordHistoryEntry } from './password-history-entry.entity';
import { PasswordHistoryService } from './password-history.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([PasswordHistoryEntry]),
    HashingModule,
    PolicyModule,
    UsersModule,
  ],
  controllers: [AdminPasswordHistoryController],
  providers: [PasswordHistoryService],
  exports: [PasswordHistoryService],
})
export class PasswordHistoryModule {}
