import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class HuaweiDomainRef {
  @ApiPropertyOptional({
    example: 'my-domain',
    description: "The user's domain: echoed back, and the only one a scope may name",
  })
  name?: string;

  @ApiPropertyOptional({ example: 'c3a0…' })
  id?: string;
}

class HuaweiPasswordUser {
  @ApiPropertyOptional({ example: 'alice', description: 'Username (or email, or phone number)' })
  name?: string;

  @ApiPropertyOptional({
    example: '0b6c7f5e-2d0a-4a57-9a53-2f6f3c1d9e10',
    description: 'Or the user id',
  })
  id?: string;

  @ApiProperty({ example: 'Correct-Horse-7' })
  password!: string;

  @ApiPropertyOptional({ type: HuaweiDomainRef })
  domain?: HuaweiDomainRef;
}

class HuaweiPasswordMethod {
  @ApiProperty({ type: HuaweiPasswordUser })
  user!: HuaweiPasswordUser;
}

class HuaweiIdentity {
  @ApiProperty({ example: ['password'], type: [String] })
  methods!: string[];

  @ApiProperty({ type: HuaweiPasswordMethod })
  password!: HuaweiPasswordMethod;
}

class HuaweiScopeRef {
  @ApiPropertyOptional({ example: 'cn-north-4' })
  name?: string;

  @ApiPropertyOptional()
  id?: string;
}

class HuaweiProjectScopeRef extends HuaweiScopeRef {
  @ApiPropertyOptional({
    type: HuaweiScopeRef,
    description: "The project's domain: it must be the user's domain, else 401",
  })
  domain?: HuaweiScopeRef;
}

class HuaweiScope {
  @ApiPropertyOptional({ type: HuaweiProjectScopeRef })
  project?: HuaweiProjectScopeRef;

  @ApiPropertyOptional({
    type: HuaweiScopeRef,
    description:
      "The user's own domain (the one named at sign-in, else Default), by id or name; another answers 401",
  })
  domain?: HuaweiScopeRef;
}

class HuaweiAuth {
  @ApiProperty({ type: HuaweiIdentity })
  identity!: HuaweiIdentity;

  @ApiPropertyOptional({ type: HuaweiScope })
  scope?: HuaweiScope;
}

/** `POST /v3/auth/tokens` (Keystone password authentication), for Swagger; parsed by hand. */
export class HuaweiCreateTokenRequest {
  @ApiProperty({ type: HuaweiAuth })
  auth!: HuaweiAuth;
}

class HuaweiPasswordChange {
  @ApiProperty({ example: 'New-Passw0rd-2' })
  password!: string;

  @ApiProperty({ example: 'Correct-Horse-7' })
  original_password!: string;
}

/** Seed 003 request body, for Swagger; parsed by hand so the seed's order of checks holds. */
export class HuaweiChangePasswordRequest {
  @ApiProperty({ type: HuaweiPasswordChange })
  user!: HuaweiPasswordChange;
}

class HuaweiTokenUser {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: HuaweiDomainRef }) domain!: HuaweiDomainRef;
  @ApiProperty({ nullable: true, type: String, example: '2027-02-23T08:00:00.000000Z' })
  password_expires_at!: string | null;
}

class HuaweiToken {
  @ApiProperty({ example: '2026-11-26T08:00:00.000000Z' }) expires_at!: string;
  @ApiProperty({ example: '2026-11-25T08:00:00.000000Z' }) issued_at!: string;
  @ApiProperty({ example: ['password'], type: [String] }) methods!: string[];
  @ApiProperty({ type: [Object], example: [] }) catalog!: unknown[];
  @ApiProperty({ type: [Object], example: [] }) roles!: Array<{ id: string; name: string }>;
  @ApiPropertyOptional({ type: Object }) project?: unknown;
  @ApiPropertyOptional({ type: HuaweiDomainRef }) domain?: HuaweiDomainRef;
  @ApiProperty({ type: HuaweiTokenUser }) user!: HuaweiTokenUser;
}

/** The body of a token answer; the token itself is in the `X-Subject-Token` header. */
export class HuaweiTokenResponse {
  @ApiProperty({ type: HuaweiToken }) token!: HuaweiToken;
}
