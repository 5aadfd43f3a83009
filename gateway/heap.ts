/**
 * The gateway process's heap size. The gateway is a stateless proxy whose live data is small
 * (about 70 MB under load: schema, query plans, in-flight requests), but V8 sizes its heap for
 * the machine and lets short-lived request garbage pile up to several hundred MB between full
 * collections. A heap sized for the proxy keeps its memory flat (docs/BENCHMARKS.md measures the
 * cost in throughput). Every way of starting the gateway passes these flags: `npm start`
 * (scripts/start.ts), `npm run start:gateway` (package.json, kept equal by a test) and the
 * benchmarks.
 */
export const GATEWAY_HEAP_MB = 256;
export const GATEWAY_NODE_ARGS = [`--max-old-space-size=${GATEWAY_HEAP_MB}`];
