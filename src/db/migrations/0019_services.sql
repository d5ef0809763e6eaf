-- Services: a directory practitioners search, with waiting times measured from the referrals made to
-- each service from plans (requested to started), not guessed.

-- Below this many referrals started in 90 days, a service's waiting time says "not enough referrals yet".
alter table caf_settings add column waiting_min_referrals int not null default 5 check (waiting_min_referrals between 1 and 100);

create table services (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  provider_agency_id int not null,
  name text not null,
  description text not null,
  -- Who it is for: ages (inclusive) and the needs it meets (the assessment's element codes).
  min_age int check (min_age between 0 and 25),
  max_age int check (max_age between 0 and 25),
  needs text[] not null default '{}',
  how_to_refer text not null,
  -- Takes referrals through the hub (signposting), not only from a plan.
  via_hub boolean not null default false,
  capacity int check (capacity between 0 and 100000),
  open boolean not null default true,
  version int not null default 1,
  created_by int not null references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (la_id, provider_agency_id) references agencies(la_id, id),
  unique (la_id, name),
  check (min_age is null or max_age is null or min_age <= max_age)
);

create table service_localities (
  service_id bigint not null references services(id),
  la_id int not null,
  locality_id int not null,
  primary key (service_id, locality_id),
  foreign key (la_id, locality_id) references localities(la_id, id)
);

-- A referral to a service from an action of a plan, and where it has got to.
create table referrals (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  action_id bigint not null unique references plan_actions(id),
  service_id bigint not null references services(id),
  child_person_id bigint not null references people(id),
  need text not null,
  outcome text not null,
  status text not null default 'requested' check (status in ('requested', 'accepted', 'declined', 'waiting', 'started', 'finished', 'withdrawn')),
  requested_on date not null,
  started_on date,
  -- Whether it helped, said when it finished.
  helped text check (helped in ('yes', 'partly', 'no')),
  reason text,
  version int not null default 1,
  requested_by int not null references users(id),
  foreign key (la_id, episode_id) references episodes(la_id, id),
  check (status <> 'started' or started_on is not null),
  check (status not in ('declined', 'withdrawn') or reason is not null)
);
create index referrals_service_idx on referrals (service_id, started_on);
create index referrals_episode_idx on referrals (episode_id);

-- Every change of a referral's status: who, when, and why.
create table referral_events (
  id bigserial primary key,
  la_id int not null,
  referral_id bigint not null references referrals(id),
  status text not null,
  note text,
  by_user_id int not null references users(id),
  at timestamptz not null default now()
);
create index referral_events_referral_idx on referral_events (referral_id, at);
