-- The CAF episode, part 1: configuration councils differ on (levels of need, the assessment's domains
-- and elements, the score scale, timescales), and the episode from intention to a completed, consented
-- assessment with a lead professional.

-- One row per council. Seeded with the national defaults; an administrator may change them.
create table caf_settings (
  la_id int primary key references local_authorities(id),
  score_min int not null default 1,
  score_max int not null default 10,
  score_low_label text not null default 'Things are very hard',
  score_high_label text not null default 'Things are going well',
  intention_follow_up_days int not null default 28 check (intention_follow_up_days between 1 and 365),
  safeguarding_contact text not null default 'Children''s social care front door: phone 0300 000 0000 (24 hours). If a child is in immediate danger, call 999.',
  version int not null default 1,
  check (score_min >= 0 and score_max > score_min and score_max - score_min <= 20)
);

-- Levels of need. Councils name and split them differently (2a/2b); each maps to one of the four
-- national tiers, which is what the pre-assessment recommends and what reports compare.
create table need_levels (
  la_id int not null references local_authorities(id),
  code text not null,
  label text not null,
  description text not null,
  tier int not null check (tier between 1 and 4),
  sort_order int not null,
  hidden boolean not null default false,
  version int not null default 1,
  primary key (la_id, code)
);

create table assessment_domains (
  la_id int not null references local_authorities(id),
  code text not null,
  label text not null,
  -- Answered for each child of a family CAF (development of the child); otherwise once per family.
  per_child boolean not null,
  sort_order int not null,
  primary key (la_id, code)
);

create table assessment_elements (
  la_id int not null,
  code text not null,
  domain_code text not null,
  label text not null,
  sort_order int not null,
  hidden boolean not null default false,
  version int not null default 1,
  primary key (la_id, code),
  foreign key (la_id, domain_code) references assessment_domains(la_id, code)
);

-- The national defaults, for a council that has none yet.
create function seed_caf_defaults(council int) returns void language plpgsql as $$
begin
  insert into caf_settings (la_id) values (council) on conflict do nothing;
  insert into need_levels (la_id, code, label, description, tier, sort_order) values
    (council, '1', 'Level 1: universal', 'No additional needs. Universal services such as school, GP and health visitor meet the child''s needs.', 1, 1),
    (council, '2', 'Level 2: additional needs', 'Needs that one agency can meet, with support beyond what it gives every child.', 2, 2),
    (council, '3', 'Level 3: multiple or complex needs', 'Needs that call for a CAF and support from several agencies working together (a Team Around the Family).', 3, 3),
    (council, '4', 'Level 4: acute needs', 'A child at risk of significant harm, or whose needs only children''s social care can meet. Refer to social care now.', 4, 4)
  on conflict do nothing;
  insert into assessment_domains (la_id, code, label, per_child, sort_order) values
    (council, 'child', 'Development of the child', true, 1),
    (council, 'parents', 'Parents and carers', false, 2),
    (council, 'family', 'Family and environment', false, 3)
  on conflict do nothing;
  insert into assessment_elements (la_id, code, domain_code, label, sort_order) values
    (council, 'general-health', 'child', 'General health', 1),
    (council, 'physical-development', 'child', 'Physical development', 2),
    (council, 'speech-language', 'child', 'Speech, language and communication', 3),
    (council, 'emotional-social', 'child', 'Emotional and social development', 4),
    (council, 'behaviour', 'child', 'Behavioural development', 5),
    (council, 'identity', 'child', 'Identity, self-esteem, self-image and social presentation', 6),
    (council, 'relationships', 'child', 'Family and social relationships', 7),
    (council, 'self-care', 'child', 'Self-care skills and independence', 8),
    (council, 'understanding', 'child', 'Understanding, reasoning and problem solving', 9),
    (council, 'participation', 'child', 'Participation in learning, education and employment', 10),
    (council, 'progress', 'child', 'Progress and achievement in learning', 11),
    (council, 'aspirations', 'child', 'Aspirations', 12),
    (council, 'basic-care', 'parents', 'Basic care, safety and protection', 1),
    (council, 'emotional-warmth', 'parents', 'Emotional warmth and stability', 2),
    (council, 'guidance', 'parents', 'Guidance, boundaries and stimulation', 3),
    (council, 'family-history', 'family', 'Family history, functioning and well-being', 1),
    (council, 'wider-family', 'family', 'Wider family', 2),
    (council, 'housing-money', 'family', 'Housing, employment and financial considerations', 3),
    (council, 'community', 'family', 'Social and community resources, including education', 4)
  on conflict do nothing;
