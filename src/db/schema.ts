import type { ColumnType, Generated } from 'kysely'

/** A timestamptz: read as a Date, written as a Date or an SQL expression. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Defaulted<T> = ColumnType<T, T | undefined, T>
export type ReminderFrequency = 'weekly' | 'daily' | 'none'

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
  /** A manager of a locality sees its episodes as well as their agency's. */
  manages_locality_id: number | null
  /** How often their work queues' reminder email comes: weekly (the council's day), daily (working days) or none. */
  reminders: Defaulted<ReminderFrequency>
  last_reminded_on: ColumnType<string | null, string | null | undefined, string | null>
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
  /** The council's target for episodes started per 10,000 children that year. */
  target_per_10000: number | null
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
  given_dm: ColumnType<string | null, never, never>
  family_dm: ColumnType<string | null, never, never>
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
  person_id: number | null
  episode_id: number | null
  reason: string
  /** 'start-caf': a CAF started for a child the practitioner had no right to see; the reason is their relationship to the child. */
  purpose: Generated<'break-glass' | 'start-caf'>
  granted_at: Timestamp
  reviewed_by: number | null
  reviewed_at: Timestamp | null
  review_note: string | null
}

export interface EpisodeStageChangesTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  from_stage: EpisodeStatus | null
  to_stage: EpisodeStatus
  changed_by: number
  changed_at: Timestamp
}

export interface SyntheticDuplicatesTable {
  la_id: number
  original_id: number
  duplicate_id: number
  kind: string
}

/** A jsonb column: read as parsed JSON, written as a JSON string. */
type Json<T> = ColumnType<T, string, string>

export interface CafSettingsTable {
  la_id: number
  score_min: Defaulted<number>
  score_max: Defaulted<number>
  score_low_label: Defaulted<string>
  score_high_label: Defaulted<string>
  intention_follow_up_days: Defaulted<number>
  safeguarding_contact: Defaulted<string>
  first_taf_days: Defaulted<number>
  reopen_days: Defaulted<number>
  follow_up_months: ColumnType<number[], string | undefined, string>
  feedback_address: string | null
  lead_accept_days: Defaulted<number>
  copy_given_days: Defaulted<number>
  open_limit_days: Defaulted<number>
  non_attendance_repeats: Defaulted<number>
  /** The day of the week (1 Monday to 7 Sunday) weekly reminders go. */
  reminder_weekday: Defaulted<number>
  qa_scale: Defaulted<QaScaleKey>
  waiting_min_referrals: Defaulted<number>
  signposting_prompt_weeks: Defaulted<number>
  /** Working days the hub has to decide a notification from social care, and social care to decide a step up. */
  notification_decision_days: Defaulted<number>
  step_up_decision_days: Defaulted<number>
  /** In downloads, a count under this is shown as "fewer than N". */
  small_number_threshold: Defaulted<number>
  version: Defaulted<number>
}

export interface NeedLevelsTable {
  la_id: number
  code: string
  label: string
  description: string
  tier: number
  sort_order: number
  hidden: Defaulted<boolean>
  version: Defaulted<number>
  review_days: number | null
}

export interface AssessmentDomainsTable {
  la_id: number
  code: string
  label: string
  per_child: boolean
  sort_order: number
}

export interface AssessmentElementsTable {
  la_id: number
  code: string
  domain_code: string
  label: string
  sort_order: number
  hidden: Defaulted<boolean>
  version: Defaulted<number>
}

export type EpisodeStatus = 'intention' | 'pre-assessment' | 'assessment' | 'assessment-complete' | 'plan-active' | 'stepping-up' | 'closed'

/** Where an episode came from (migration 0022). */
export type EpisodeOrigin = 'practitioner' | 'signposting' | 'notification' | 'step-down' | 'transfer'

