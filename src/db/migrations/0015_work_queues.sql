-- The hub's desk: the timescales its work queues measure against, where an episode belongs, who
-- manages a locality, and what the hub records when it works a queue (follow-ups of intentions, notes).

alter table caf_settings add column lead_accept_days int not null default 5 check (lead_accept_days between 1 and 60);
alter table caf_settings add column copy_given_days int not null default 10 check (copy_given_days between 1 and 90);
alter table caf_settings add column open_limit_days int not null default 365 check (open_limit_days between 28 and 1095);
alter table caf_settings add column non_attendance_repeats int not null default 2 check (non_attendance_repeats between 2 and 10);

-- The locality an episode belongs to: the initiating agency's when the episode started. Kept on the
-- episode so that an agency moving locality later does not move the council's history with it.
alter table episodes add column locality_id int;
alter table episodes add foreign key (la_id, locality_id) references localities(la_id, id);
update episodes e set locality_id = a.locality_id from agencies a where a.id = e.initiator_agency_id;

-- A manager may manage a locality as well as their agency's work: they see that locality's episodes.
alter table users add column manages_locality_id int;
alter table users add foreign key (la_id, manages_locality_id) references localities(la_id, id);

-- The hub following up an intention to assess that has not become an assessment.
create table intention_follow_ups (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  outcome text not null check (outcome in ('contacted', 'still-intended', 'not-going-ahead')),
  note text,
  recorded_by int not null references users(id),
  recorded_at timestamptz not null default now(),
  foreign key (la_id, episode_id) references episodes(la_id, id),
  check (outcome <> 'not-going-ahead' or note is not null)
);
create index intention_follow_ups_episode_idx on intention_follow_ups (episode_id, recorded_at);

-- Notes the hub (or anyone working on the episode) adds from a queue; shown on the episode.
create table episode_notes (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  body text not null,
  written_by int not null references users(id),
  written_at timestamptz not null default now(),
  foreign key (la_id, episode_id) references episodes(la_id, id)
);
create index episode_notes_episode_idx on episode_notes (episode_id, written_at);

-- What the queues ask of a council's open episodes, fast at a million.
create index episodes_open_idx on episodes (la_id, status) include (created_at, assessment_completed_at, next_review_on, copy_given_on) where status <> 'closed';
create index episodes_review_due_idx on episodes (la_id, next_review_on) where status = 'plan-active';
create index plan_actions_overdue_idx on plan_actions (la_id, due_on) where status in ('not-started', 'in-progress');
create index lead_professionals_pending_idx on lead_professionals (la_id, proposed_at) where accepted_at is null and declined_at is null;
create index episodes_initiator_idx on episodes (initiator_user_id);
