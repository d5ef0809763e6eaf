-- The reports read an episode's follow-up calls (whether the change lasted, Supporting Families'
-- six-month call): without this, each episode's calls were a scan of every council's.
create index follow_ups_episode_idx on follow_ups (episode_id, months);