export interface EpisodesTable {
  id: Generated<number>
  la_id: number
  kind: 'child' | 'family'
  status: EpisodeStatus
  origin: Defaulted<EpisodeOrigin>
  initiator_user_id: number
  initiator_agency_id: number
  lawful_basis: Defaulted<string>
  intention_reason: string | null
  intention_planned_on: string | null
  need_level: string | null
  assessment_started_at: Timestamp | null
  assessment_completed_at: Timestamp | null
  assessment_completed_by: number | null
  copy_given_on: string | null
  copy_given_recorded_by: number | null
  closed_at: Timestamp | null
  closed_reason: string | null
  next_review_on: string | null
  closing_summary: string | null
  /** Why the needs are met although desired outcomes were still open at closing (needs met only). */
  closed_with_open_outcomes: string | null
  closed_by: number | null
  /** The initiating agency's locality when the episode started. */
  locality_id: number | null
  /** Kept by triggers (migration 0017) for the work queues: never written by the app. */
  lead_user_id: ColumnType<number | null, never, never>
  lead_proposed_at: ColumnType<Date | null, never, never>
  consent_state: ColumnType<'given' | 'refused' | 'withdrawn' | null, never, never>
  consent_state_on: ColumnType<string | null, never, never>
  first_meeting_at: ColumnType<Date | null, never, never>
  last_review_on: ColumnType<string | null, never, never>
  version: Defaulted<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface EpisodePeopleTable {
  la_id: number
  episode_id: number
  person_id: number
  role: 'child' | 'adult'
  episode_open: Defaulted<boolean>
  sort_order: Defaulted<number>
  in_team: Defaulted<boolean>
}

export interface PreAssessmentsTable {
  episode_id: number
  la_id: number
  answers: Json<Record<string, { answer: string; note: string | null }>>
  concern: string
  agencies_involved: string | null
  recommended_level: string
  recommended_step: string
  decided_level: string | null
  next_step: string | null
  decision_reason: string | null
  decided_by: number | null
  decided_at: Timestamp | null
  updated_by: number
  updated_at: Timestamp
}

export interface AssessmentSectionsTable {
  la_id: number
  episode_id: number
  section: string
  subject_id: Defaulted<number>
  data: Json<Record<string, unknown>>
  version: Defaulted<number>
  updated_by: number
  updated_at: Timestamp
}

export interface AssessmentAmendmentsTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  section: string
  subject_id: Defaulted<number>
  before: Json<Record<string, unknown>>
  after: Json<Record<string, unknown>>
  reason: string
  amended_by: number
  amended_at: Timestamp
}

export interface ConsentsTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  decision: 'given' | 'refused'
  given_by_person_id: number
  giver_role: 'parent-with-pr' | 'young-person'
  method: 'written' | 'verbal'
  given_on: string
  recorded_by: number
  recorded_at: Timestamp
  withdrawn_on: string | null
  withdrawn_reason: string | null
  withdrawn_by: number | null
}

export interface ConsentAgenciesTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  agency_id: number
  added_at: Timestamp
  added_by: number
  removed_at: Timestamp | null
  removed_by: number | null
  removed_reason: string | null
}

export interface TeamMembersTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  user_id: number
  agency_id: number
  joined_at: Timestamp
  added_by: number
  left_at: Timestamp | null
  left_reason: string | null
}

export interface LeadProfessionalsTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  user_id: number
  proposed_by: number
  proposed_at: Timestamp
  family_agreed_on: string
  accepted_at: Timestamp | null
  declined_at: Timestamp | null
  ended_at: Timestamp | null
}

export interface MeetingsTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  starts_at: Timestamp
  duration_minutes: number
  place: string
  chair_user_id: number
  minute_taker_user_id: number
  status: Defaulted<'scheduled' | 'cancelled' | 'held'>
  uid: string
  sequence: Defaulted<number>
  family_present: boolean | null
  family_absent_reason: string | null
  minutes: string | null
  decisions: string | null
  recorded_after_event: Defaulted<boolean>
  version: Defaulted<number>
  created_by: number
  created_at: Timestamp
  updated_at: Timestamp
}

