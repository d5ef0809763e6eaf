-- Quality assurance: the hub audits a random sample of episodes, judges the work on the council's
-- scale, and feeds back to the practitioner, who acknowledges it; a second auditor may moderate.

-- The scale the council judges on. The words and which grades count as "good or better" are in code
-- (src/features/quality/scale.ts); each audit keeps the scale it was judged on.
alter table caf_settings add column qa_scale text not null default 'good-satisfactory-poor'
  check (qa_scale in ('good-satisfactory-poor', 'outstanding-to-inadequate'));

-- A draw: its rules and seed are kept so that anyone can draw it again and get the same episodes.
create table qa_samples (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  period_from date not null,
  period_to date not null,
  size int not null check (size between 1 and 200),
  stages text[] not null check (cardinality(stages) > 0),
  stratify_by text not null check (stratify_by in ('none', 'locality', 'agency')),
  seed text not null check (seed ~ '^[a-z0-9-]{1,40}$'),
  -- How many episodes matched the rules when it was drawn.
  population int not null,
  drawn_by int not null references users(id),
  drawn_at timestamptz not null default now(),
  check (period_from <= period_to)
);
create index qa_samples_la_idx on qa_samples (la_id, drawn_at desc);

create table qa_sample_episodes (
  sample_id bigint not null references qa_samples(id),
  la_id int not null,
  episode_id bigint not null,
  -- The locality or agency it was drawn from (its name when drawn), or null for an unstratified draw.
  stratum text,
  position int not null,
  primary key (sample_id, episode_id),
  foreign key (la_id, episode_id) references episodes(la_id, id)
);

create table qa_audits (
  id bigserial primary key,
  la_id int not null,
  sample_id bigint references qa_samples(id),
  episode_id bigint not null,
  -- Who is told: the lead professional when it was audited, or the initiator while nobody led.
  practitioner_user_id int not null references users(id),
  -- Whose work it was, for the QA page's shares: the practitioner's agency and the episode's locality, when audited.
  agency_id int not null references agencies(id),
  locality_id int references localities(id),
  auditor_user_id int not null references users(id),
  scale text not null,
  -- The automatic checklist as it stood when audited: item key to 'yes', 'no' or 'not-due'.
  checklist jsonb not null,
  -- Area key to grade, on the scale above.
  judgements jsonb not null,
  feedback text not null,
  audited_at timestamptz not null default now(),
  acknowledged_at timestamptz,
  reply text,
  foreign key (la_id, episode_id) references episodes(la_id, id),
  unique (sample_id, episode_id)
);
create index qa_audits_la_idx on qa_audits (la_id, audited_at desc);
create index qa_audits_practitioner_idx on qa_audits (practitioner_user_id) where acknowledged_at is null;
create index qa_audits_episode_idx on qa_audits (episode_id);

-- A second auditor's judgement of the same audit, kept beside the first.
create table qa_moderations (
  audit_id bigint primary key references qa_audits(id),
  la_id int not null,
  moderator_user_id int not null references users(id),
  judgements jsonb not null,
  comment text not null,
  moderated_at timestamptz not null default now()
);
