/**
 * `npm run token -- <persona>`: prints a development token for a demo persona, for the
 * Authorization header in Apollo Sandbox or curl. Without a persona it lists them. Refused with
 * NODE_ENV=production: there, tokens come from the identity provider, never from this script.
 */
import { isProduction, loadAuthConfig } from '../lib/platform/auth/config';
import { findPersona, PERSONAS, personaToken } from '../lib/platform/auth/personas';
import { runScript } from '../lib/platform/cli';

async function main(): Promise<number> {
  if (isProduction()) {
    console.error(
      'npm run token signs development tokens for the demo personas and is refused in production (NODE_ENV=production): ' +
        'tokens for production come from your identity provider (AUTH_ISSUER, signed with AUTH_JWT_SECRET or the keys at AUTH_JWKS_URL).',
    );
    return 1;
  }
  const name = process.argv[2];
  const persona = name ? findPersona(name) : undefined;
  if (!persona) {
    if (name) console.error(`No persona "${name}".`);
    console.error('usage: npm run token -- <persona>\n\npersonas:');
    for (const p of PERSONAS) console.error(`  ${p.name.padEnd(22)} ${p.description}`);
    return name ? 1 : 2;
  }
  console.log(await personaToken(loadAuthConfig(), persona));
  return 0;
}

runScript(main);
