import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, ValidateIf } from 'class-validator';
import { USER_ROLES } from '../user.entity';

/**
 * The `roles` field of the admin API's user bodies: only an administrator sets roles, and only
 * `admin` exists for now (it lets the user's tokens carry the `admin` scope, where the client may
 * grant it). Not nullable: `[]` removes every role.
 */
export const UserRolesField = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      type: [String],
      enum: USER_ROLES,
      example: ['admin'],
      description:
        "Roles; `admin` lets the user's tokens carry the `admin` scope at clients allowed to grant it",
    }),
    // Absent is fine; null is not (unlike IsOptional, which would let it through).
    ValidateIf((_body, value) => value !== undefined),
    IsArray(),
    ArrayMaxSize(USER_ROLES.length),
    IsIn(USER_ROLES, { each: true }),
  );