export type Attendance = 'attended' | 'apologies' | 'did-not-attend'
export type InviteResponse = 'accepted' | 'declined' | 'tentative'

export interface MeetingInviteesTable {
  id: Generated<number>
  la_id: number
  meeting_id: number
  /** A practitioner with an account, or (external_id) a member of the team without one. */
  user_id: number | null
  external_id: number | null
  agency_id: number
  response: InviteResponse | null
  responded_at: Timestamp | null
  attendance: Attendance | null
}

export interface TeamExternalsTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  agency_id: number
  name: string
  role: string
  email: string
  added_by: number
  added_at: Generated<Timestamp>
  left_at: Timestamp | null
  left_reason: string | null
}

export interface MeetingFamilyInvitationsTable {
  id: Generated<number>
  la_id: number
  meeting_id: number
  person_id: number
  method: 'email' | 'letter'
  email: string | null
  invited_by: number
  invited_at: Generated<Timestamp>
}

export interface MeetingLogTable {
  id: Generated<number>
  la_id: number
  meeting_id: number
  invitee_id: number | null
  event: 'invited' | 'updated' | 'cancelled' | 'response' | 'attendance'
  detail: string | null
  outbox_id: number | null
  by_user_id: number
  at: Timestamp
}

export interface PlanOutcomesTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  need: string
  outcome: string
  status: Defaulted<'open' | 'achieved' | 'no-longer-relevant'>
  sort_order: number
  version: Defaulted<number>
  /** The review that set it; null for one from the assessment. */
  review_id: number | null
  /** The Supporting Families headline its need is under, if any. */
  headline: SupportingFamiliesHeadline | null
  created_by: number
  created_at: Timestamp
  updated_at: Timestamp
}

export type ActionStatus = 'not-started' | 'in-progress' | 'done' | 'not-done'

export interface PlanActionsTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  outcome_id: number
  description: string
  owner_user_id: number | null
  /** Null when a family member (owner_person_id) owns the action. */
  owner_agency_id: number | null
  owner_person_id: number | null
  due_on: string
  status: Defaulted<ActionStatus>
  not_done_reason: string | null
  service_name: string | null
  panel_request_id: ColumnType<number | null, number | null | undefined, number | null>
  version: Defaulted<number>
  created_by: number
  created_at: Timestamp
  updated_by: number
  updated_at: Timestamp
}

export type Progress = 'achieved' | 'progressing' | 'no-progress' | 'no-longer-relevant'

export type ReviewDecision = 'continue' | 'change-plan' | 'close' | 'step-up'

export interface ReviewsTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  held_on: string
  decision: ReviewDecision
  next_review_on: string | null
  summary: string | null
  created_by: number
  created_at: Timestamp
}

export interface ReviewOutcomesTable {
  review_id: number
  la_id: number
  outcome_id: number
  progress: Progress
  evidence: string
}

export interface ReviewScoresTable {
  review_id: number
  la_id: number
  subject_id: Defaulted<number>
  element_code: string
  practitioner: number | null
  family: number | null
}

export interface ClosureReasonsTable {
  la_id: number
  code: string
  label: string
  sort_order: number
  hidden: Defaulted<boolean>
  version: Defaulted<number>
}

export interface StepUpsTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  review_id: number | null
  requested_by: number
  requested_at: Timestamp
  reason: string
  /** Null only for step ups recorded before migration 0022 (the episode already closed). */
  risks: string | null
  from_stage: 'assessment-complete' | 'plan-active' | null
  package: ColumnType<EpisodePackageJson | null, string | null, string | null>
  decide_by: string
  status: Defaulted<StepUpStatus>
  decided_by: number | null
  decided_at: Timestamp | null
  taken_on: string | null
  not_accepted_reason: string | null
  advice: string | null
  version: Defaulted<number>
}

export type StepUpStatus = 'waiting' | 'accepted' | 'not-accepted'
/** The package's shape is owned by features/social-care/package.ts; stored as JSON. */
export type EpisodePackageJson = Record<string, unknown>

