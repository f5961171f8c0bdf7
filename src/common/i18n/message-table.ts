/** The languages Tessera words messages in; a dialect picks one per request (IDaaS `X-L`). */
export const LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** `zh` when a language tag (`zh`, `zh-CN`, `zh_TW`) names Chinese, else English. */
export function languageOf(tag: string | null | undefined): Language {
  return tag?.trim().toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export type MessageArg = string | number;

/**
 * Fills the vendor-style placeholders `{0}`, `{1}`… with `args`, in one pass (an argument that
 * itself contains `{1}` is not filled again). A placeholder without an argument stays as it is.
 */
export function formatMessage(template: string, args: readonly MessageArg[]): string {
  return template.replace(/\{(\d+)\}/g, (placeholder, index: string) => {
    const arg = args[Number(index)];
    return arg === undefined ? placeholder : String(arg);
  });
}

/**
 * One wording per key of `Params`, built from that key's params. A mapped type, so a table that
 * misses a key (say, a new policy rule) fails to compile.
 */
export type MessageTable<Params> = { readonly [K in keyof Params]: (params: Params[K]) => string };

/** One value per language; a language without one fails to compile. */
export type Localized<T> = { readonly [L in Language]: T };
