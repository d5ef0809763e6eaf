-- A panel meeting's UK date (when members' reading of its cases ends, at its midnight) follows from
-- when it starts: derived by the database rather than written beside it.
alter table panel_meetings drop column meets_on;
alter table panel_meetings add column meets_on date not null generated always as ((starts_at at time zone 'Europe/London')::date) stored;
