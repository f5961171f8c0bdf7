import { IsString, validateSync } from 'class-validator';
import { Optional, OptionalNullable } from './optional.decorator';

class Probe {
  @Optional()
  @IsString()
  required_when_sent?: string;

  @OptionalNullable()
  @IsString()
  clearable?: string | null;
}

const problems = (input: Partial<Record<keyof Probe, unknown>>): Record<string, string[]> =>
  Object.fromEntries(
    validateSync(Object.assign(new Probe(), input)).map((e) => [
      e.property,
      Object.values(e.constraints ?? {}),
    ]),
  );

describe(Optional.name, () => {
  it('should accept the field left out', () => {
    expect(problems({})).toEqual({});
  });

  it('should validate a sent value', () => {
    expect(problems({ required_when_sent: 'x' })).toEqual({});
    expect(problems({ required_when_sent: 1 })).toEqual({
      required_when_sent: ['required_when_sent must be a string'],
    });
  });

  it('should refuse null with the field’s own message', () => {
    expect(problems({ required_when_sent: null })).toEqual({
      required_when_sent: ['required_when_sent must be a string'],
    });
  });
});

describe(OptionalNullable.name, () => {
  it('should accept the field left out or null', () => {
    expect(problems({ clearable: null })).toEqual({});
  });

  it('should validate any other value', () => {
    expect(problems({ clearable: 7 })).toEqual({ clearable: ['clearable must be a string'] });
  });
});