export type NotificationDecision = 'caf' | 'signpost' | 'no-further-action'
export type FamilyAware = 'agrees' | 'knows' | 'unaware'

export interface InterfaceNotificationsTable {
  id: Generated<number>
  la_id: number
  child_person_id: number
  contact_on: string
  source: string
  reported: string
  social_care_action: string
  family_aware: FamilyAware
  sent_by: number
  sent_at: Timestamp
  decide_by: string
  decision: NotificationDecision | null
  decision_note: string | null
  service_id: number | null
  episode_id: number | null
  decided_by: number | null
  decided_at: Timestamp | null
  version: Defaulted<number>
}

export type DecisionPoint = 'after-contact' | 'after-assessment' | 'cin-closure'

export interface StepDownsTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  decision_point: DecisionPoint
  involvement_ends_on: string
  known: string
  proposed_agency_id: number
  started_by: number
  started_at: Timestamp
  ended_on: string | null
  ended_by: number | null
  version: Defaulted<number>
}

export interface EpisodeReopeningsTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  closed_at: Date
  closed_reason: string | null
  reason: string
  reopened_by: number
  reopened_at: Timestamp
}

export interface FollowUpsTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  months: number
  due_on: string
  status: Defaulted<'due' | 'done' | 'cancelled'>
  contacted_on: string | null
  stayed_better: 'yes' | 'partly' | 'no' | null
  stayed_better_words: string | null
  recommend: 'yes' | 'no' | 'not-sure' | null
  could_be_better: string | null
  recorded_by: number | null
  recorded_at: Timestamp | null
}

/** Kept by triggers (migration 0017): an agency's run of missed meetings for a family. */
export interface AttendanceRunsTable {
  la_id: number
  episode_id: number
  agency_id: number
  missed: number
  last_missed_on: string
}

export type SupportingFamiliesHeadline =
  | 'education'
  | 'early-years'
  | 'health'
  | 'substance-use'
  | 'family-relationships'
  | 'safe-from-abuse'
  | 'crime'
  | 'domestic-abuse'
  | 'housing'
  | 'financial-stability'

export interface CafTrainingTable {
  id: Generated<number>
  la_id: number
  user_id: number
  course: string
  trained_on: string
  recorded_by: number
  recorded_at: Timestamp
}

export interface HourlyCostsTable {
  la_id: number
  agency_type: string
  pounds_per_hour: number
  updated_by: number
  updated_at: Timestamp
}

export interface CostsAvoidedTable {
  id: Generated<number>
  la_id: number
  name: string
  description: string
  cost: number
  source: string | null
  sort_order: Defaulted<number>
  updated_by: number
  updated_at: Timestamp
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
  caf_training: CafTrainingTable
  hourly_costs: HourlyCostsTable
  costs_avoided: CostsAvoidedTable
  mail_outbox: MailOutboxTable
  audit_events: AuditEventsTable
  attendance_runs: AttendanceRunsTable
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
  caf_settings: CafSettingsTable
  need_levels: NeedLevelsTable
  assessment_domains: AssessmentDomainsTable
  assessment_elements: AssessmentElementsTable
  episodes: EpisodesTable
  episode_people: EpisodePeopleTable
  episode_stage_changes: EpisodeStageChangesTable
  pre_assessments: PreAssessmentsTable
  team_externals: TeamExternalsTable
  meeting_family_invitations: MeetingFamilyInvitationsTable
  assessment_sections: AssessmentSectionsTable
  assessment_amendments: AssessmentAmendmentsTable
  consents: ConsentsTable
  consent_agencies: ConsentAgenciesTable
  team_members: TeamMembersTable
  lead_professionals: LeadProfessionalsTable
  meetings: MeetingsTable
  meeting_invitees: MeetingInviteesTable
  meeting_log: MeetingLogTable
  plan_outcomes: PlanOutcomesTable
  plan_actions: PlanActionsTable
  reviews: ReviewsTable
  review_outcomes: ReviewOutcomesTable
  review_scores: ReviewScoresTable
  closure_reasons: ClosureReasonsTable
  episode_reopenings: EpisodeReopeningsTable
  follow_ups: FollowUpsTable
  step_ups: StepUpsTable
  intention_follow_ups: IntentionFollowUpsTable
  episode_notes: EpisodeNotesTable
  qa_samples: QaSamplesTable
  qa_sample_episodes: QaSampleEpisodesTable
  qa_audits: QaAuditsTable
  qa_moderations: QaModerationsTable
  services: ServicesTable
  service_localities: ServiceLocalitiesTable
  referrals: ReferralsTable
  referral_events: ReferralEventsTable
  signposting_requests: SignpostingRequestsTable
  panel_meetings: PanelMeetingsTable
  panel_members: PanelMembersTable
  panel_requests: PanelRequestsTable
  panel_resources: PanelResourcesTable
  panel_gaps: PanelGapsTable
  interface_notifications: InterfaceNotificationsTable
  step_downs: StepDownsTable
  transfers: TransfersTable
  transfer_imports: TransferImportsTable
  council_keys: CouncilKeysTable
  trusted_councils: TrustedCouncilsTable
}

