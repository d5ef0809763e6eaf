-- A family moving to another council. Within this installation, the receiving council's hub accepts
-- (allocating a lead professional) or declines; to another installation, the lead professional exports
-- a file signed with the council's key, which the other installation verifies and imports.

create table transfers (
  id bigserial primary key,
  -- The sending council.
  la_id int not null references local_authorities(id),
  episode_id bigint not null,
  -- A council of this installation, or null when the package went as a file to another installation.
  to_la_id int references local_authorities(id),
  -- The receiving council as it was named when the package was sent.
  to_council text not null,
  reason text not null,
  moved_on date not null,
  consent_giver_person_id bigint not null,
  consent_giver_role text not null check (consent_giver_role in ('parent-with-pr', 'young-person')),
  consent_method text not null check (consent_method in ('written', 'verbal')),
  consent_given_on date not null,
  -- What was sent, as it was sent (the signed document for a file).
  package jsonb not null,
  requested_by int not null references users(id),
  requested_at timestamptz not null default now(),
  status text not null default 'waiting' check (status in ('waiting', 'accepted', 'declined', 'exported')),
  decided_by int references users(id),
  decided_at timestamptz,
  decline_reason text,
  new_episode_id bigint references episodes(id),
  version int not null default 1,
  unique (la_id, id),
  foreign key (la_id, episode_id) references episodes(la_id, id),
  foreign key (la_id, consent_giver_person_id) references people(la_id, id),
  check (to_la_id is distinct from la_id),
  check ((status = 'exported') = (to_la_id is null)),
  check (status <> 'declined' or decline_reason is not null),
  check (status <> 'accepted' or new_episode_id is not null)
);
create unique index transfers_one_waiting on transfers (episode_id) where status = 'waiting';
create index transfers_incoming_idx on transfers (to_la_id, requested_at);
create index transfers_episode_idx on transfers (episode_id);
create index transfers_new_episode_idx on transfers (new_episode_id) where new_episode_id is not null;

-- Packages imported from councils on other installations, after their signature and shape were checked.
create table transfer_imports (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  from_code text not null,
  from_name text not null,
  -- The package's own id: the same file is not imported twice.
  package_id text not null,
  document jsonb not null,
  imported_by int not null references users(id),
  imported_at timestamptz not null default now(),
  new_episode_id bigint not null references episodes(id),
  unique (la_id, from_code, package_id)
);
create index transfer_imports_episode_idx on transfer_imports (new_episode_id);

-- Each council's signing key (made the first time it signs), and the public keys of councils on other
-- installations whose packages it accepts, added by its administrator.
create table council_keys (
  la_id int primary key references local_authorities(id),
  kid text not null unique,
  public_jwk jsonb not null,
  private_jwk jsonb not null,
  created_at timestamptz not null default now()
);
create table trusted_councils (
  id serial primary key,
  la_id int not null references local_authorities(id),
  code text not null,
  name text not null,
  kid text not null,
  public_jwk jsonb not null,
  added_by int not null references users(id),
  added_at timestamptz not null default now(),
  unique (la_id, code, kid)
);

-- Search looks for open CAFs in the installation's other councils by date of birth, NHS number or UPN.
create index people_dob_all_councils_idx on people (date_of_birth, family_dm) where merged_into is null;
create index people_nhs_all_councils_idx on people (nhs_number) where nhs_number is not null and merged_into is null;
create index people_upn_all_councils_idx on people (upn) where upn is not null and merged_into is null;
