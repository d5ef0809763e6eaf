-- The action plan: for each need from the assessment, the desired outcome (a change for the family, not
-- a service) and the actions towards it, each with an owner, a due date and a status.

create table plan_outcomes (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  need text not null,
  outcome text not null,
  -- Set by reviews (a later step): open until achieved or no longer relevant.
  status text not null default 'open' check (status in ('open', 'achieved', 'no-longer-relevant')),
  sort_order int not null,
  version int not null default 1,
  created_by int not null references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (la_id, id),
  foreign key (la_id, episode_id) references episodes(la_id, id)
);
create index plan_outcomes_episode_idx on plan_outcomes (episode_id, sort_order);

create table plan_actions (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  outcome_id bigint not null,
  description text not null,
  -- The owner is a member of the team, or else an agency (with no one person named yet).
  owner_user_id int references users(id),
  owner_agency_id int not null,
  due_on date not null,
  status text not null default 'not-started' check (status in ('not-started', 'in-progress', 'done', 'not-done')),
  not_done_reason text,
  -- A service the action refers the family to (the service directory comes later: its name for now).
  service_name text,
  version int not null default 1,
  created_by int not null references users(id),
  created_at timestamptz not null default now(),
  updated_by int not null references users(id),
  updated_at timestamptz not null default now(),
  foreign key (la_id, outcome_id) references plan_outcomes(la_id, id),
  foreign key (la_id, owner_agency_id) references agencies(la_id, id),
  check (status <> 'not-done' or not_done_reason is not null)
);
create index plan_actions_episode_idx on plan_actions (episode_id, due_on);
create index plan_actions_owner_idx on plan_actions (owner_user_id, due_on) where status in ('not-started', 'in-progress');
