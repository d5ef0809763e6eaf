-- Members of the Team Around the Family who have no CAF Hub account (a GP, a housing officer): named,
-- with their role, their organisation (an agency the family's consent must name) and an email address
-- for invitations and minutes. They never sign in.
create table team_externals (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  agency_id int not null,
  name text not null,
  role text not null,
  email text not null,
  added_by int not null references users(id),
  added_at timestamptz not null default now(),
  left_at timestamptz,
  left_reason text,
  foreign key (la_id, episode_id) references episodes(la_id, id),
  foreign key (la_id, agency_id) references agencies(la_id, id)
);
create unique index team_externals_current on team_externals (episode_id, lower(email)) where left_at is null;

-- A meeting's invitee is a practitioner with an account, or one of those members.
alter table meeting_invitees alter column user_id drop not null;
alter table meeting_invitees add column external_id bigint references team_externals(id);
alter table meeting_invitees add constraint meeting_invitees_one_person check (num_nonnulls(user_id, external_id) = 1);
create unique index meeting_invitees_external on meeting_invitees (meeting_id, external_id) where external_id is not null;

-- A family member who takes part in the team, invited to a meeting by email or by a letter to print.
create table meeting_family_invitations (
  id bigserial primary key,
  la_id int not null,
  meeting_id bigint not null,
  person_id bigint not null,
  method text not null check (method in ('email', 'letter')),
  email text,
  invited_by int not null references users(id),
  invited_at timestamptz not null default now(),
  check ((method = 'email') = (email is not null)),
  unique (meeting_id, person_id),
  foreign key (la_id, meeting_id) references meetings(la_id, id),
  foreign key (la_id, person_id) references people(la_id, id)
);
