-- Reports and inspection exports: what the council's figures need that was not kept yet. The figures
-- themselves are counted from the records (episodes, their stage changes, reviews, follow-ups...).

-- The council's data team: reports and inspection returns across the council, and no casework.
alter table users drop constraint users_roles_check1;
alter table users add constraint users_roles_known check (roles <@ array['practitioner', 'coordinator', 'manager', 'panel_member', 'social_care', 'administrator', 'data_team']::text[]);

-- In anything downloaded, a count under this is shown as "fewer than N", as councils publish.
alter table caf_settings add column small_number_threshold int not null default 5 check (small_number_threshold between 2 and 20);

-- The council's target for episodes started per 10,000 children, for each year of the population.
alter table child_population add column target_per_10000 numeric(7, 1) check (target_per_10000 between 0 and 10000);

-- CAF training each user has had: the report compares practitioners trained with those who start CAFs.
create table caf_training (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  user_id int not null,
  course text not null,
  trained_on date not null,
  recorded_by int not null references users(id),
  recorded_at timestamptz not null default now(),
  foreign key (la_id, user_id) references users(la_id, id)
);
create index caf_training_user_idx on caf_training (la_id, user_id, trained_on);

-- What an hour of a professional's time costs, by the agency type they work for: an estimate the
-- administrator keeps, for the cost of an episode's meetings.
create table hourly_costs (
  la_id int not null references local_authorities(id),
  agency_type text not null references agency_types(code),
  pounds_per_hour numeric(8, 2) not null check (pounds_per_hour between 0 and 10000),
  updated_by int not null references users(id),
  updated_at timestamptz not null default now(),
  primary key (la_id, agency_type)
);

-- What one referral to a service that started costs the council, when known.
alter table services add column unit_cost numeric(10, 2) check (unit_cost between 0 and 1000000);

-- "Costs avoided": what the outcomes early help aims to prevent would cost (as in Birmingham's
-- appendix: a child in care for a year, a permanent exclusion...), set beside the cost of a CAF.
create table costs_avoided (
  id serial primary key,
  la_id int not null references local_authorities(id),
  name text not null,
  description text not null,
  cost numeric(12, 2) not null check (cost between 0 and 100000000),
  source text,
  sort_order int not null default 0,
  updated_by int not null references users(id),
  updated_at timestamptz not null default now()
);
create unique index costs_avoided_name_unique on costs_avoided (la_id, lower(name));

-- Supporting Families: the national outcome framework's headline each desired outcome's need is under.
alter table plan_outcomes add column headline text check (headline in ('education', 'early-years', 'health', 'substance-use',
  'family-relationships', 'safe-from-abuse', 'crime', 'domestic-abuse', 'housing', 'financial-stability'));

-- The reports count a council's episodes by the day they started and the day they closed.
create index episodes_started_idx on episodes (la_id, created_at);
create index episodes_closed_idx on episodes (la_id, closed_at) where closed_at is not null;
create index episodes_assessed_idx on episodes (la_id, assessment_started_at) where assessment_started_at is not null;
