/**
 * One benchmark service in its own process: `node dist/bench/service.js <role>` with its options
 * as JSON in BENCH_SERVICE (bench/process.ts startService). Tells the parent its URL once it
 * listens, answers its SQL statement count on request, stops on SIGTERM. The services run with
 * the dataset's fixed "now", so statuses are the same on every run.
 */
import 'reflect-metadata';
import type { AuthConfig } from '../lib/platform/auth/config';
import type { ServiceOptions, ServiceRole } from './process';

async function start(role: ServiceRole, options: ServiceOptions): Promise<{ url: string; stop(): Promise<void> }> {
  const auth: AuthConfig = { ...options.auth, jwksUrl: null, production: false };
  const now = new Date(options.now);
  const clock = () => now;
  switch (role) {
    // Each role loads only its own code, as its real process would: a gateway's memory is not
    // inflated by subgraph modules (TypeORM, sqlite3) it never runs.
    case 'aws':
      return (await import('../subgraphs/aws')).startAwsSubgraph({ dataDir: options.dataDir!, port: 0, clock, auth });
    case 'azure':
      return (await import('../subgraphs/azure')).startAzureSubgraph({ dataDir: options.dataDir!, port: 0, clock, auth });
    case 'credits':
      return (await import('../subgraphs/credits')).startCreditsSubgraph({ port: 0, providerUrls: options.subgraphUrls!, auth, clock });
    case 'gateway-ours':
      return (await import('../gateway')).startGateway({ port: 0, subgraphUrls: options.subgraphUrls!, auth, clock, supergraphSdl: options.supergraphSdl });
    case 'gateway-apollo':
      return (await import('./peers')).startApolloStockGateway(options.supergraphSdl!, auth.gatewaySecret);
    case 'gateway-hive':
      return (await import('./peers')).startHiveGateway(options.supergraphSdl!, auth.gatewaySecret);
    case 'gateway-hive-nodedup':
      return (await import('./peers')).startHiveGateway(options.supergraphSdl!, auth.gatewaySecret, { deduplicate: false });
    case 'gateway-hive-router':
      return (await import('./peers')).startHiveGateway(options.supergraphSdl!, auth.gatewaySecret, { deduplicate: true, routerRuntime: true });
    default:
      throw new Error(`unknown service role ${role}`);
  }
}

const role = process.argv[2] as ServiceRole;
const options = JSON.parse(process.env.BENCH_SERVICE ?? '{}') as ServiceOptions;
start(role, options).then(
  (running) => {
    process.on('message', (message: any) => {
      // Only the provider subgraphs have databases (and load lib/platform/database, TypeORM's home).
      if (message?.type === 'sql') process.send!({ type: 'sql', id: message.id, count: role === 'aws' || role === 'azure' ? require('../lib/platform/database').sqlStatementCount() : 0 });
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
