import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminKeysController } from './admin-keys.controller';
import { KeyDerivationService } from './key-derivation.service';
import { SecretDigestService } from './secret-digest.service';
import { RsaSigningKey } from './rsa-signing-key.entity';
import { SigningKey } from './signing-key.entity';
import { SigningKeyService } from './signing-key.service';

/**
 * Server key material: keys derived from `SECRET_KEY` (never stored) and the signing keys, shared
 * by every replica through the database and sealed under a key derived from `SECRET_KEY`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKey, RsaSigningKey])],
  controllers: [AdminKeysController],
  providers: [KeyDerivationService, SecretDigestService, SigningKeyService],
  exports: [SecretDigestService, SigningKeyService],
})
export class KeysModule {}
