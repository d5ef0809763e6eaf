-- A review may end the episode: close it, or step up to children's social care. Closure reasons
-- become editable by the council's administrator, and a step up is kept where the social-care
-- interface (a later issue) will pick it up.

alter table reviews drop constraint reviews_decision_check;
alter table reviews add constraint reviews_decision_check check (decision in ('continue', 'change-plan', 'close', 'step-up'));
-- A review that ends the episode sets no next review; any other must.
alter table reviews alter column next_review_on drop not null;
alter table reviews add constraint reviews_next_review_check check ((decision in ('close', 'step-up')) = (next_review_on is null));

alter table closure_reasons add column version int not null default 1;

-- A step up to children's social care, decided at a review or on closing. Until the social-care
-- interface exists, the practitioner refers by the council's safeguarding contact; handed_over_at
-- stays empty for that interface to fill when it passes the family on.
create table step_ups (
  id bigserial primary key,
  la_id int not null,
  episode_id bigint not null,
  review_id bigint,
  decided_by int not null references users(id),
  decided_at timestamptz not null default now(),
  handed_over_at timestamptz,
  unique (la_id, id),
  foreign key (la_id, episode_id) references episodes(la_id, id),
  foreign key (la_id, review_id) references reviews(la_id, id)
);
create index step_ups_waiting_idx on step_ups (la_id, decided_at) where handed_over_at is null;

-- Two reasons with the same name could not be told apart in reports.
create unique index closure_reasons_label_unique on closure_reasons (la_id, lower(label));

-- The Team Around the Family includes the family members who take part, as well as practitioners.
alter table episode_people add column in_team boolean not null default false;

-- A review may set a new desired outcome, for a need it found; the next review goes back to it.
alter table plan_outcomes add column review_id bigint;
alter table plan_outcomes add foreign key (la_id, review_id) references reviews(la_id, id);
