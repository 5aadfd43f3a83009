/**
 * Reading Azure Resource Manager list responses (`{ value: [...], nextLink }`): recognising which
 * resource type a document lists, walking its entries with lib/store/ingest.ts EntryReader, and the
 * checks every ARM resource entry shares (type, unique id).
 */
import { EntryAt, EntryReader, IngestProblem, LoadEntries } from '../../../lib/store/ingest';
import { parseBillingResourceId, profileResourceIdProblem, sameArmId } from '../domain/resource-id';

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** The resource type a nextLink lists: the last `/providers/{namespace}/{type}` of its path. */
export function resourceTypeOfLink(link: string): string | null {
  let path: string;
  try {
    path = new URL(link, 'https://management.azure.com').pathname;
  } catch {
    return null;
  }
  const matches = [...path.matchAll(/\/providers\/([^/]+)\/([^/]+)/gi)];
  const last = matches[matches.length - 1];
  return last ? `${last[1]}/${last[2]}` : null;
}

/**
 * The resource type an ARM list document holds: the `type` of its first typed entry, or for an
 * empty page the type its nextLink lists; null when it is not a recognisable ARM list.
 */
export function armListResourceType(document: unknown): string | null {
  const root = asObject(document);
  if (!root || !Array.isArray(root.value)) return null;
  for (const entry of root.value) {
    const type = asObject(entry)?.type;
    if (typeof type === 'string') return type;
  }
  if (root.value.length === 0 && typeof root.nextLink === 'string') return resourceTypeOfLink(root.nextLink);
  return null;
}

export function isArmListOf(document: unknown, resourceType: string): boolean {
  const type = armListResourceType(document);
  return type !== null && sameArmId(type, resourceType);
}

/** Records a problem when `id` was already seen in the same file. */
export function checkUniqueId(reader: EntryReader, id: string | null, seen: Set<string>): void {
  if (id === null) return;
  const key = id.toLowerCase();
  if (seen.has(key)) reader.problem('id', `"${id}" appears more than once in the file`);
  seen.add(key);
}

/** The top-level fields every ARM resource entry has; `type` must be `resourceType` when present. */
export function readResourceHeader(item: EntryReader, resourceType: string, typeRequired = true) {
  const id = item.string('id');
  const name = item.string('name');
  const type = item.string('type', typeRequired);
  if (type !== null && !sameArmId(type, resourceType)) item.problem('type', `must be "${resourceType}", got "${type}"`);
  const eTag = item.string('eTag', false);
  return { id, name, type: type ?? resourceType, eTag };
}

/**
 * Reads every entry of an ARM list with `readEntry` (which reports its own problems), checking the
 * document shape, each entry's type and that ids are unique. Each entry read without a problem is
 * given to `register` with its index (to record it for the load: lib/store/ingest.ts LoadEntries).
 */
export function readArmList<T>(
  document: unknown,
  file: string,
  problems: IngestProblem[],
  readEntry: (item: EntryReader, entryName: string, seenIds: Set<string>) => T,
  register?: (entry: T, index: number) => void,
): T[] {
  const root = new EntryReader(document, file, 'document', problems);
  root.string('nextLink', false);
  const seen = new Set<string>();
  const read = (item: EntryReader, index: number) => {
    const before = problems.length;
    const entry = readEntry(item, `value[${index}]`, seen);
    if (register && problems.length === before) register(entry, index);
    return entry;
  };
  return root.list('value', read, 'value') ?? [];
}

/**
 * Records an ARM resource read without a problem for the load (lib/store/ingest.ts LoadEntries): ARM
 * ids are case-insensitive, so the key is the id in lower case, and problems show it as written.
 */
export function registerResource(entries: LoadEntries | undefined, kind: string, id: string, at: EntryAt, content: unknown, nested?: readonly string[]): void {
  entries?.add(kind, id.toLowerCase(), at, content, { shown: id, nested });
}

/**
 * The envelope of a Consumption resource of a billing profile (a lot or an event): id, name,
 * type and eTag, checked; the billing account and profile its id names; and its `properties`.
 */
export function readConsumptionResource(item: EntryReader, resourceType: string, seen: Set<string>) {
  const { id, name, type, eTag } = readResourceHeader(item, resourceType);
  checkUniqueId(item, id, seen);
  const idProblem = id !== null ? profileResourceIdProblem(id, resourceType, name) : null;
  if (idProblem) item.problem('id', idProblem);
  const parsed = id !== null && !idProblem ? parseBillingResourceId(id) : null;
  const properties = item.object('properties');
  return {
    properties,
    parsedId: parsed,
    envelope: {
      id: id!,
      name: name!,
      type,
      eTag: eTag ?? properties?.string('eTag', false) ?? null,
      billingAccountId: parsed?.billingAccountId ?? '',
      billingProfileId: parsed?.billingProfileId ?? '',
    },
  };
}

/**
 * An ARM list page with no entries (`{ "value": [] }`, with or without a nextLink): what Azure
 * answers for a billing profile without lots or a date range without events, and sometimes in
 * the middle of a list. When its nextLink names no resource type the formats know, it says nothing
 * about what it lists, and there is nothing in it to load, so it is accepted as it is.
 */
export function isEmptyArmListPage(document: unknown): boolean {
  const root = asObject(document);
  return root !== null && Array.isArray(root.value) && root.value.length === 0 && (root.nextLink === undefined || root.nextLink === null || typeof root.nextLink === 'string');
}
