-- What the work queues ask of every open episode, kept on the episode itself so the desk reads one row
-- per episode instead of probing five tables for each (at 50,000 episodes a council, the probes were
-- most of a second): the lead professional who accepted, a proposal still waiting for an answer, the
-- latest consent's state and since when, when the first meeting was held, and the latest review.
-- Triggers keep them right whoever writes the rows; the tables they summarise stay the record.
alter table episodes add column lead_user_id int;
alter table episodes add column lead_proposed_at timestamptz;
alter table episodes add column consent_state text check (consent_state in ('given', 'refused', 'withdrawn'));
alter table episodes add column consent_state_on date;
alter table episodes add column first_meeting_at timestamptz;
alter table episodes add column last_review_on date;

-- The facts of one episode, from the tables they summarise. The one definition of each fact: the
-- triggers call it on every change, and refresh_queue_facts (below) for a whole council.
create function episode_facts(episode bigint) returns void language sql as $$
  update episodes e set
    lead_user_id = (select l.user_id from lead_professionals l where l.episode_id = e.id and l.accepted_at is not null and l.ended_at is null limit 1),
    lead_proposed_at = (select l.proposed_at from lead_professionals l where l.episode_id = e.id and l.accepted_at is null and l.declined_at is null limit 1),
    first_meeting_at = (select min(m.starts_at) from meetings m where m.episode_id = e.id and m.status = 'held'),
    last_review_on = (select max(r.held_on) from reviews r where r.episode_id = e.id),
    (consent_state, consent_state_on) = (
      select case when c.withdrawn_on is not null then 'withdrawn' when c.decision = 'refused' then 'refused' else 'given' end, coalesce(c.withdrawn_on, c.given_on)
      from consents c where c.episode_id = e.id order by c.recorded_at desc, c.id desc limit 1)
  where e.id = episode;
$$;

-- The episode's row is locked first, in a statement of its own, so that the facts are then read from
-- a snapshot that sees every change committed before the lock was granted: two changes to one episode
-- at once (a consent and a lead accepting) cannot leave the facts of only one of them.
create function episode_facts_changed() returns trigger language plpgsql as $$
declare
  episode bigint := case when tg_op = 'DELETE' then old.episode_id else new.episode_id end;
begin
  perform 1 from episodes where id = episode for update;
  perform episode_facts(episode);
  return null;
end
$$;

create trigger lead_professionals_facts after insert or update or delete on lead_professionals for each row execute function episode_facts_changed();
create trigger consents_facts after insert or update or delete on consents for each row execute function episode_facts_changed();
create trigger meetings_facts after insert or update of status, starts_at or delete on meetings for each row execute function episode_facts_changed();
create trigger reviews_facts after insert or update or delete on reviews for each row execute function episode_facts_changed();

-- Each queue reads the open episodes of a council by the fact it asks about.
create index episodes_no_lead_idx on episodes (la_id) where lead_user_id is null and status in ('assessment-complete', 'plan-active');
create index episodes_consent_idx on episodes (la_id) where status in ('assessment', 'assessment-complete', 'plan-active') and (consent_state is null or consent_state <> 'given');
create index episodes_first_meeting_idx on episodes (la_id) where first_meeting_at is null and status in ('assessment-complete', 'plan-active');
create index episodes_lead_user_idx on episodes (lead_user_id) where lead_user_id is not null;
-- A manager's and a practitioner's lists ask the access rule of each episode in SQL: which episodes
-- an agency is in the team of, or named in the consent of (current or taken off), must be an index read.
create index team_members_agency_idx on team_members (agency_id, episode_id) where left_at is null;
create index consent_agencies_agency_idx on consent_agencies (agency_id, episode_id);

-- An agency's run of missed meetings for a family: how many held meetings in a row it did not attend
-- since it last attended one, and the day of the last. The "repeated non-attendance" queue reads these
-- rows against the council's number; triggers on invitees and meetings keep them right.
create table attendance_runs (
  la_id int not null,
  episode_id bigint not null,
  agency_id int not null,
  missed int not null,
  last_missed_on date not null,
  primary key (episode_id, agency_id)
);
create index attendance_runs_council_idx on attendance_runs (la_id, missed);

create function attendance_run(episode bigint, agency int) returns void language plpgsql as $$
declare
  run record;
begin
  perform 1 from episodes where id = episode for update; -- as episode_facts_changed: a fresh snapshot for what follows
  select max(i.la_id) as la_id, count(distinct m.id)::int as missed, max((m.starts_at at time zone 'Europe/London')::date) as last_missed into run
    from meeting_invitees i join meetings m on m.id = i.meeting_id
    where m.episode_id = episode and i.agency_id = agency and i.attendance = 'did-not-attend' and m.status = 'held'
      and not exists (select 1 from meeting_invitees j join meetings later on later.id = j.meeting_id
        where later.episode_id = episode and j.agency_id = agency and j.attendance = 'attended' and later.status = 'held' and later.starts_at >= m.starts_at);
  if run.missed = 0 then
    delete from attendance_runs where episode_id = episode and agency_id = agency;
  else
    insert into attendance_runs values (run.la_id, episode, agency, run.missed, run.last_missed)
      on conflict (episode_id, agency_id) do update set missed = excluded.missed, last_missed_on = excluded.last_missed_on;
  end if;
end
$$;

create function invitee_attendance_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    perform attendance_run((select m.episode_id from meetings m where m.id = old.meeting_id), old.agency_id);
  else
    perform attendance_run((select m.episode_id from meetings m where m.id = new.meeting_id), new.agency_id);
  end if;
  return null;
end
$$;
create trigger meeting_invitees_runs after insert or update of attendance or delete on meeting_invitees for each row execute function invitee_attendance_changed();

create function meeting_attendance_changed() returns trigger language plpgsql as $$
begin
  perform attendance_run(new.episode_id, a.agency_id) from (select distinct agency_id from meeting_invitees where meeting_id = new.id) a;
  return null;
end
$$;
create trigger meetings_runs after update of status, starts_at on meetings for each row execute function meeting_attendance_changed();

create index episodes_unreviewed_idx on episodes (la_id, created_at) where status <> 'closed' and last_review_on is null;

-- Every fact above for a council's episodes: for the episodes there are already, and after a bulk
-- load (the generator) that writes with these triggers off.
create function refresh_queue_facts(council int) returns void language plpgsql as $$
begin
  perform episode_facts(id) from episodes where la_id = council;
  delete from attendance_runs where la_id = council;
  perform attendance_run(x.episode_id, x.agency_id) from (select distinct m.episode_id, i.agency_id from meeting_invitees i join meetings m on m.id = i.meeting_id
    where i.la_id = council and i.attendance = 'did-not-attend') x;
end
$$;

select refresh_queue_facts(id) from local_authorities;
