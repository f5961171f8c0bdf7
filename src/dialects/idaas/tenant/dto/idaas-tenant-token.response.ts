import { ApiProperty } from '@nestjs/swagger';

/** The tenant access token, in the vendor's shape (lower-case `bearer`, scope `all`). */
export class IdaasTenantTokenResponse {
  @ApiProperty({ description: 'Send as `Authorization: Bearer {access_token}`' })
  access_token!: string;

  @ApiProperty({ enum: ['bearer'], example: 'bearer' })
  token_type!: 'bearer';

  @ApiProperty({ example: 1800, description: 'Seconds' })
  expires_in!: number;

  @ApiProperty({ enum: ['all'], example: 'all' })
  scope!: 'all';
}
