import assert from 'node:assert/strict'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import ts from 'typescript'
import type { Database } from '../../src/db/connection.ts'
import { freshDatabase } from '../helpers/database.ts'

/**
 * src/db/schema.ts is written by hand beside the migrations; this test keeps the two in step. It
 * migrates a database (the template every test clones) and compares each table and column — its name,
 * its family of type and whether it may be null — with the types the code is checked against.
 */

type Family = 'number' | 'string' | 'boolean' | 'date' | 'json' | 'array'
interface Column {
  family: Family
  nullable: boolean
}

const SCHEMA = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'db', 'schema.ts')

/** What the TypeScript types say: for each table in `DB`, each column's selected type (a ColumnType's first argument). */
function declaredSchema(): Map<string, Map<string, Column>> {
  const program = ts.createProgram([SCHEMA], {
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  })
  const checker = program.getTypeChecker()
  const file = program.getSourceFile(SCHEMA)!
  const db = file.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'DB')!
  const tables = new Map<string, Map<string, Column>>()
  for (const table of checker.getTypeAtLocation(db).getProperties()) {
    const columns = new Map<string, Column>()
    for (const column of checker.getTypeOfSymbol(table).getProperties()) {
      const parts = selectedParts(checker, checker.getTypeOfSymbol(column))
      const nullable = parts.some((p) => p.flags & ts.TypeFlags.Null)
      const kinds = new Set(parts.filter((p) => !(p.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined))).map((p) => familyOfType(checker, p)))
      assert.equal(kinds.size, 1, `${table.name}.${column.name} has one family of type (${[...kinds].join(', ')})`)
      columns.set(column.name, { family: [...kinds][0]!, nullable })
    }
    tables.set(table.name, columns)
  }
  return tables
}

/** The members of the type a query reads: a ColumnType's first argument (also inside `ColumnType<...> | null`). */
function selectedParts(checker: ts.TypeChecker, type: ts.Type): ts.Type[] {
  return (type.isUnion() ? type.types : [type]).flatMap((part) => {
    const select = part.getProperty('__select__')
    return select ? selectedParts(checker, checker.getTypeOfSymbol(select)) : [part]
  })
}

function familyOfType(checker: ts.TypeChecker, t: ts.Type): Family {
  if (t.flags & ts.TypeFlags.NumberLike) return 'number'
  if (t.flags & ts.TypeFlags.StringLike) return 'string'
  if (t.flags & ts.TypeFlags.BooleanLike) return 'boolean'
  if (t.getSymbol()?.name === 'Date') return 'date'
  if (checker.isArrayType(t)) return 'array'
  return 'json'
}

/** What the migrated database says. */
async function actualSchema(database: Database): Promise<Map<string, Map<string, Column>>> {
  const rows = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>`
    select c.table_name, c.column_name, c.data_type, c.is_nullable from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'`.execute(database.db)
  const tables = new Map<string, Map<string, Column>>()
  for (const r of rows.rows) {
    if (!tables.has(r.table_name)) tables.set(r.table_name, new Map())
    tables.get(r.table_name)!.set(r.column_name, { family: familyOfSql(r.data_type), nullable: r.is_nullable === 'YES' })
  }
  return tables
}

function familyOfSql(dataType: string): Family {
  if (['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision'].includes(dataType)) return 'number'
  if (['text', 'character varying', 'character', 'date', 'uuid', 'inet'].includes(dataType)) return 'string'
  if (dataType === 'boolean') return 'boolean'
  if (dataType.startsWith('timestamp')) return 'date'
  if (dataType === 'ARRAY') return 'array'
  if (dataType === 'jsonb' || dataType === 'json') return 'json'
  throw new Error(`no family for the SQL type ${dataType}`)
}

let database: Database
before(async () => {
  database = await freshDatabase()
})
after(() => database?.close())

test('src/db/schema.ts has every table and column the migrations make, of the same family of type and nullability, and no others', async () => {
  const declared = declaredSchema()
  const actual = await actualSchema(database)
  const problems: string[] = []
  for (const name of new Set([...declared.keys(), ...actual.keys()])) {
    const [d, a] = [declared.get(name), actual.get(name)]
    if (!d) problems.push(`table ${name} is in the database but not in schema.ts`)
    if (!a) problems.push(`table ${name} is in schema.ts but not in the database`)
    if (!d || !a) continue
    for (const column of new Set([...d.keys(), ...a.keys()])) {
      const [dc, ac] = [d.get(column), a.get(column)]
      if (!dc || !ac) {
        problems.push(`${name}.${column} is ${dc ? 'in schema.ts only' : 'in the database only'}`)
        continue
      }
      // A JSON column may hold an array: the types name what the code reads from it.
      const sameFamily = dc.family === ac.family || (ac.family === 'json' && dc.family === 'array')
      if (!sameFamily) problems.push(`${name}.${column} is ${ac.family} in the database, ${dc.family} in schema.ts`)
      if (dc.nullable !== ac.nullable) problems.push(`${name}.${column} is ${ac.nullable ? '' : 'not '}nullable in the database`)
    }
  }
  assert.deepEqual(problems, [])
  assert.ok(declared.size > 30, `${declared.size} tables compared`)
})
