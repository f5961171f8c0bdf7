import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * The field may be left out; when it is sent, its validators run, on `null` too, so `null` gets
 * the field's own message ("password must be a string"). Use it instead of class-validator's
 * `@IsOptional()`, which also skips `null` and so lets `"password": null` reach a service that
 * expects a string.
 */
export const Optional = (options?: ValidationOptions): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined, options);

/**
 * For a field documented as nullable (`null` clears it, e.g. PATCH /admin/users `email`): it may
 * be left out or be `null`; any other value must pass its validators. Pair it with
 * `@ApiPropertyOptional({ nullable: true, type: … })`.
 */
export const OptionalNullable = (options?: ValidationOptions): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined && value !== null, options);
