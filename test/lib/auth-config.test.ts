/** Production refuses development settings and short secrets, naming every problem at once (lib/platform/auth/config.ts). */
import { expect } from 'chai';
import { AuthConfigError, DEFAULT_AUDIENCE, DEFAULT_ISSUER, DEV_GATEWAY_SECRET, DEV_JWT_SECRET, loadAuthConfig, productionProblems } from '../../lib/platform/auth/config';

const GOOD = {
  NODE_ENV: 'production',
  AUTH_JWT_SECRET: 'k'.repeat(32),
  GATEWAY_SECRET: 'g'.repeat(32),
  AUTH_ISSUER: 'https://login.example.com/',
  AUTH_AUDIENCE: 'credits-api',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadAuthConfig(env);
    return [];
  } catch (error) {
    expect(error).to.be.instanceOf(AuthConfigError);
    return (error as AuthConfigError).problems;
  }
}

describe('authentication settings', () => {
  it('works without any setting in development', () => {
    const config = loadAuthConfig({});
    expect(config).to.deep.include({ jwtSecret: DEV_JWT_SECRET, gatewaySecret: DEV_GATEWAY_SECRET, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE, production: false });
  });

  it('starts in production with real values (32-character secrets, own issuer and audience)', () => {
    expect(loadAuthConfig(GOOD)).to.deep.equal({
      jwtSecret: GOOD.AUTH_JWT_SECRET,
      jwksUrl: null,
      issuer: GOOD.AUTH_ISSUER,
      audience: GOOD.AUTH_AUDIENCE,
      gatewaySecret: GOOD.GATEWAY_SECRET,
      production: true,
    });
    const jwks = { ...GOOD, AUTH_JWT_SECRET: undefined, AUTH_JWKS_URL: 'https://login.example.com/.well-known/jwks.json' };
    expect(loadAuthConfig(jwks)).to.deep.include({ jwtSecret: null, jwksUrl: jwks.AUTH_JWKS_URL });
  });

  it('refuses production with nothing set, naming every missing setting in one message', () => {
    let message = '';
    try {
      loadAuthConfig({ NODE_ENV: 'production' });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['AUTH_JWT_SECRET', 'GATEWAY_SECRET', 'AUTH_ISSUER', 'AUTH_AUDIENCE']) expect(message).to.contain(`${name} must be set`);
    expect(message).to.match(/^Refusing to start in production/);
  });

  it('refuses a one-character or 31-character secret, the development secrets and the development issuer and audience', () => {
    expect(problemsOf({ ...GOOD, GATEWAY_SECRET: 'x' })).to.deep.equal(['GATEWAY_SECRET must be at least 32 characters (it has 1)']);
    expect(problemsOf({ ...GOOD, AUTH_JWT_SECRET: 'k'.repeat(31) })).to.deep.equal(['AUTH_JWT_SECRET must be at least 32 characters (it has 31)']);
    expect(
      problemsOf({ NODE_ENV: 'production', AUTH_JWT_SECRET: DEV_JWT_SECRET, GATEWAY_SECRET: DEV_GATEWAY_SECRET, AUTH_ISSUER: DEFAULT_ISSUER, AUTH_AUDIENCE: DEFAULT_AUDIENCE }),
    ).to.deep.equal([
      'AUTH_JWT_SECRET is the development secret; set a secret of your own',
      'GATEWAY_SECRET is the development secret; set a secret of your own',
      `AUTH_ISSUER must not be the development value "${DEFAULT_ISSUER}"`,
      `AUTH_AUDIENCE must not be the development value "${DEFAULT_AUDIENCE}"`,
    ]);
  });

  it('refuses one secret used as both the token key and the gateway secret', () => {
    expect(problemsOf({ ...GOOD, GATEWAY_SECRET: GOOD.AUTH_JWT_SECRET })).to.deep.equal([
      'GATEWAY_SECRET must differ from AUTH_JWT_SECRET (whoever holds one must not be able to sign tokens)',
    ]);
  });

  it('asks no token secret of an identity provider\'s keys, but still the gateway secret', () => {
    expect(problemsOf({ ...GOOD, AUTH_JWT_SECRET: undefined, AUTH_JWKS_URL: 'https://login.example.com/jwks', GATEWAY_SECRET: 'short' })).to.deep.equal([
      'GATEWAY_SECRET must be at least 32 characters (it has 5)',
    ]);
  });

  it('takes an identity provider\'s keys in production only over https', () => {
    const env = { NODE_ENV: 'production', GATEWAY_SECRET: 'g'.repeat(40), AUTH_ISSUER: 'https://idp.example.com', AUTH_AUDIENCE: 'credits-prod' };
    expect(productionProblems({ ...env, AUTH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json' })).to.deep.equal([]);
    expect(productionProblems({ ...env, AUTH_JWKS_URL: 'http://idp.example.com/jwks' })).to.deep.equal(['AUTH_JWKS_URL must be an https:// URL, got "http://idp.example.com/jwks"']);
  });
});
