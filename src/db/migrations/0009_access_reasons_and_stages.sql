-- Access the hub reviews: breaking the glass, and starting a CAF for a child whose record the
-- practitioner had no right to see (they say why: their relationship to the child). A start gives
-- no right to the record for the session, as breaking the glass does: only the episode's own rules.
alter table break_glass add column purpose text not null default 'break-glass' check (purpose in ('break-glass', 'start-caf'));
alter table break_glass drop constraint break_glass_target;
alter table break_glass add constraint break_glass_target check (
  case purpose when 'start-caf' then person_id is not null and episode_id is not null else (person_id is null) <> (episode_id is null) end
);

-- Every change of an episode's stage: who, when, from and to. Written by one function
-- (episodes/stages.ts); the reports measure timeliness from these rows.
create table episode_stage_changes (
  id bigserial primary key,
  la_id int not null references local_authorities(id),
  episode_id bigint not null references episodes(id),
  from_stage text check (from_stage in ('intention', 'pre-assessment', 'assessment', 'assessment-complete', 'plan-active', 'closed')),
  to_stage text not null check (to_stage in ('intention', 'pre-assessment', 'assessment', 'assessment-complete', 'plan-active', 'closed')),
  changed_by int not null references users(id),
  changed_at timestamptz not null default now()
);
create index episode_stage_changes_episode_idx on episode_stage_changes (episode_id, changed_at);
create index episode_stage_changes_la_idx on episode_stage_changes (la_id, to_stage, changed_at);

-- Episodes started before this table existed: their start, as the stage they are at now.
insert into episode_stage_changes (la_id, episode_id, from_stage, to_stage, changed_by, changed_at)
select la_id, id, null, status, initiator_user_id, created_at from episodes;
