/**
 * One benchmark service in its own process: `node dist/bench/service.js <role>` with its options
 * as JSON in BENCH_SERVICE (bench/process.ts startService). Tells the parent its URL once it
 * listens, answers its SQL statement count on request, stops on SIGTERM. The services run with
 * the dataset's fixed "now", so statuses are the same on every run.
 */
import 'reflect-metadata';
import type { AuthConfig } from '../lib/auth/config';
import { sqlStatementCount } from '../lib/database';
import { startGateway } from '../gateway';
import { startAwsSubgraph } from '../subgraphs/aws';
import { startAzureSubgraph } from '../subgraphs/azure';
import { startCreditsSubgraph } from '../subgraphs/credits';
import { startApolloStockGateway, startHiveGateway } from './peers';
import type { ServiceOptions, ServiceRole } from './process';

async function start(role: ServiceRole, options: ServiceOptions): Promise<{ url: string; stop(): Promise<void> }> {
  const auth: AuthConfig = { ...options.auth, jwksUrl: null, production: false };
  const now = new Date(options.now);
  const clock = () => now;
  switch (role) {
    case 'aws':
      return startAwsSubgraph({ dataDir: options.dataDir!, port: 0, clock, auth });
    case 'azure':
      return startAzureSubgraph({ dataDir: options.dataDir!, port: 0, clock, auth });
    case 'credits':
      return startCreditsSubgraph({ port: 0, providerUrls: options.subgraphUrls!, auth, clock });
    case 'gateway-ours':
      return startGateway({ port: 0, subgraphUrls: options.subgraphUrls!, auth, clock, supergraphSdl: options.supergraphSdl });
    case 'gateway-apollo':
      return startApolloStockGateway(options.supergraphSdl!, auth.gatewaySecret);
    case 'gateway-hive':
      return startHiveGateway(options.supergraphSdl!, auth.gatewaySecret);
    case 'gateway-hive-nodedup':
      return startHiveGateway(options.supergraphSdl!, auth.gatewaySecret, { deduplicate: false });
    default:
      throw new Error(`unknown service role ${role}`);
  }
}

const role = process.argv[2] as ServiceRole;
const options = JSON.parse(process.env.BENCH_SERVICE ?? '{}') as ServiceOptions;
start(role, options).then(
  (running) => {
    process.on('message', (message: any) => {
      if (message?.type === 'sql') process.send!({ type: 'sql', id: message.id, count: sqlStatementCount() });
    });
    const stop = () => running.stop().finally(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    // The benchmark that started this process is gone: never linger as an orphan.
    process.once('disconnect', stop);
    process.send!({ type: 'ready', url: running.url });
  },
  (error) => {
    console.error(`${role} failed to start:`, error);
    process.exit(1);
  },
);
