import { ApiProperty } from '@nestjs/swagger';

/** Seed 002's success body, also the answer to creating a user. */
export class IdaasTenantUserIdResponse {
  @ApiProperty({ example: '20201028102749564-9082-DC8CD2722', description: 'User ID' })
  user_id!: string;
}
