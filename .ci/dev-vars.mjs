import { readFileSync } from 'node:fs';

/** The variables `npm run dev` wrote to .dev.vars (secrets, the seeded admin's password), for the demo scripts. */
export function readDevVars() {
  return Object.fromEntries(
    readFileSync(new URL('../.dev.vars', import.meta.url), 'utf8')
      .split('\n')
      .map((l) => /^([A-Z_0-9]+)=(.*)$/.exec(l))
      .filter(Boolean)
      .map((m) => [m[1], m[2].replace(/^"|"$/g, '')]),
  );
}
