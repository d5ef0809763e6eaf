-- Closing as "needs met" while desired outcomes are still open: the lead professional says why.
alter table episodes add column closed_with_open_outcomes text;
