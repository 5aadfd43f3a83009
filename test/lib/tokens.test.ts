/** Token verification keeps verified tokens briefly (lib/platform/auth/tokens.ts), never past what the token allows; secrets compare in constant time (lib/platform/auth/http.ts). */
import { expect } from 'chai';
import { SignJWT } from 'jose';
import { sameSecret } from '../../lib/platform/auth/http';
import { createTokenVerifier, VERIFIED_TOKEN_TTL_MS } from '../../lib/platform/auth/tokens';
import { TEST_AUTH, tokenFor } from '../support/auth';

const bearer = (token: string) => `Bearer ${token}`;

/** A token issued `issuedAgoS` seconds ago, expiring `expiresInS` seconds from now (both as of the real clock). */
function tokenWith(issuedAgoS: number, expiresInS: number): Promise<string> {
  const nowS = Math.floor(Date.now() / 1000);
  return new SignJWT({ aws: { accountIds: ['111122223333'] } })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('clock-test')
    .setIssuer(TEST_AUTH.issuer)
    .setAudience(TEST_AUTH.audience)
    .setIssuedAt(nowS - issuedAgoS)
    .setExpirationTime(nowS + expiresInS)
    .sign(new TextEncoder().encode(TEST_AUTH.jwtSecret!));
}

describe('verified tokens', () => {
  it('answers a token seen before with the same principal, which nobody can change', async () => {
    const verify = createTokenVerifier(TEST_AUTH);
    const token = await tokenFor({ aws: { accountIds: ['111122223333'] } }, 'alice');
    const first = await verify(bearer(token));
    const again = await verify(bearer(token));
    expect(again).to.equal(first);
    expect(first).to.deep.equal({ subject: 'alice', awsAccountIds: ['111122223333'], azureRoleAssignments: [] });
    expect(() => (first.awsAccountIds as string[]).push('999999999999')).to.throw(TypeError);
    expect(() => ((first as any).subject = 'mallory')).to.throw(TypeError);
  });

  it('never trusts a verified token past its expiry or its maximum age', async () => {
    let clock = Date.now();
    const verify = createTokenVerifier(TEST_AUTH, () => clock);
    const shortLived = await tokenWith(0, 30);
    expect((await verify(bearer(shortLived))).subject).to.equal('clock-test');
    // Within the keep time (60 s) but past the token's exp (30 s): refused.
    clock += 31_000;
    expect(await verify(bearer(shortLived)).then(() => 'accepted', (e: Error) => e.message)).to.equal('The token has expired.');

    clock = Date.now();
    const old = await tokenWith(24 * 3600 - 10, 3600);
    expect((await verify(bearer(old))).subject).to.equal('clock-test');
    clock += 11_000;
    expect(await verify(bearer(old)).then(() => 'accepted', (e: Error) => e.message)).to.match(/has expired|older than 24h/);
  });

  it('keeps a verified token no longer than the keep time', async () => {
    let clock = Date.now();
    const verify = createTokenVerifier(TEST_AUTH, () => clock);
    const token = await tokenWith(0, 3600);
    const first = await verify(bearer(token));
    clock += VERIFIED_TOKEN_TTL_MS - 1;
    expect(await verify(bearer(token))).to.equal(first);
    clock += 2;
    // Verified again: an equal principal, but a new object.
    const renewed = await verify(bearer(token));
    expect(renewed).to.deep.equal(first);
    expect(renewed).to.not.equal(first);
  });
});

describe('comparing secrets', () => {
  it('tells equal secrets from different ones whatever their lengths, without throwing', () => {
    const secret = 'a-gateway-secret-of-thirty-two-chars!';
    expect(sameSecret(secret, secret)).to.equal(true);
    expect(sameSecret(['a-gateway-secret', '-of-thirty-two-chars!'].join(''), secret)).to.equal(true);
    for (const other of ['', 'a', secret.slice(0, -1), `${secret}x`, secret.toUpperCase(), 'é'.repeat(secret.length)]) {
      expect(sameSecret(other, secret), JSON.stringify(other)).to.equal(false);
      expect(sameSecret(secret, other), JSON.stringify(other)).to.equal(false);
    }
  });
});
