#!/usr/bin/env node
/**
 * `npm test` after the build: the whole suite with every provider database on SQLite (files
 * under each test's temporary folder), then, when TEST_DATABASE_URL names a PostgreSQL server,
 * the whole suite again with every provider database on PostgreSQL: a database made for this run
 * (collation "C", as the product needs), each test folder a schema of its own, dropped at the end.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test
 *
 * Arguments go to mocha (e.g. a spec). Plain JavaScript: it runs what the build compiled.
 */
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const MOCHA = require.resolve('mocha/bin/mocha.js', { paths: [ROOT] });

function mocha(label, env) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(process.execPath, [MOCHA, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit', env });
  return result.status ?? 1;
}

async function onPostgres(serverUrl) {
  const { Client } = require('pg');
  const database = `credits_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database} TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C' ENCODING 'UTF8'`);
  } catch (error) {
    await admin.end();
    throw error;
  }
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  try {
    return mocha(`the suite on PostgreSQL (${url.host}, database ${database})`, { ...process.env, TEST_DATABASE: 'postgres', TEST_POSTGRES_URL: url.toString() });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch((error) => console.error(`could not drop ${database}: ${error.message}`));
    await admin.end();
  }
}

async function main() {
  const env = { ...process.env };
  delete env.TEST_DATABASE;
  delete env.TEST_POSTGRES_URL;
  const serverUrl = process.env.TEST_DATABASE_URL;
  let status = mocha(serverUrl ? 'the suite on SQLite' : 'the suite (SQLite; set TEST_DATABASE_URL to run it on PostgreSQL too)', env);
  if (serverUrl) status = (await onPostgres(serverUrl)) || status;
  process.exit(status);
}

main().catch((error) => {
  console.error(`npm test could not run on PostgreSQL (TEST_DATABASE_URL): ${error.message}`);
  process.exit(1);
});
