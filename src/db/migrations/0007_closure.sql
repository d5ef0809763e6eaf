-- Closing an episode, reopening it, and the follow-up contacts that ask whether change lasted.

alter table caf_settings add column reopen_days int not null default 91 check (reopen_days between 0 and 366);
alter table caf_settings add column follow_up_months int[] not null default '{3,6,12}';

create table closure_reasons (
  la_id int not null references local_authorities(id),
  code text not null,
  label text not null,
  sort_order int not null,
  hidden boolean not null default false,
  primary key (la_id, code)
);

create function seed_closure_reasons(council int) returns void language plpgsql as $$
begin
  insert into closure_reasons (la_id, code, label, sort_order) values
    (council, 'needs-met', 'Needs met', 1),
    (council, 'withdrew', 'The family withdrew consent or stopped taking part', 2),
    (council, 'moved', 'Moved to another council (transferred)', 3),
    (council, 'stepped-up', 'Stepped up to children''s social care', 4),
    (council, 'not-eligible', 'No longer eligible', 5),
    (council, 'other', 'Other', 6)
  on conflict do nothing;
end
$$;
select seed_closure_reasons(id) from local_authorities;

create or replace function local_authorities_seed_caf() returns trigger language plpgsql as $$
begin
  perform seed_caf_defaults(new.id);
  perform seed_closure_reasons(new.id);
  return new;
end
$$;

alter table episodes add column closing_summary text;
alter table episodes add column closed_by int references users(id);

-- An episode reopened within the council's time after closing: the same episode, with the reason.
create table episode_reopenings (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  closed_at timestamptz not null,
  closed_reason text,
  reason text not null,
  reopened_by int not null references users(id),
  reopened_at timestamptz not null default now(),
  foreign key (la_id, episode_id) references episodes(la_id, id)
);

-- Contacts after closure, at 3, 6 and 12 months by default, with the family's short questionnaire.
create table follow_ups (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  months int not null,
  due_on date not null,
  status text not null default 'due' check (status in ('due', 'done', 'cancelled')),
  contacted_on date,
  stayed_better text check (stayed_better in ('yes', 'partly', 'no')),
  stayed_better_words text,
  recommend text check (recommend in ('yes', 'no', 'not-sure')),
  could_be_better text,
  recorded_by int references users(id),
  recorded_at timestamptz,
  unique (la_id, id),
  foreign key (la_id, episode_id) references episodes(la_id, id)
);
create index follow_ups_due_idx on follow_ups (la_id, due_on) where status = 'due';
