-- Reminders: an email to each practitioner and manager with what has slipped in their work queues
-- (counts and links only, never a child's name), weekly on the council's day unless they choose
-- every working day or none. last_reminded_on keeps a day's reminder from going twice.
alter table caf_settings add column reminder_weekday int not null default 1 check (reminder_weekday between 1 and 7);
alter table users add column reminders text not null default 'weekly' check (reminders in ('weekly', 'daily', 'none'));
alter table users add column last_reminded_on date;
