import type { Response } from 'express';

/**
 * The slice of Express's `Response` that header builders use — `append`, `setHeader`,
 * `getHeader` — with Express's semantics: `append` adds to a header, `setHeader` replaces it,
 * names are case-insensitive.
 */
export class FakeResponse {
  private readonly headers = new Map<string, string | string[]>();

  /** This object typed as an Express response, for code that takes one. */
  get express(): Response {
    return this as unknown as Response;
  }

  append(name: string, value: string | string[]): this {
    const key = name.toLowerCase();
    const previous = this.headers.get(key);
    this.headers.set(
      key,
      previous === undefined ? value : [...toArray(previous), ...toArray(value)],
    );
    return this;
  }

  setHeader(name: string, value: string | string[]): this {
    this.headers.set(name.toLowerCase(), value);
    return this;
  }

  getHeader(name: string): string | string[] | undefined {
    return this.headers.get(name.toLowerCase());
  }

  /** Every value of a header, in the order they were added. */
  values(name: string): string[] {
    return toArray(this.getHeader(name));
  }
}

function toArray(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value];
}
