/** In-flight sharing of identical reads (lib/platform/inflight.ts), with a fetch that answers when told to. */
import { expect } from 'chai';
import { FetchFunction, isGraphqlQueryBody, sharingInflight } from '../../lib/platform/inflight';

/** A fake fetch: records every request it gets and answers each when the test releases it. */
function controlledFetch() {
  const calls: { url: string; init?: RequestInit; answer(status: number, body: string): void; fail(error: Error): void }[] = [];
  const fetchImpl: FetchFunction = (url, init) =>
    new Promise<Response>((resolve, reject) => {
      calls.push({ url: String(url), init, answer: (status, body) => resolve(new Response(body, { status, headers: { 'x-answer': body } })), fail: reject });
    });
  return { fetchImpl, calls };
}

const read = (body: string, token = 'a', extra: RequestInit = {}): RequestInit => ({
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body,
  ...extra,
});

describe('in-flight sharing of identical reads', () => {
  it('sends identical concurrent requests once and gives every caller its own response', async () => {
    const { fetchImpl, calls } = controlledFetch();
    const shared = sharingInflight(fetchImpl, () => true);
    const pending = [1, 2, 3].map(() => shared('http://sub/graphql', read('{"query":"query A{a}"}')));
    expect(calls).to.have.length(1);
    calls[0].answer(200, '{"data":{"a":1}}');
    const responses = await Promise.all(pending);
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(bodies).to.deep.equal([{ data: { a: 1 } }, { data: { a: 1 } }, { data: { a: 1 } }]);
    // Separate objects: one caller changing its copy changes nobody else's.
    (bodies[0] as any).data.a = 2;
    expect((bodies[1] as any).data.a).to.equal(1);
    expect(responses.map((r) => [r.status, r.headers.get('x-answer')])).to.deep.equal([[200, '{"data":{"a":1}}'], [200, '{"data":{"a":1}}'], [200, '{"data":{"a":1}}']]);
    expect(shared.stats).to.deep.equal({ sent: 1, shared: 2 });
  });

  it('never shares across callers, bodies, URLs, or requests it is told not to share', async () => {
    const { fetchImpl, calls } = controlledFetch();
    const shared = sharingInflight(fetchImpl, (_url, init) => !String(init?.body).includes('mutation'));
    const pending = [
      shared('http://sub/graphql', read('{"query":"query A{a}"}', 'alice')),
      shared('http://sub/graphql', read('{"query":"query A{a}"}', 'bob')),
      shared('http://sub/graphql', read('{"query":"query B{b}"}', 'alice')),
      shared('http://other/graphql', read('{"query":"query A{a}"}', 'alice')),
      shared('http://sub/graphql', read('{"query":"mutation M{m}"}', 'alice')),
      shared('http://sub/graphql', read('{"query":"mutation M{m}"}', 'alice')),
    ];
    expect(calls).to.have.length(6);
    calls.forEach((c, i) => c.answer(200, String(i)));
    expect(await Promise.all(pending.map(async (p) => (await p).text()))).to.deep.equal(['0', '1', '2', '3', '4', '5']);
  });

  it('keeps nothing once answered: the next identical request is sent again', async () => {
    const { fetchImpl, calls } = controlledFetch();
    const shared = sharingInflight(fetchImpl, () => true);
    const first = shared('http://sub/graphql', read('{"query":"query A{a}"}'));
    calls[0].answer(200, 'old');
    expect(await (await first).text()).to.equal('old');
    const second = shared('http://sub/graphql', read('{"query":"query A{a}"}'));
    expect(calls).to.have.length(2);
    calls[1].answer(200, 'new');
    expect(await (await second).text()).to.equal('new');
  });

  it('hands a failure to every waiting caller, and an error status as it came', async () => {
    const { fetchImpl, calls } = controlledFetch();
    const shared = sharingInflight(fetchImpl, () => true);
    const failing = [1, 2].map(() => shared('http://sub/graphql', read('x')));
    calls[0].fail(new Error('connection refused'));
    for (const p of failing) {
      const error = await p.then(() => null, (e: Error) => e);
      expect(error?.message).to.equal('connection refused');
    }
    const erroring = [1, 2].map(() => shared('http://sub/graphql', read('y')));
    calls[1].answer(503, 'unavailable');
    for (const p of erroring) {
      const r = await p;
      expect([r.status, r.ok, await r.text()]).to.deep.equal([503, false, 'unavailable']);
    }
  });

  it('lets one caller give up without failing the others', async () => {
    const { fetchImpl, calls } = controlledFetch();
    const shared = sharingInflight(fetchImpl, () => true);
    const controller = new AbortController();
    const impatient = shared('http://sub/graphql', read('z', 'a', { signal: controller.signal }));
    const patient = shared('http://sub/graphql', read('z'));
    // The shared request does not carry the first caller's signal.
    expect(calls[0].init?.signal).to.equal(undefined);
    controller.abort(new Error('gave up'));
    expect((await impatient.then(() => null, (e: Error) => e))?.message).to.equal('gave up');
    calls[0].answer(200, 'late');
    expect(await (await patient).text()).to.equal('late');
  });

  it('gives the shared request its own timeout when one is set', async () => {
    const { fetchImpl, calls } = controlledFetch();
    const shared = sharingInflight(fetchImpl, () => true, { timeoutMs: 5000 });
    void shared('http://sub/graphql', read('t')).catch(() => undefined);
    expect(calls[0].init?.signal).to.be.instanceOf(AbortSignal);
    calls[0].answer(200, '');
  });

  it('never lets a read join one that started before a write started or answered', async () => {
    const { fetchImpl, calls } = controlledFetch();
    const isRead = (_url: string | URL, init: RequestInit | undefined) => !String(init?.body).startsWith('write');
    const shared = sharingInflight(fetchImpl, isRead);
    const before = shared('http://sub/graphql', read('r'));
    const write = shared('http://sub/graphql', read('write pause'));
    // Sent while the write is on its way: a request of its own.
    const during = shared('http://sub/graphql', read('r'));
    expect(calls).to.have.length(3);
    calls[1].answer(200, 'paused');
    await write;
    // Sent after the write answered: neither older read is joined.
    const after = shared('http://sub/graphql', read('r'));
    expect(calls).to.have.length(4);
    calls[0].answer(200, 'active');
    calls[2].answer(200, 'either');
    calls[3].answer(200, 'paused');
    expect(await Promise.all([before, during, after].map(async (p) => (await p).text()))).to.deep.equal(['active', 'either', 'paused']);
  });

  it('does not join a read older than the age limit, so a hung subgraph does not catch later requests', async () => {
    const { fetchImpl, calls } = controlledFetch();
    const shared = sharingInflight(fetchImpl, () => true, { maxShareAgeMs: 30 });
    const hung = shared('http://sub/graphql', read('h'));
    const young = shared('http://sub/graphql', read('h'));
    expect(calls).to.have.length(1);
    await new Promise((r) => setTimeout(r, 50));
    const late = shared('http://sub/graphql', read('h'));
    expect(calls).to.have.length(2);
    calls[1].answer(200, 'fresh');
    expect(await (await late).text()).to.equal('fresh');
    calls[0].answer(200, 'slow');
    expect(await Promise.all([hung, young].map(async (p) => (await p).text()))).to.deep.equal(['slow', 'slow']);
  });

  it('recognises GraphQL queries, and only queries, by their body', () => {
    expect(isGraphqlQueryBody({ body: '{"query":"query Page__aws__1($r:[_Any!]!){_entities(representations:$r){__typename}}","variables":{}}' })).to.equal(true);
    expect(isGraphqlQueryBody({ body: '{"query":"{ awsAccounts { nodes { accountId } } }"}' })).to.equal(true);
    expect(isGraphqlQueryBody({ body: '{"query":"mutation Pause__aws__0{pause}"}' })).to.equal(false);
    expect(isGraphqlQueryBody({ body: '{"query":"subscription S{s}"}' })).to.equal(false);
    expect(isGraphqlQueryBody({ body: '{"variables":{},"query":"query A{a}"}' })).to.equal(false);
    expect(isGraphqlQueryBody({})).to.equal(false);
  });
});
