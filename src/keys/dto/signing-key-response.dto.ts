import { ApiProperty } from '@nestjs/swagger';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../signing-key.service';

/** A signing key as the admin API shows it: never the private key. */
export class SigningKeyResponseDto {
  @ApiProperty({ example: '5f0c3c8e-8a43-4d7b-9a0e-2b7f1c9d4e21' }) kid!: string;
  @ApiProperty({ enum: SIGNING_ALGORITHMS, example: 'ES256' }) algorithm!: SigningAlgorithm;
  @ApiProperty({ example: '2026-11-23T08:00:00.000Z' }) created_at!: string;
}

/** The keys a rotation added: one per algorithm. */
export class RotatedSigningKeysResponseDto {
  @ApiProperty({ type: [SigningKeyResponseDto] }) keys!: SigningKeyResponseDto[];
}
