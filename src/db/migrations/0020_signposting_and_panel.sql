-- Signposting (the SPTSF): one clear need sent through the hub to a service, without a full CAF.
-- And the multi-agency panel: stuck cases brought by their lead professional, decided with resources
-- and actions, and the gaps in local services it found.

-- After this many weeks with the need not met, the hub is prompted to suggest a CAF.
alter table caf_settings add column signposting_prompt_weeks int not null default 8 check (signposting_prompt_weeks between 1 and 52);

create table signposting_requests (
  id bigserial primary key,
  la_id int not null,
  child_person_id bigint not null references people(id),
  need text not null,
  service_id bigint not null references services(id),
  -- The family's consent to share with the service's agency: who gave it, how and when.
  consent_giver_person_id bigint not null references people(id),
  giver_role text not null check (giver_role in ('parent-with-pr', 'young-person')),
  consent_method text not null check (consent_method in ('written', 'verbal')),
  consent_given_on date not null,
  status text not null default 'waiting' check (status in ('waiting', 'passed', 'declined')),
  decline_reason text,
  decided_by int references users(id),
  decided_at timestamptz,
  -- The CAF started from it, when signposting was not enough.
  episode_id bigint,
  requested_by int not null references users(id),
  requested_agency_id int not null,
  requested_at timestamptz not null default now(),
  version int not null default 1,
  unique (la_id, id),
  foreign key (la_id, episode_id) references episodes(la_id, id),
  foreign key (la_id, requested_agency_id) references agencies(la_id, id),
  check (status <> 'declined' or decline_reason is not null)
);
create index signposting_waiting_idx on signposting_requests (la_id, requested_at) where status = 'waiting';

-- A referral comes from a plan action or from a signposting request the hub passed on.
alter table referrals alter column episode_id drop not null;
alter table referrals alter column action_id drop not null;
-- A signposting request names the need only, in the practitioner's words: there is no plan's outcome.
alter table referrals alter column outcome drop not null;
alter table referrals add column signposting_id bigint unique references signposting_requests(id);
alter table referrals add constraint referrals_from_plan_or_signposting
  check ((episode_id is not null and action_id is not null and signposting_id is null) or (episode_id is null and action_id is null and signposting_id is not null));

create table panel_meetings (
  id bigserial primary key,
  la_id int not null,
  starts_at timestamptz not null,
  duration_minutes int not null check (duration_minutes between 15 and 480),
  place text not null,
  chair_user_id int not null references users(id),
  -- From the agenda's publication to the end of the meeting day, members may read the cases on it.
  published_at timestamptz,
  -- The UK date of the meeting, when members' reading ends (at its midnight).
  meets_on date not null,
  uid text not null unique,
  sequence int not null default 0,
  created_by int not null references users(id),
  created_at timestamptz not null default now(),
  unique (la_id, id)
);
create index panel_meetings_la_idx on panel_meetings (la_id, starts_at);

create table panel_members (
  id bigserial primary key,
  la_id int not null,
  meeting_id bigint not null,
  user_id int not null references users(id),
  agency_id int not null,
  attendance text check (attendance in ('attended', 'apologies', 'did-not-attend')),
  unique (meeting_id, user_id),
  foreign key (la_id, meeting_id) references panel_meetings(la_id, id),
  foreign key (la_id, agency_id) references agencies(la_id, id)
);
create index panel_members_user_idx on panel_members (user_id);

-- A lead professional asks for a case to go to panel.
create table panel_requests (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  stuck text not null,
  tried text not null,
  asked text not null,
  meeting_id bigint,
  requested_by int not null references users(id),
  requested_at timestamptz not null default now(),
  -- What the panel decided.
  advice text,
  review_on date,
  decided_by int references users(id),
  decided_at timestamptz,
  unique (la_id, id),
  foreign key (la_id, episode_id) references episodes(la_id, id),
  foreign key (la_id, meeting_id) references panel_meetings(la_id, id),
  check ((advice is null) = (decided_at is null))
);
create index panel_requests_episode_idx on panel_requests (episode_id);
create index panel_requests_meeting_idx on panel_requests (meeting_id);

create table panel_resources (
  id bigserial primary key,
  la_id int not null,
  request_id bigint not null,
  service_id bigint references services(id),
  agency_id int not null,
  amount numeric(12, 2) not null check (amount > 0),
  unit text not null check (unit in ('hours', 'places', 'money')),
  foreign key (la_id, request_id) references panel_requests(la_id, id),
  foreign key (la_id, agency_id) references agencies(la_id, id)
);
create index panel_resources_request_idx on panel_resources (request_id);

-- The actions a decision put into the episode's plan.
alter table plan_actions add column panel_request_id bigint references panel_requests(id);

-- Needs the panel could not find a service for, for commissioners.
create table panel_gaps (
  id bigserial primary key,
  la_id int not null,
  meeting_id bigint not null,
  need text not null,
  locality_id int,
  note text not null,
  recorded_by int not null references users(id),
  recorded_at timestamptz not null default now(),
  foreign key (la_id, meeting_id) references panel_meetings(la_id, id),
  foreign key (la_id, locality_id) references localities(la_id, id)
);
create index panel_gaps_la_idx on panel_gaps (la_id, need);
