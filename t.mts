import { PGlite } from '@electric-sql/pglite'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch'
import pg from 'pg'
const t0 = Date.now()
const lite = await PGlite.create({ extensions: { pg_trgm, fuzzystrmatch } })
console.log('create', Date.now() - t0)
const pool = new pg.Pool(createPgConfig(lite) as any)
const r = await pool.query(`create extension if not exists pg_trgm; create table a(id bigint, d date); insert into a values (1, '2015-03-04'); select 1 as x`)
console.log(Array.isArray(r) ? r.map(x => x.command) : r.command)
const r2 = await pool.query('select id, d, similarity($1, $2) s, now() n from a', ['john', 'jon'])
console.log(r2.rows)
const t1 = Date.now()
const dump = await lite.dumpDataDir('none')
console.log('dump', Date.now() - t1, dump.size)
const t2 = Date.now()
const clone = await PGlite.create({ loadDataDir: dump, extensions: { pg_trgm, fuzzystrmatch } })
console.log('clone', Date.now() - t2, (await clone.query('select count(*) from a')).rows)