export type TransferStatus = 'waiting' | 'accepted' | 'declined' | 'exported'

export interface TransfersTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  to_la_id: number | null
  to_council: string
  reason: string
  moved_on: string
  consent_giver_person_id: number
  consent_giver_role: 'parent-with-pr' | 'young-person'
  consent_method: 'written' | 'verbal'
  consent_given_on: string
  package: ColumnType<EpisodePackageJson, string, string>
  requested_by: number
  requested_at: Timestamp
  status: Defaulted<TransferStatus>
  decided_by: number | null
  decided_at: Timestamp | null
  decline_reason: string | null
  new_episode_id: number | null
  version: Defaulted<number>
}

export interface TransferImportsTable {
  id: Generated<number>
  la_id: number
  from_code: string
  from_name: string
  package_id: string
  document: ColumnType<EpisodePackageJson, string, string>
  imported_by: number
  imported_at: Timestamp
  new_episode_id: number
}

export interface CouncilKeysTable {
  la_id: number
  kid: string
  public_jwk: ColumnType<Record<string, unknown>, string, string>
  private_jwk: ColumnType<Record<string, unknown>, string, string>
  created_at: Timestamp
}

export interface TrustedCouncilsTable {
  id: Generated<number>
  la_id: number
  code: string
  name: string
  kid: string
  public_jwk: ColumnType<Record<string, unknown>, string, string>
  added_by: number
  added_at: Timestamp
}

export type IntentionFollowUpOutcome = 'contacted' | 'still-intended' | 'not-going-ahead'

export interface IntentionFollowUpsTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  outcome: IntentionFollowUpOutcome
  note: string | null
  recorded_by: number
  recorded_at: Timestamp
}

export interface EpisodeNotesTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  body: string
  written_by: number
  written_at: Timestamp
}

export type QaScaleKey = 'good-satisfactory-poor' | 'outstanding-to-inadequate'
export type QaStratify = 'none' | 'locality' | 'agency'
export type ChecklistState = 'yes' | 'no' | 'not-due'

export interface QaSamplesTable {
  id: Generated<number>
  la_id: number
  period_from: string
  period_to: string
  size: number
  stages: EpisodeStatus[]
  stratify_by: QaStratify
  seed: string
  population: number
  drawn_by: number
  drawn_at: Timestamp
}

export interface QaSampleEpisodesTable {
  sample_id: number
  la_id: number
  episode_id: number
  stratum: string | null
  position: number
}

export interface QaAuditsTable {
  id: Generated<number>
  la_id: number
  sample_id: number | null
  episode_id: number
  practitioner_user_id: number
  agency_id: number
  locality_id: number | null
  auditor_user_id: number
  scale: QaScaleKey
  checklist: Json<Record<string, ChecklistState>>
  judgements: Json<Record<string, string>>
  feedback: string
  audited_at: Timestamp
  acknowledged_at: Timestamp | null
  reply: string | null
}

