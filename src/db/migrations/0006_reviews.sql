-- Reviews: on a schedule set by the level of need, each looks again at every open desired outcome,
-- takes the domain scores again from the practitioner and the family (so distance travelled shows),
-- and ends with a decision.

alter table need_levels add column review_days int check (review_days between 7 and 366);
update need_levels set review_days = case tier when 2 then 182 when 3 then 42 end;

alter table episodes add column next_review_on date;

create table reviews (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  held_on date not null,
  decision text not null check (decision in ('continue', 'change-plan')),
  next_review_on date not null,
  summary text,
  created_by int not null references users(id),
  created_at timestamptz not null default now(),
  unique (la_id, id),
  foreign key (la_id, episode_id) references episodes(la_id, id)
);
create index reviews_episode_idx on reviews (episode_id, held_on);

-- What the review found for each desired outcome open at the time, with the evidence in words.
create table review_outcomes (
  review_id bigint not null,
  la_id int not null,
  outcome_id bigint not null,
  progress text not null check (progress in ('achieved', 'progressing', 'no-progress', 'no-longer-relevant')),
  evidence text not null,
  primary key (review_id, outcome_id),
  foreign key (la_id, review_id) references reviews(la_id, id),
  foreign key (la_id, outcome_id) references plan_outcomes(la_id, id)
);

-- The scores taken again at the review: for each element (and child, for per-child domains), the
-- practitioner's and the family's, on the council's scale.
create table review_scores (
  review_id bigint not null,
  la_id int not null,
  subject_id bigint not null default 0,
  element_code text not null,
  practitioner int,
  family int,
  primary key (review_id, subject_id, element_code),
  foreign key (la_id, review_id) references reviews(la_id, id)
);
