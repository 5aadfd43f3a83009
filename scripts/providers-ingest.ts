/** Every provider's ingest formats, for the ingest command and the demo loader. */
import type { ProviderIngest } from '../lib/store/ingest';
import { awsIngest } from '../subgraphs/aws/ingest';
import { azureIngest } from '../subgraphs/azure/ingest';

export const PROVIDER_INGESTS: ProviderIngest[] = [awsIngest, azureIngest];
