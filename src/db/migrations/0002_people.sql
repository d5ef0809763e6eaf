-- People (children, unborn babies and adults), households, and what is needed to find them fast:
-- normalised names kept by the app, double-metaphone codes and trigram indexes kept by the database.

create table people (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  given_name text,
  family_name text,
  other_names text,
  sex text check (sex in ('female', 'male', 'indeterminate', 'not-known')),
  date_of_birth date,
  expected_delivery_date date,
  mother_id bigint references people(id),
  address text,
  postcode text,
  phone text,
  first_language text,
  ethnicity text check (ethnicity in ('WBRI', 'WIRI', 'WIRT', 'WOTH', 'WROM', 'MWBC', 'MWBA', 'MWAS', 'MOTH', 'AIND', 'APKN',
    'ABAN', 'AOTH', 'BCRB', 'BAFR', 'BOTH', 'CHNE', 'OOTH', 'REFU', 'NOBT')),
  religion text,
  immigration_status text,
  disability text,
  interpreter_needed boolean,
  special_requirements text,
  school_agency_id int,
  upn text,
  gp_agency_id int,
  nhs_number text,
  -- Search keys, written by the app from the names (lower case, accents removed, nickname resolved).
  search_given text not null default '',
  search_family text not null default '',
  search_name text not null default '',
  given_canon text not null default '',
  given_dm text generated always as (dmetaphone(search_given)) stored,
  family_dm text generated always as (dmetaphone(search_family)) stored,
  created_by int not null references users(id),
  created_by_agency int not null,
  merged_into bigint references people(id),
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (la_id, id),
  foreign key (la_id, school_agency_id) references agencies(la_id, id),
  foreign key (la_id, gp_agency_id) references agencies(la_id, id),
  foreign key (la_id, created_by_agency) references agencies(la_id, id),
  check (coalesce(given_name, family_name) is not null)
);

-- Name plus date of birth: the commonest search. The covering columns let the name filter run on the index.
create index people_dob_idx on people (la_id, date_of_birth) include (id, given_dm, family_dm, given_canon, search_name) where merged_into is null;
create index people_edd_idx on people (la_id, expected_delivery_date) where merged_into is null and expected_delivery_date is not null;
create index people_phonetic_idx on people (la_id, family_dm, given_dm) where merged_into is null;
create index people_canon_idx on people (la_id, given_canon, family_dm) where merged_into is null;
create index people_name_trgm_idx on people using gin (search_name gin_trgm_ops) where merged_into is null;
create index people_nhs_idx on people (la_id, nhs_number) where nhs_number is not null;
create index people_upn_idx on people (la_id, upn) where upn is not null;
create index people_postcode_idx on people (la_id, postcode) where postcode is not null;

-- Every change to a person: who, when, and each field's old and new value.
create table person_changes (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  person_id bigint not null references people(id),
  changed_by int not null references users(id),
  changed_at timestamptz not null default now(),
  change_type text not null check (change_type in ('created', 'updated', 'merged-in', 'merged-away', 'household')),
  changes jsonb not null default '{}'::jsonb,
  reason text
);
create index person_changes_person_idx on person_changes (person_id, changed_at);

create table households (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  created_by int not null references users(id),
  created_at timestamptz not null default now(),
  unique (la_id, id)
);

-- A person's membership of a household, dated: people move between households over time.
create table household_members (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  household_id bigint not null,
  person_id bigint not null,
  from_date date not null default current_date,
  to_date date,
  foreign key (la_id, household_id) references households(la_id, id),
  foreign key (la_id, person_id) references people(la_id, id),
  check (to_date is null or to_date >= from_date)
);
create unique index household_members_current_idx on household_members (household_id, person_id) where to_date is null;
create index household_members_person_idx on household_members (person_id);

-- How an adult (or another child) relates to a child, and whether they hold parental responsibility.
create table relationships (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  person_id bigint not null,
  child_id bigint not null,
  relationship text not null,
  parental_responsibility boolean not null default false,
  foreign key (la_id, person_id) references people(la_id, id),
  foreign key (la_id, child_id) references people(la_id, id),
  check (person_id <> child_id)
);
create unique index relationships_pair_idx on relationships (person_id, child_id);
create index relationships_child_idx on relationships (child_id);

-- A practitioner who saw likely duplicates and said why the new record is someone else.
create table duplicate_dismissals (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  person_id bigint not null references people(id),
  candidate_id bigint not null references people(id),
  reason text not null,
  dismissed_by int not null references users(id),
  dismissed_at timestamptz not null default now()
);

create table person_merges (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  survivor_id bigint not null references people(id),
  merged_id bigint not null references people(id),
  reason text not null,
  moved jsonb not null,
  merged_by int not null references users(id),
  merged_at timestamptz not null default now()
);

-- "Break glass": access to a record without an ordinary right to it, for one session, with a reason.
create table break_glass (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  user_id int not null references users(id),
  session_id text not null,
  person_id bigint not null references people(id),
  reason text not null,
  granted_at timestamptz not null default now(),
  reviewed_by int references users(id),
  reviewed_at timestamptz,
  review_note text
);
create index break_glass_session_idx on break_glass (session_id, person_id);
create index break_glass_review_idx on break_glass (la_id, granted_at) where reviewed_at is null;

-- Filled only by `npm run generate`: which synthetic records are deliberate near-duplicates of which,
-- so that search quality can be scored. Never used by the app.
create table synthetic_duplicates (
  la_id int not null references local_authorities(id),
  original_id bigint not null references people(id),
  duplicate_id bigint not null references people(id),
  kind text not null
);