end
$$;

select seed_caf_defaults(id) from local_authorities;

create function local_authorities_seed_caf() returns trigger language plpgsql as $$
begin
  perform seed_caf_defaults(new.id);
  return new;
end
$$;
create trigger local_authorities_seed_caf after insert on local_authorities
  for each row execute function local_authorities_seed_caf();

create table episodes (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  kind text not null check (kind in ('child', 'family')),
  status text not null check (status in ('intention', 'pre-assessment', 'assessment', 'assessment-complete', 'plan-active', 'closed')),
  initiator_user_id int not null references users(id),
  initiator_agency_id int not null,
  -- Why the council may hold the record at all; separate from the family's agreement to early help.
  lawful_basis text not null default 'public-task' check (lawful_basis in ('public-task', 'legal-obligation', 'vital-interests')),
  intention_reason text,
  intention_planned_on date,
  need_level text,
  assessment_started_at timestamptz,
  assessment_completed_at timestamptz,
  assessment_completed_by int references users(id),
  copy_given_on date,
  copy_given_recorded_by int references users(id),
  closed_at timestamptz,
  -- How an episode ended; at the pre-assessment, the decision not to go on to a CAF.
  closed_reason text,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (la_id, id),
  foreign key (la_id, initiator_agency_id) references agencies(la_id, id),
  check ((status = 'closed') = (closed_at is not null))
);
create index episodes_status_idx on episodes (la_id, status, created_at);

-- The children and adults an episode is about. A child has at most one open episode: the partial
-- unique index is the rule, so two requests racing to start one cannot both succeed.
create table episode_people (
  la_id int not null,
  episode_id bigint not null,
  person_id bigint not null,
  role text not null check (role in ('child', 'adult')),
  episode_open boolean not null default true,
  sort_order int not null default 0,
  primary key (episode_id, person_id),
  foreign key (la_id, episode_id) references episodes(la_id, id),
  foreign key (la_id, person_id) references people(la_id, id)
);
create unique index one_open_episode_per_child on episode_people (la_id, person_id) where role = 'child' and episode_open;
create index episode_people_person_idx on episode_people (la_id, person_id);

create function episodes_sync_open() returns trigger language plpgsql as $$
begin
  if (new.status = 'closed') is distinct from (old.status = 'closed') then
    update episode_people set episode_open = (new.status <> 'closed') where episode_id = new.id;
  end if;
  return new;
end
$$;
create trigger episodes_sync_open after update of status on episodes
  for each row execute function episodes_sync_open();

create table pre_assessments (
  episode_id bigint primary key,
  la_id int not null,
  -- {healthy: {answer: 'yes' | 'no' | 'not-sure', note}, safe: ..., learning: ..., impact: ..., poverty: ...}
  answers jsonb not null,
  concern text not null,
  agencies_involved text,
  recommended_level text not null,
  recommended_step text not null,
  decided_level text,
  next_step text check (next_step in ('universal', 'single-agency', 'assessment', 'social-care')),
  decision_reason text,
  decided_by int references users(id),
  decided_at timestamptz,
  updated_by int not null references users(id),
  updated_at timestamptz not null default now(),
  foreign key (la_id, episode_id) references episodes(la_id, id)
);

