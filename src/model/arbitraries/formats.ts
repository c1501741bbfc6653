import fc from 'fast-check';

/** Email local parts biased towards what servers get wrong: `+` tags, dots, digits. */
const localPart = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/), weight: 4 },
  { arbitrary: fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), fc.stringMatching(/^[a-z0-9]{1,6}$/)).map(([a, b]) => `${a}+${b}`), weight: 2 },
  { arbitrary: fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z]{1,6}$/)).map(([a, b]) => `${a}.${b}`), weight: 1 },
);
const domain = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/), fc.constantFrom('com', 'io', 'example', 'co.uk')).map(([d, tld]) => `${d}.${tld}`);

const BOUNDED_DATE = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });

/**
 * Positive generators for the formats ajv-formats checks, built on first use: constructing
 * `fc.webUrl()` alone costs about 0.6 s, paid by every worker even when no schema has a uri.
 */
const BUILDERS: Record<string, () => fc.Arbitrary<string>> = {
  uuid: () => fc.uuid(),
  email: () => fc.tuple(localPart, domain).map(([l, d]) => `${l}@${d}`),
  uri: () => fc.webUrl(),
  // ajv-formats' `url` is stricter than `uri`: it rejects empty path segments (which fc.webUrl()
  // gives) and a `--` inside a host label.
  url: () =>
    fc
      .tuple(fc.constantFrom('http', 'https'), fc.stringMatching(/^[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4})?\.(com|io|example)$/), fc.array(fc.stringMatching(/^[a-z0-9-]{1,10}$/), { maxLength: 3 }))
      .map(([scheme, host, path]) => `${scheme}://${host}${path.map((p) => `/${p}`).join('')}`),
  'date-time': () => BOUNDED_DATE.map((d) => d.toISOString()),
  date: () => BOUNDED_DATE.map((d) => d.toISOString().slice(0, 10)),
};
const built = new Map<string, fc.Arbitrary<string>>();

export const GENERATED_FORMATS: readonly string[] = Object.keys(BUILDERS);

export function formatArbitrary(format: string): fc.Arbitrary<string> | undefined {
  if (!built.has(format) && Object.hasOwn(BUILDERS, format)) built.set(format, BUILDERS[format]());
  return built.get(format);
}

/** Strings each format rejects (checked by the differential test), for negative mode. */
export const BAD_FORMATS: Record<string, fc.Arbitrary<string>> = {
  uuid: fc.constantFrom('not-a-uuid', '1234', 'g0000000-0000-4000-8000-000000000000', '00000000000040008000000000000000'),
  email: fc.constantFrom('no-at-sign', 'two@@example.com', '@example.com', 'user@'),
  uri: fc.constantFrom('not a uri', '//no-scheme', 'http//missing-colon'),
  url: fc.constantFrom('not a url', '//no-scheme'),
  'date-time': fc.constantFrom('yesterday', '2024-13-01T00:00:00Z', '2024-01-01'),
  date: fc.constantFrom('tomorrow', '2024-02-30', '20240101'),
};
