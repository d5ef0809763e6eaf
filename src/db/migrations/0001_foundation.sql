-- Foundation: councils, their organisation, users, sessions, the mail outbox and the audit log.
-- Every row that belongs to a council carries la_id (also the future distribution key).

create extension if not exists pg_trgm;
create extension if not exists fuzzystrmatch;

create table local_authorities (
  id serial primary key,
  code text not null unique,          -- ONS code, e.g. E09000099
  name text not null,
  created_at timestamptz not null default now()
);

create table localities (
  id serial primary key,
  la_id int not null references local_authorities(id),
  name text not null,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (la_id, id)
);
create unique index localities_name_unique on localities (la_id, lower(name));

-- The fixed list of agency types. Not editable by councils: reports compare like with like across them.
create table agency_types (
  code text primary key,
  label text not null,
  sort_order int not null
);
insert into agency_types (code, label, sort_order) values
  ('primary_school', 'Primary school', 10),
  ('secondary_school', 'Secondary school', 20),
  ('special_school', 'Special school', 30),
  ('early_years', 'Early years setting or nursery', 40),
  ('further_education', 'College or further education', 50),
  ('health_visiting', 'Health visiting team', 60),
  ('school_nursing', 'School nursing team', 70),
  ('gp_practice', 'GP practice', 80),
  ('health_trust', 'Health trust or hospital', 90),
  ('mental_health', 'Children''s mental health service', 100),
  ('police', 'Police', 110),
  ('housing', 'Housing', 120),
  ('youth_justice', 'Youth justice service', 130),
  ('childrens_social_care', 'Children''s social care', 140),
  ('early_help', 'Council early help or family support', 150),
  ('adult_services', 'Adult services', 160),
  ('voluntary', 'Voluntary or community organisation', 170),
  ('other', 'Other', 999);

create table agencies (
  id serial primary key,
  la_id int not null references local_authorities(id),
  name text not null,
  agency_type text not null references agency_types(code),
  locality_id int,
  email text,
  phone text,
  active boolean not null default true,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (la_id, id),
  foreign key (la_id, locality_id) references localities(la_id, id)
);
create unique index agencies_name_unique on agencies (la_id, lower(name));

create table users (
  id serial primary key,
  la_id int not null references local_authorities(id),
  agency_id int not null,
  email text not null,
  full_name text not null,
  job_title text,
  phone text,
  roles text[] not null,
  password_hash text,
  password_changed_at timestamptz,
  failed_sign_ins int not null default 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  last_sign_in_at timestamptz,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (la_id, id),
  foreign key (la_id, agency_id) references agencies(la_id, id),
  check (cardinality(roles) > 0),
  check (roles <@ array['practitioner', 'coordinator', 'manager', 'panel_member', 'social_care', 'administrator']::text[])
);
-- One account per email address across the whole deployment: sign-in needs no council picker.
create unique index users_email_unique on users (lower(email));
create index users_la_idx on users (la_id, full_name);

-- Server-side sessions. id is the SHA-256 of the cookie's token, so the table never holds a usable token.
create table sessions (
  id text primary key,
  user_id int not null references users(id),
  la_id int not null references local_authorities(id),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  ended_at timestamptz,
  end_reason text
);
create index sessions_user_idx on sessions (user_id) where ended_at is null;

-- One-time links to set a password. token_hash is the SHA-256 of the token in the link.
create table password_tokens (
  token_hash text primary key,
  user_id int not null references users(id),
  la_id int not null references local_authorities(id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);

-- Child population aged 0-17 by year, for rates per 10,000 children.
create table child_population (
  la_id int not null references local_authorities(id),
  year int not null check (year between 1990 and 2100),
  population int not null check (population between 1 and 5000000),
  updated_by int references users(id),
  updated_at timestamptz not null default now(),
  primary key (la_id, year)
);

-- Mail is written here in the same transaction as the change that causes it, and sent by a worker.
create table mail_outbox (
  id bigserial primary key,
  la_id int references local_authorities(id),
  to_address text not null,
  subject text not null,
  body_text text not null,
  attachments jsonb not null default '[]'::jsonb,
  status text not null default 'pending' check (status in ('pending', 'sent')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  delivered_as text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index mail_outbox_due_idx on mail_outbox (next_attempt_at) where status = 'pending';

-- The audit log: append-only and hash-chained, one chain per council (chain 0 for events with no council).
create sequence audit_events_id_seq;
create table audit_events (
  id bigint primary key,
  chain int not null,
  la_id int references local_authorities(id),
  occurred_at timestamptz not null default now(),
  actor_user_id int references users(id),
  session_id text,
  action text not null,
  record_type text,
  record_id text,
  detail jsonb not null default '{}'::jsonb,
  ip text,
  prev_hash text not null,
  hash text not null
);
create index audit_events_chain_idx on audit_events (chain, id);
create index audit_events_la_time_idx on audit_events (la_id, occurred_at desc);
create index audit_events_actor_idx on audit_events (la_id, actor_user_id, occurred_at desc);
create index audit_events_record_idx on audit_events (la_id, record_type, record_id, occurred_at desc);

-- The digest covers every field; %L quotes values and writes NULL bare, so no two rows share a text.
create function audit_event_digest(prev text, e audit_events) returns text
language sql stable as $$
  select encode(sha256(convert_to(format('%L|%L|%L|%L|%L|%L|%L|%L|%L|%L|%L|%L',
    prev, e.id, e.chain, e.la_id,
    to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    e.actor_user_id, e.session_id, e.action, e.record_type, e.record_id, e.detail::text, e.ip), 'UTF8')), 'hex')
$$;

-- Inserts into one chain are serialised by an advisory lock held to the end of the transaction,
-- and the id is taken under the lock, so id order is chain order.
create function audit_events_link() returns trigger
language plpgsql as $$
declare
  previous text;
begin
  new.chain := coalesce(new.la_id, 0);
  perform pg_advisory_xact_lock(74110, new.chain);
  new.id := nextval('audit_events_id_seq');
  select hash into previous from audit_events where chain = new.chain order by id desc limit 1;
  new.prev_hash := coalesce(previous, 'genesis');
  new.hash := audit_event_digest(new.prev_hash, new);
  return new;
end
$$;

create function audit_events_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_events is append-only: % is not allowed', tg_op;
end
$$;

create trigger audit_events_link before insert on audit_events
  for each row execute function audit_events_link();
create trigger audit_events_no_update before update or delete on audit_events
  for each row execute function audit_events_refuse_change();
create trigger audit_events_no_truncate before truncate on audit_events
  for each statement execute function audit_events_refuse_change();

-- Demo mode only: the made-up demo accounts and their shared password, shown on the sign-in page
-- when DEMO is on. Never filled outside demo mode.
create table demo_accounts (
  email text primary key,
  role text not null,
  password text not null
);
