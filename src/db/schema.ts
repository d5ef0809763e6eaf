import type { ColumnType, Generated } from 'kysely'

/** A timestamptz: read as a Date, written as a Date or an SQL expression. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Defaulted<T> = ColumnType<T, T | undefined, T>

export interface SchemaMigrationsTable {
  name: string
  applied_at: Timestamp
}

export interface LocalAuthoritiesTable {
  id: Generated<number>
  code: string
  name: string
  created_at: Timestamp
}

export interface LocalitiesTable {
  id: Generated<number>
  la_id: number
  name: string
  version: Defaulted<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface AgencyTypesTable {
  code: string
  label: string
  sort_order: number
}

export interface AgenciesTable {
  id: Generated<number>
  la_id: number
  name: string
  agency_type: string
  locality_id: number | null
  email: string | null
  phone: string | null
  active: Defaulted<boolean>
  version: Defaulted<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface UsersTable {
  id: Generated<number>
  la_id: number
  agency_id: number
  email: string
  full_name: string
  job_title: string | null
  phone: string | null
  roles: string[]
  password_hash: string | null
  password_changed_at: Timestamp | null
  failed_sign_ins: Defaulted<number>
  locked_until: Timestamp | null
  disabled_at: Timestamp | null
  last_sign_in_at: Timestamp | null
  version: Defaulted<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface SessionsTable {
  id: string
  user_id: number
  la_id: number
  created_at: Timestamp
  last_seen_at: Timestamp
  ended_at: Timestamp | null
  end_reason: string | null
}

export interface PasswordTokensTable {
  token_hash: string
  user_id: number
  la_id: number
  created_at: Timestamp
  expires_at: Timestamp
  used_at: Timestamp | null
}

export interface ChildPopulationTable {
  la_id: number
  year: number
  population: number
  updated_by: number | null
  updated_at: Timestamp
}

export interface MailAttachment {
  filename: string
  contentType: string
  /** base64 */
  content: string
}

export interface MailOutboxTable {
  id: Generated<number>
  la_id: number | null
  to_address: string
  subject: string
  body_text: string
  attachments: ColumnType<MailAttachment[], string | undefined, string>
  status: Defaulted<'pending' | 'sent'>
  attempts: Defaulted<number>
  next_attempt_at: Timestamp
  last_error: string | null
  delivered_as: string | null
  created_at: Timestamp
  sent_at: Timestamp | null
}

export interface AuditEventsTable {
  /** id, chain, prev_hash and hash are set by the database trigger that links the chain. */
  id: Generated<number>
  chain: Generated<number>
  la_id: number | null
  occurred_at: Timestamp
  actor_user_id: number | null
  session_id: string | null
  action: string
  record_type: string | null
  record_id: string | null
  detail: ColumnType<Record<string, unknown>, string | undefined, never>
  ip: string | null
  prev_hash: Generated<string>
  hash: Generated<string>
}

export interface DemoAccountsTable {
  email: string
  role: string
  password: string
}

export interface PeopleTable {
  id: Generated<number>
  la_id: number
  given_name: string | null
  family_name: string | null
  other_names: string | null
  sex: string | null
  date_of_birth: string | null
  expected_delivery_date: string | null
  mother_id: number | null
  address: string | null
  postcode: string | null
  phone: string | null
  first_language: string | null
  ethnicity: string | null
  religion: string | null
  immigration_status: string | null
  disability: string | null
  interpreter_needed: boolean | null
  special_requirements: string | null
  school_agency_id: number | null
  upn: string | null
  gp_agency_id: number | null
  nhs_number: string | null
  search_given: Defaulted<string>
  search_family: Defaulted<string>
  search_name: Defaulted<string>
  given_canon: Defaulted<string>
  given_dm: ColumnType<string, never, never>
  family_dm: ColumnType<string, never, never>
  created_by: number
  created_by_agency: number
  merged_into: number | null
  version: Defaulted<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface PersonChangesTable {
  id: Generated<number>
  la_id: number
  person_id: number
  changed_by: number
  changed_at: Timestamp
  change_type: 'created' | 'updated' | 'merged-in' | 'merged-away' | 'household'
  changes: ColumnType<Record<string, unknown>, string, string>
  reason: string | null
}

export interface HouseholdsTable {
  id: Generated<number>
  la_id: number
  created_by: number
  created_at: Timestamp
}

export interface HouseholdMembersTable {
  id: Generated<number>
  la_id: number
  household_id: number
  person_id: number
  from_date: ColumnType<string, string | undefined, string>
  to_date: string | null
}

export interface RelationshipsTable {
  id: Generated<number>
  la_id: number
  person_id: number
  child_id: number
  relationship: string
  parental_responsibility: Defaulted<boolean>
}

export interface DuplicateDismissalsTable {
  id: Generated<number>
  la_id: number
  person_id: number
  candidate_id: number
  reason: string
  dismissed_by: number
  dismissed_at: Timestamp
}

export interface PersonMergesTable {
  id: Generated<number>
  la_id: number
  survivor_id: number
  merged_id: number
  reason: string
  moved: ColumnType<Record<string, number>, string, string>
  merged_by: number
  merged_at: Timestamp
}

export interface BreakGlassTable {
  id: Generated<number>
  la_id: number
  user_id: number
  session_id: string
  person_id: number
  reason: string
  granted_at: Timestamp
  reviewed_by: number | null
  reviewed_at: Timestamp | null
  review_note: string | null
}

export interface SyntheticDuplicatesTable {
  la_id: number
  original_id: number
  duplicate_id: number
  kind: string
}

export interface DB {
  schema_migrations: SchemaMigrationsTable
  local_authorities: LocalAuthoritiesTable
  localities: LocalitiesTable
  agency_types: AgencyTypesTable
  agencies: AgenciesTable
  users: UsersTable
  sessions: SessionsTable
  password_tokens: PasswordTokensTable
  child_population: ChildPopulationTable
  mail_outbox: MailOutboxTable
  audit_events: AuditEventsTable
  demo_accounts: DemoAccountsTable
  people: PeopleTable
  person_changes: PersonChangesTable
  households: HouseholdsTable
  household_members: HouseholdMembersTable
  relationships: RelationshipsTable
  duplicate_dismissals: DuplicateDismissalsTable
  person_merges: PersonMergesTable
  break_glass: BreakGlassTable
  synthetic_duplicates: SyntheticDuplicatesTable
}
