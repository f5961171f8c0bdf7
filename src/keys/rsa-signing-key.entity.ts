import { Entity } from 'typeorm';
import { SigningKeyColumns } from './signing-key.entity';

/**
 * RS256 keys (ID tokens), in a table apart from `signing_keys`: a release from before RS256 signs
 * with the newest row of `signing_keys`, so during a rolling upgrade it must find ES256 keys only.
 */
@Entity('rsa_signing_keys')
export class RsaSigningKey extends SigningKeyColumns {}
