import { Column, type ColumnOptions } from 'typeorm';

/** A UTC timestamp with millisecond precision, identical on SQLite and MySQL. */
export const TimestampColumn = (name: string, options: ColumnOptions = {}): PropertyDecorator =>
  Column({ name, type: 'datetime', precision: 3, ...options });