export interface QaModerationsTable {
  audit_id: number
  la_id: number
  moderator_user_id: number
  judgements: Json<Record<string, string>>
  comment: string
  moderated_at: Timestamp
}

export interface ServicesTable {
  id: Generated<number>
  la_id: number
  provider_agency_id: number
  name: string
  description: string
  min_age: number | null
  max_age: number | null
  needs: ColumnType<string[], string[] | undefined, string[]>
  how_to_refer: string
  via_hub: Defaulted<boolean>
  capacity: number | null
  open: Defaulted<boolean>
  version: Defaulted<number>
  created_by: number
  created_at: Timestamp
  updated_at: Timestamp
  /** What one referral that started costs the council, in pounds, when known. */
  unit_cost: number | null
}

export interface ServiceLocalitiesTable {
  service_id: number
  la_id: number
  locality_id: number
}

export type ReferralStatus = 'requested' | 'accepted' | 'declined' | 'waiting' | 'started' | 'finished' | 'withdrawn'

export interface ReferralsTable {
  id: Generated<number>
  la_id: number
  /** From a plan action, or else (both null) from a signposting request. */
  episode_id: number | null
  action_id: number | null
  signposting_id: ColumnType<number | null, number | null | undefined, number | null>
  service_id: number
  child_person_id: number
  need: string
  outcome: string | null
  status: Defaulted<ReferralStatus>
  requested_on: string
  started_on: string | null
  helped: 'yes' | 'partly' | 'no' | null
  reason: string | null
  version: Defaulted<number>
  requested_by: number
}

export interface ReferralEventsTable {
  id: Generated<number>
  la_id: number
  referral_id: number
  status: ReferralStatus
  note: string | null
  by_user_id: number
  at: Timestamp
}

export type SignpostingStatus = 'waiting' | 'passed' | 'declined'

export interface SignpostingRequestsTable {
  id: Generated<number>
  la_id: number
  child_person_id: number
  need: string
  service_id: number
  consent_giver_person_id: number
  giver_role: 'parent-with-pr' | 'young-person'
  consent_method: 'written' | 'verbal'
  consent_given_on: string
  status: Defaulted<SignpostingStatus>
  decline_reason: string | null
  decided_by: number | null
  decided_at: Timestamp | null
  episode_id: number | null
  requested_by: number
  requested_agency_id: number
  requested_at: Timestamp
  version: Defaulted<number>
}

export interface PanelMeetingsTable {
  id: Generated<number>
  la_id: number
  starts_at: Timestamp
  duration_minutes: number
  place: string
  chair_user_id: number
  published_at: Timestamp | null
  /** The UK date it starts on, derived by the database. */
  meets_on: ColumnType<string, never, never>
  uid: string
  sequence: Defaulted<number>
  created_by: number
  created_at: Timestamp
}

export interface PanelMembersTable {
  id: Generated<number>
  la_id: number
  meeting_id: number
  user_id: number
  agency_id: number
  attendance: Attendance | null
}

export interface PanelRequestsTable {
  id: Generated<number>
  la_id: number
  episode_id: number
  stuck: string
  tried: string
  asked: string
  meeting_id: number | null
  requested_by: number
  requested_at: Timestamp
  advice: string | null
  review_on: string | null
  decided_by: number | null
  decided_at: Timestamp | null
}

export type ResourceUnit = 'hours' | 'places' | 'money'

export interface PanelResourcesTable {
  id: Generated<number>
  la_id: number
  request_id: number
  service_id: number | null
  agency_id: number
  /** numeric(12, 2): read through JSON (as the panel's read model does) it is a number; read directly, a string. */
  amount: number
  unit: ResourceUnit
}

export interface PanelGapsTable {
  id: Generated<number>
  la_id: number
  meeting_id: number
  need: string
  locality_id: number | null
  note: string
  recorded_by: number
  recorded_at: Timestamp
}
