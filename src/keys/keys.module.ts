import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeyMaterial } from './key-material.entity';
import { SecretDigestService } from './secret-digest.service';
import { SigningKey } from './signing-key.entity';
import { SigningKeyService } from './signing-key.service';

/** Server key material shared by every replica through the database. */
@Module({
  imports: [TypeOrmModule.forFeature([KeyMaterial, SigningKey])],
  providers: [SecretDigestService, SigningKeyService],
  exports: [SecretDigestService, SigningKeyService],
})
export class KeysModule {}
