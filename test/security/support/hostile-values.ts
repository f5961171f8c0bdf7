import fc from 'fast-check';

/** A JSON text; bodies are sent as text so that keys like `__proto__` reach the parser as sent. */
export type JsonText = string;

/** Keys that pollute prototypes when a body is merged or assigned naively. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Strings that break naive normalisation, comparison, logging or path handling. */
const UNICODE_ODDITIES = [
  '\u0000',
  'a\u0000b',
  '\u202eevil',
  'zero\u200bwidth',
  'soft\u00adhyphen',
  '\ufeffbom',
  'ＦＵＬＬＷＩＤＴＨ',
  'e\u0301',
  '\ud800',
  '\udfff\ud800',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '../../../etc/passwd',
  '%00%2e%2e',
  "' OR '1'='1",
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
] as const;

/** `{"__proto__": {...}}`-style objects, written as text so the key is an own property. */
const pollutingObject: fc.Arbitrary<JsonText> = fc
  .tuple(
    fc.constantFrom(...PROTOTYPE_KEYS),
    fc.constantFrom('{"polluted":"yes"}', '{"prototype":{"polluted":"yes"}}', '[]', 'null', '1'),
  )
  .map(([key, value]) => `{"${key}":${value}}`);

/** Nested arrays or objects, tens to a few hundred levels deep. */
const deep: fc.Arbitrary<JsonText> = fc
  .tuple(fc.integer({ min: 8, max: 300 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays
      ? `${'['.repeat(depth)}${']'.repeat(depth)}`
      : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

/** Strings from a few KiB to past the 16 KiB body limit. */
const huge: fc.Arbitrary<JsonText> = fc
  .tuple(fc.integer({ min: 2_000, max: 20_000 }), fc.constantFrom('x', 'Ω', '漢', '😀'))
  .map(([length, unit]) => JSON.stringify(unit.repeat(length)));

const oddString: fc.Arbitrary<JsonText> = fc
  .oneof(fc.constantFrom(...UNICODE_ODDITIES), fc.string({ unit: 'binary', maxLength: 40 }))
  .map((value) => JSON.stringify(value));

const json = (arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<JsonText> =>
  arbitrary.map((value) => JSON.stringify(value));

/** The kinds of JSON value a field can wrongly hold. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null';

/** Hostile values of each kind, as JSON text. */
const BY_KIND: Record<ValueKind, fc.Arbitrary<JsonText>> = {
  string: fc.oneof(oddString, huge),
  number: fc.oneof(
    json(fc.double({ noNaN: true, noDefaultInfinity: true })),
    fc.constantFrom('-1', '0', '1.5', '1e308', '-1e308', '9007199254740993', '1e-320'),
  ),
  boolean: json(fc.boolean()),
  array: fc.oneof(
    json(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 })),
    deep.filter((text) => text.startsWith('[')),
  ),
  object: fc.oneof(
    json(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })),
    pollutingObject,
    deep.filter((text) => text.startsWith('{')),
  ),
  null: fc.constant('null'),
};

/** A hostile value of any kind but `allowed` (so that it is wrong for the field it replaces). */
export function hostileValue(allowed: readonly ValueKind[]): fc.Arbitrary<JsonText> {
  return fc.oneof(
    ...(Object.keys(BY_KIND) as ValueKind[])
      .filter((kind) => !allowed.includes(kind))
      .map((kind) => BY_KIND[kind]),
  );
}

/**
 * A whole hostile body: any JSON value but an object, or an object whose keys are all unknown to
 * the route (prototype keys included), or a deep or huge document.
 */
export function hostileBody(knownKeys: readonly string[]): fc.Arbitrary<JsonText> {
  const anything = hostileValue([]);
  const key = fc
    .oneof(
      fc.constantFrom(...PROTOTYPE_KEYS, 'hasOwnProperty', 'toString', 'valueOf'),
      fc.string({ maxLength: 12 }),
    )
    .filter((k) => !knownKeys.includes(k));
  const unknownKeys = fc
    .uniqueArray(fc.tuple(key, anything), { minLength: 1, maxLength: 4, selector: ([k]) => k })
    .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);
  return fc.oneof(
    hostileValue(['object']),
    unknownKeys,
    deep,
    json(fc.jsonValue({ maxDepth: 3 })).filter((text) => !text.startsWith('{')),
  );
}

/**
 * `template` with the leaf at one of `fields` (dotted paths) replaced by a value of a wrong kind,
 * as JSON text. `kinds` gives the kinds each field may legitimately hold.
 */
export function mutatedTemplate(
  template: Record<string, unknown>,
  fields: Readonly<Record<string, readonly ValueKind[]>>,
): fc.Arbitrary<{ field: string; body: JsonText }> {
  return fc.constantFrom(...Object.keys(fields)).chain((field) =>
    hostileValue(fields[field]).map((value) => ({
      field,
      body: replaceAt(template, field, value),
    })),
  );
}

/** The JSON text of `template` with the value at `path` replaced by the raw JSON `value`. */
function replaceAt(template: Record<string, unknown>, path: string, value: JsonText): JsonText {
  const marker = 'hostile-value-7f3a';
  const copy = JSON.parse(JSON.stringify(template)) as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1)!] = marker;
  return JSON.stringify(copy).replace(JSON.stringify(marker), () => value);
}
