/**
 * The other routers' configurations in routers/ hold our gateway's settings: the numbers and
 * names they repeat (a YAML file and a config the Hive CLI loads on its own cannot import them)
 * are checked here against the code that defines them. Apollo Router's config is read, not run:
 * the router is a binary this repository does not install.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import YAML from 'yaml';
import { DEV_GATEWAY_SECRET } from '../../lib/platform/auth/config';
import { GATEWAY_SECRET_HEADER } from '../../lib/platform/auth/http';
import { DEFAULT_PROVIDER_TIMEOUT_MS } from '../../lib/platform/config';
import { MAX_PAGE_SIZE } from '../../lib/platform/connection';
import { LIMIT_CODES, QUERY_LIMITS } from '../../lib/platform/query-limits';
import { BODY_LIMIT, CSRF_SAFE_HEADERS } from '../../lib/platform/server';
import { HIVE_LIMIT_CODES, HIVE_LIMITS, SUBGRAPH_URL_VARIABLES, SubgraphUrlError, subgraphLocations } from '../../routers/hive/settings';
import { REPO_ROOT } from '../support/stack';

/** Each subgraph of the committed supergraph and the URL it names. */
function supergraphUrls(): Record<string, string> {
  const sdl = fs.readFileSync(path.join(REPO_ROOT, 'schema', 'supergraph.graphql'), 'utf8');
  return Object.fromEntries([...sdl.matchAll(/@join__graph\(name: "(\w+)", url: "([^"]*)"\)/g)].map((m) => [m[1], m[2]]));
}

/** Apollo Router's expansion of `${env.NAME:-default}` with no variable set. */
function withDefaults(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\{env\.[A-Z_]+:-([^}]*)\}/g, '$1');
  if (Array.isArray(value)) return value.map(withDefaults);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDefaults(v)]));
  return value;
}

describe('routers/hive settings', () => {
  it('are our gateway\'s limits, codes and CSRF headers', () => {
    expect(HIVE_LIMITS).to.deep.equal({
      maxCost: QUERY_LIMITS.maxCost,
      listSize: MAX_PAGE_SIZE,
      maxDepth: QUERY_LIMITS.maxDepth,
      maxAliases: QUERY_LIMITS.maxAliases,
      maxDirectives: QUERY_LIMITS.maxDirectives,
      maxTokens: QUERY_LIMITS.maxTokens,
      csrfHeaders: CSRF_SAFE_HEADERS,
    });
    expect(HIVE_LIMIT_CODES).to.deep.equal({ depth: LIMIT_CODES.depth, aliases: LIMIT_CODES.aliases, directives: LIMIT_CODES.directives, tokens: LIMIT_CODES.tokens });
  });

  it('move exactly the subgraphs whose URL variable is set, and refuse a value that is not an http(s) URL', () => {
    expect(Object.keys(SUBGRAPH_URL_VARIABLES).sort()).to.deep.equal(Object.keys(supergraphUrls()).sort());
    expect(subgraphLocations({})).to.deep.equal({});
    expect(subgraphLocations({ AWS_SUBGRAPH_URL: 'http://aws.internal:8080/graphql', AZURE_SUBGRAPH_URL: '' })).to.deep.equal({
      aws: { location: 'http://aws.internal:8080/graphql' },
    });
    for (const value of ['aws.internal:8080', 'ftp://aws.internal/graphql', 'not a url']) {
      expect(() => subgraphLocations({ AWS_SUBGRAPH_URL: value }), value)
        .to.throw(SubgraphUrlError, `AWS_SUBGRAPH_URL must be the http:// or https:// URL of the aws subgraph's GraphQL endpoint`)
        .with.property('variable', 'AWS_SUBGRAPH_URL');
    }
  });
});

describe('routers/apollo/router.yaml', () => {
  const raw = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'routers', 'apollo', 'router.yaml'), 'utf8'));
  const config = withDefaults(raw) as any;

  it('gives every environment variable it reads a default, so the router starts without any', () => {
    const text = JSON.stringify(raw);
    const expansions = [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
    expect(expansions).to.not.be.empty;
    for (const expansion of expansions) expect(expansion, expansion).to.match(/^env\.[A-Z_]+:-[^}]+$/);
  });

  it('sends each subgraph\'s requests to its URL variable, by default to the URL the supergraph names', () => {
    const urls = supergraphUrls();
    expect(config.override_subgraph_url).to.deep.equal(urls);
    for (const [subgraph, variable] of Object.entries(SUBGRAPH_URL_VARIABLES)) {
      expect(raw.override_subgraph_url[subgraph]).to.equal(`\${env.${variable}:-${urls[subgraph]}}`);
    }
  });

  it('forwards the caller\'s token and adds the gateway secret to every subgraph request', () => {
    expect(raw.headers).to.deep.equal({
      all: {
        request: [
          { propagate: { named: 'authorization' } },
          { insert: { name: GATEWAY_SECRET_HEADER, value: `\${env.GATEWAY_SECRET:-${DEV_GATEWAY_SECRET}}` } },
        ],
      },
    });
  });

  it('applies our gateway\'s limits where the router has them', () => {
    expect(config.csrf).to.deep.equal({ required_headers: CSRF_SAFE_HEADERS });
    expect(config.demand_control).to.deep.equal({
      enabled: true,
      mode: 'enforce',
      strategy: { static_estimated: { list_size: MAX_PAGE_SIZE, max: QUERY_LIMITS.maxCost } },
    });
    expect(BODY_LIMIT).to.equal('1mb');
    expect(config.limits).to.deep.equal({
      max_depth: QUERY_LIMITS.maxDepth,
      max_aliases: QUERY_LIMITS.maxAliases,
      parser_max_tokens: QUERY_LIMITS.maxTokens,
      parser_max_recursion: QUERY_LIMITS.maxNesting,
      http_max_request_bytes: 1024 * 1024,
    });
    // The providers' subgraphs time out as our gateway's calls do; the credits subgraph bounds its own.
    expect(raw.traffic_shaping.subgraphs).to.have.all.keys('aws', 'azure');
    for (const subgraph of ['aws', 'azure']) {
      expect(raw.traffic_shaping.subgraphs[subgraph]).to.deep.equal({ timeout: `\${env.PROVIDER_TIMEOUT_MS:-${DEFAULT_PROVIDER_TIMEOUT_MS}}ms` });
    }
  });

  it('serves /graphql where our gateway does, with the subgraphs\' errors and nothing from a CDN', () => {
    expect(config.supergraph).to.deep.equal({ listen: '127.0.0.1:4000', path: '/graphql', introspection: 'false' });
    expect(config.include_subgraph_errors).to.deep.equal({ all: true });
    expect(config.homepage).to.deep.equal({ enabled: false });
    expect(config.sandbox).to.deep.equal({ enabled: false });
    expect(config.cors).to.deep.equal({ policies: [] });
  });
});
