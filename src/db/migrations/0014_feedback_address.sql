-- Where the council's users send feedback about CAF Hub (the beta banner links to it): an email
-- address or an https web page, set by the administrator. Until one is set, the banner asks for none.
alter table caf_settings add column feedback_address text;
alter table caf_settings add constraint caf_settings_feedback_address_form
  check (feedback_address is null or feedback_address ~ '^(https://\S+|[^\s@]+@[^\s@]+\.[^\s@]+)$');
