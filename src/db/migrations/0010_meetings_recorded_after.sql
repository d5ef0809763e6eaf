-- A meeting written up after it happened, without being arranged in CAF Hub first (the first
-- meeting may predate the episode on paper): nobody was sent an invitation for it.
alter table meetings add column recorded_after_event boolean not null default false;
