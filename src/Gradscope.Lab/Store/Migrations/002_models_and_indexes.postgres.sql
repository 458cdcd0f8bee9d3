-- Version 2 for PostgreSQL: as 002_models_and_indexes.sql, the model as bytea.
ALTER TABLE runs ADD COLUMN model BYTEA;
CREATE INDEX runs_started ON runs(started);
CREATE INDEX runs_status ON runs(status);
CREATE INDEX run_tags_tag ON run_tags(tag);
CREATE INDEX runs_parent ON runs(parent_id);
