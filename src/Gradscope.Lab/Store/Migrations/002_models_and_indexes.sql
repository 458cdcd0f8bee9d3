-- Version 2: the optional saved model (safetensors bytes) and the indexes `runs list` filters by.
ALTER TABLE runs ADD COLUMN model BLOB;
CREATE INDEX runs_started ON runs(started);
CREATE INDEX runs_status ON runs(status);
CREATE INDEX run_tags_tag ON run_tags(tag);
CREATE INDEX runs_parent ON runs(parent_id);
