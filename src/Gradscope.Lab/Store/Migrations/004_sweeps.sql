-- Version 4: sweeps and their trials. The trials table is a queue: a runner claims a queued (or
-- failed, or interrupted) trial by setting it running with its worker, and finishes it done or
-- failed with its run; any number of workers, in one process or many, can share it.
CREATE TABLE sweeps (
    name       TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    grid_hash  TEXT NOT NULL,
    created    TEXT NOT NULL,
    updated    TEXT NOT NULL
);

CREATE TABLE sweep_trials (
    sweep      TEXT NOT NULL REFERENCES sweeps(name) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    trial_key  TEXT NOT NULL,
    cell       TEXT NOT NULL,
    seed       INTEGER NOT NULL,
    spec       TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed', 'interrupted')),
    run_id     TEXT REFERENCES runs(id) ON DELETE SET NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    worker     TEXT,
    updated    TEXT NOT NULL,
    PRIMARY KEY (sweep, trial_key)
);

CREATE INDEX sweep_trials_queue ON sweep_trials(sweep, state, idx);
