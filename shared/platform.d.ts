// The web-platform APIs shared/ may use: the members it needs of what both of its runtimes provide
// (Node 24 in main, Chromium in the renderer; all are in the WinterTC minimum common API). shared/
// compiles with neither Node's types nor the DOM, so a Node-only or browser-only API fails the type check
// here instead of at run time in the other process. Add a member only when both runtimes have it.
// Globals are declared with `var`, as TypeScript's own lib files do: only `var` puts them on globalThis.
/* eslint-disable no-var */

interface URL {
  readonly href: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly username: string;
  readonly password: string;
}
declare var URL: { prototype: URL; new (url: string, base?: string | URL): URL };

interface TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };

interface TextDecoder {
  decode(input?: ArrayBufferView): string;
}
declare var TextDecoder: { prototype: TextDecoder; new (label?: string): TextDecoder };

interface Crypto {
  getRandomValues<T extends ArrayBufferView>(array: T): T;
}
declare var crypto: Crypto;

declare function structuredClone<T>(value: T): T;
