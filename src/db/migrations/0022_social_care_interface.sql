-- The social care interface: contacts social care sends to early help (interface notifications), step
-- ups that wait for social care's decision, and step downs handed to a named lead professional.

alter table caf_settings add column notification_decision_days int not null default 2 check (notification_decision_days between 1 and 20);
alter table caf_settings add column step_up_decision_days int not null default 1 check (step_up_decision_days between 1 and 10);

-- Where an episode came from: a practitioner's start, a signposting request, social care's
-- notification or step down, or a family moving from another council.
alter table episodes add column origin text not null default 'practitioner'
  check (origin in ('practitioner', 'signposting', 'notification', 'step-down', 'transfer'));
update episodes e set origin = 'signposting' where exists (select 1 from signposting_requests g where g.episode_id = e.id);

-- A step up waits for social care's decision with the episode still open.
alter table episodes drop constraint episodes_status_check;
alter table episodes add constraint episodes_status_check
  check (status in ('intention', 'pre-assessment', 'assessment', 'assessment-complete', 'plan-active', 'stepping-up', 'closed'));
alter table episode_stage_changes drop constraint episode_stage_changes_from_stage_check;
alter table episode_stage_changes drop constraint episode_stage_changes_to_stage_check;
alter table episode_stage_changes add constraint episode_stage_changes_from_stage_check
  check (from_stage in ('intention', 'pre-assessment', 'assessment', 'assessment-complete', 'plan-active', 'stepping-up', 'closed'));
alter table episode_stage_changes add constraint episode_stage_changes_to_stage_check
  check (to_stage in ('intention', 'pre-assessment', 'assessment', 'assessment-complete', 'plan-active', 'stepping-up', 'closed'));

-- A contact or referral to social care that did not meet its threshold, sent to the early help hub.
create table interface_notifications (
  id bigserial primary key,
  la_id int not null,
  child_person_id bigint not null,
  contact_on date not null,
  -- Who made the contact, coded as in the children in need census (1A family member ... 10 unknown).
  source text not null,
  reported text not null,
  social_care_action text not null,
  family_aware text not null check (family_aware in ('agrees', 'knows', 'unaware')),
  sent_by int not null references users(id),
  sent_at timestamptz not null default now(),
  -- The council's working days after it was sent.
  decide_by date not null,
  decision text check (decision in ('caf', 'signpost', 'no-further-action')),
  decision_note text,
  service_id int,
  episode_id bigint,
  decided_by int references users(id),
  decided_at timestamptz,
  version int not null default 1,
  unique (la_id, id),
  foreign key (la_id, child_person_id) references people(la_id, id),
  foreign key (service_id) references services(id),
  foreign key (la_id, episode_id) references episodes(la_id, id),
  check ((decision is null) = (decided_at is null) and (decision is null) = (decided_by is null)),
  check (decision is distinct from 'caf' or episode_id is not null),
  check (decision is distinct from 'signpost' or service_id is not null),
  check (decision is distinct from 'no-further-action' or decision_note is not null)
);
create index interface_notifications_waiting_idx on interface_notifications (la_id, decide_by) where decision is null;
create index interface_notifications_sent_idx on interface_notifications (la_id, sent_at);
create index interface_notifications_child_idx on interface_notifications (child_person_id);

-- Step ups become requests that social care decides. Rows made before this (the episode already
-- closed as stepped up) wait for the decision too; their reason is the closing summary.
drop index step_ups_waiting_idx;
alter table step_ups rename column decided_by to requested_by;
alter table step_ups rename column decided_at to requested_at;
alter table step_ups drop column handed_over_at;
alter table step_ups add column reason text;
update step_ups s set reason = coalesce(e.closing_summary, 'Not recorded') from episodes e where e.id = s.episode_id;
alter table step_ups alter column reason set not null;
alter table step_ups add column risks text;
-- The stage the episode was at, to go back to if social care does not accept; null for the rows above.
alter table step_ups add column from_stage text check (from_stage in ('assessment-complete', 'plan-active'));
-- What was sent: the episode's information as it stood when the step up was asked for.
alter table step_ups add column package jsonb;
alter table step_ups add column decide_by date;
update step_ups set decide_by = (requested_at at time zone 'Europe/London')::date + 1;
alter table step_ups alter column decide_by set not null;
alter table step_ups add column status text not null default 'waiting' check (status in ('waiting', 'accepted', 'not-accepted'));
alter table step_ups add column decided_by int references users(id);
alter table step_ups add column decided_at timestamptz;
alter table step_ups add column taken_on date;
alter table step_ups add column not_accepted_reason text;
alter table step_ups add column advice text;
alter table step_ups add column version int not null default 1;
alter table step_ups add check ((status = 'waiting') = (decided_at is null));
alter table step_ups add check (status <> 'accepted' or taken_on is not null);
alter table step_ups add check (status <> 'not-accepted' or not_accepted_reason is not null);
create index step_ups_waiting_idx on step_ups (la_id, decide_by) where status = 'waiting';
create index step_ups_requested_idx on step_ups (la_id, requested_at);
-- One step up waits for each episode at a time (rows from before this, whose episodes closed, may be several).
create unique index step_ups_one_waiting on step_ups (episode_id) where status = 'waiting' and from_stage is not null;

-- Social care ends its involvement and hands the family to early help: a new episode, whose lead the
-- hub allocates, with a Team Around the Family meeting at least 3 weeks before social care lets go.
create table step_downs (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  decision_point text not null check (decision_point in ('after-contact', 'after-assessment', 'cin-closure')),
  involvement_ends_on date not null,
  known text not null,
  proposed_agency_id int not null,
  started_by int not null references users(id),
  started_at timestamptz not null default now(),
  -- When social care recorded that its involvement ended: only once a lead professional has accepted.
  ended_on date,
  ended_by int references users(id),
  version int not null default 1,
  unique (la_id, id),
  unique (episode_id),
  foreign key (la_id, episode_id) references episodes(la_id, id),
  foreign key (la_id, proposed_agency_id) references agencies(la_id, id),
  check ((ended_on is null) = (ended_by is null))
);
create index step_downs_open_idx on step_downs (la_id, involvement_ends_on) where ended_on is null;
create index step_downs_started_idx on step_downs (la_id, started_at);