-- Each task of the assessment: its answers, saved on every "Save and continue". subject_id is the
-- child a per-child section is about, or 0 for the family.
create table assessment_sections (
  la_id int not null,
  episode_id bigint not null,
  section text not null,
  subject_id bigint not null default 0,
  data jsonb not null,
  version int not null default 1,
  updated_by int not null references users(id),
  updated_at timestamptz not null default now(),
  primary key (episode_id, section, subject_id),
  foreign key (la_id, episode_id) references episodes(la_id, id)
);

-- Corrections to a completed (locked) assessment: what it said, what it says now, and why.
create table assessment_amendments (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  section text not null,
  subject_id bigint not null default 0,
  before jsonb not null,
  after jsonb not null,
  reason text not null,
  amended_by int not null references users(id),
  amended_at timestamptz not null default now(),
  foreign key (la_id, episode_id) references episodes(la_id, id)
);
create index assessment_amendments_episode_idx on assessment_amendments (episode_id, amended_at);

-- The family's agreement to early help: who, how, when; refused or given; and withdrawal.
create table consents (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  decision text not null check (decision in ('given', 'refused')),
  given_by_person_id bigint not null,
  giver_role text not null check (giver_role in ('parent-with-pr', 'young-person')),
  method text not null check (method in ('written', 'verbal')),
  given_on date not null,
  recorded_by int not null references users(id),
  recorded_at timestamptz not null default now(),
  withdrawn_on date,
  withdrawn_reason text,
  withdrawn_by int references users(id),
  foreign key (la_id, episode_id) references episodes(la_id, id),
  foreign key (la_id, given_by_person_id) references people(la_id, id)
);
create index consents_episode_idx on consents (episode_id, recorded_at);

-- The agencies the family agreed information may be shared with, each added and removed with a date.
create table consent_agencies (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  agency_id int not null,
  added_at timestamptz not null default now(),
  added_by int not null references users(id),
  removed_at timestamptz,
  removed_by int references users(id),
  removed_reason text,
  foreign key (la_id, episode_id) references episodes(la_id, id),
  foreign key (la_id, agency_id) references agencies(la_id, id)
);
create unique index consent_agencies_current on consent_agencies (episode_id, agency_id) where removed_at is null;

-- The practitioners working with the family (the Team Around the Family).
create table team_members (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  user_id int not null references users(id),
  agency_id int not null,
  joined_at timestamptz not null default now(),
  added_by int not null references users(id),
  left_at timestamptz,
  left_reason text,
  foreign key (la_id, episode_id) references episodes(la_id, id),
  foreign key (la_id, agency_id) references agencies(la_id, id)
);
create unique index team_members_current on team_members (episode_id, user_id) where left_at is null;
create index team_members_user_idx on team_members (user_id) where left_at is null;

-- Lead professionals over time. A proposed lead becomes the lead when they accept; until then the
-- one before stays responsible.
create table lead_professionals (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  user_id int not null references users(id),
  proposed_by int not null references users(id),
  proposed_at timestamptz not null default now(),
  family_agreed_on date not null,
  accepted_at timestamptz,
  declined_at timestamptz,
  ended_at timestamptz,
  foreign key (la_id, episode_id) references episodes(la_id, id)
);
create unique index lead_professionals_current on lead_professionals (episode_id) where accepted_at is not null and ended_at is null;
create unique index lead_professionals_pending on lead_professionals (episode_id) where accepted_at is null and declined_at is null;
create index lead_professionals_user_idx on lead_professionals (user_id) where ended_at is null;

-- Breaking the glass may now be for an episode as well as a person's record.
alter table break_glass alter column person_id drop not null;
alter table break_glass add column episode_id bigint references episodes(id);
alter table break_glass add constraint break_glass_target check ((person_id is null) <> (episode_id is null));
create index break_glass_episode_idx on break_glass (session_id, episode_id) where episode_id is not null;
