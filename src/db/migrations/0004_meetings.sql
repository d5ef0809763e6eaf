-- Team Around the Family meetings: invitations (by email, with a calendar invitation), responses,
-- attendance, minutes and decisions. Asking is on the record: every invitation, update, cancellation
-- and response is logged.

alter table caf_settings add column first_taf_days int not null default 14 check (first_taf_days between 1 and 90);

create table meetings (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  starts_at timestamptz not null,
  duration_minutes int not null check (duration_minutes between 15 and 480),
  place text not null,
  chair_user_id int not null references users(id),
  minute_taker_user_id int not null references users(id),
  status text not null default 'scheduled' check (status in ('scheduled', 'cancelled', 'held')),
  -- The calendar invitation's identity: updates and cancellations keep the uid and raise the sequence.
  uid text not null unique,
  sequence int not null default 0,
  family_present boolean,
  family_absent_reason text,
  minutes text,
  decisions text,
  version int not null default 1,
  created_by int not null references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (la_id, id),
  foreign key (la_id, episode_id) references episodes(la_id, id)
);
create index meetings_episode_idx on meetings (episode_id, starts_at);
create index meetings_upcoming_idx on meetings (la_id, starts_at) where status = 'scheduled';

create table meeting_invitees (
  id bigserial primary key,
  la_id int not null,
  meeting_id bigint not null,
  user_id int not null references users(id),
  agency_id int not null,
  response text check (response in ('accepted', 'declined', 'tentative')),
  responded_at timestamptz,
  attendance text check (attendance in ('attended', 'apologies', 'did-not-attend')),
  unique (meeting_id, user_id),
  foreign key (la_id, meeting_id) references meetings(la_id, id),
  foreign key (la_id, agency_id) references agencies(la_id, id)
);
create index meeting_invitees_agency_idx on meeting_invitees (la_id, agency_id) where attendance = 'did-not-attend';

-- What was sent and what came back, in order: the record that asking happened.
create table meeting_log (
  id bigserial primary key,
  la_id int not null,
  meeting_id bigint not null,
  invitee_id bigint,
  event text not null check (event in ('invited', 'updated', 'cancelled', 'response', 'attendance')),
  detail text,
  outbox_id bigint references mail_outbox(id),
  by_user_id int not null references users(id),
  at timestamptz not null default now(),
  foreign key (la_id, meeting_id) references meetings(la_id, id)
);
create index meeting_log_meeting_idx on meeting_log (meeting_id, at);
