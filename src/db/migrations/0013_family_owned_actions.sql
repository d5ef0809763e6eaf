-- An action in the plan may belong to a family member (the plan is the family's too): then it has
-- no agency. Every action belongs to an agency (perhaps with a named practitioner) or a family member.
alter table plan_actions alter column owner_agency_id drop not null;
alter table plan_actions add column owner_person_id bigint;
alter table plan_actions add constraint plan_actions_owner_person_fk foreign key (la_id, owner_person_id) references people(la_id, id);
alter table plan_actions add constraint plan_actions_one_owner check ((owner_agency_id is null) <> (owner_person_id is null));
