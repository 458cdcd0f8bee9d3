-- Version 5: the trial queue that workers on many machines share. A running trial holds a lease
-- (lease_until, on the database's clock) that its worker's heartbeat renews; a lapsed lease puts
-- it back in the queue (the attempt is 'lost'). Every claim is an attempt, kept with its worker, run and error; a trial
-- is finished by exactly one attempt. Workers announce themselves and beat in `workers`; one is
-- alive while its last heartbeat is within its lease (lease_seconds).
ALTER TABLE sweep_trials ADD COLUMN lease_until TEXT;
ALTER TABLE sweep_trials ADD COLUMN finished TEXT;

CREATE INDEX sweep_trials_finished ON sweep_trials(sweep, finished);

CREATE TABLE trial_attempts (
    sweep     TEXT NOT NULL,
    trial_key TEXT NOT NULL,
    attempt   INTEGER NOT NULL,
    worker    TEXT NOT NULL,
    host      TEXT NOT NULL,
    run_id    TEXT,
    state     TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'interrupted', 'lost')),
    error     TEXT,
    started   TEXT NOT NULL,
    ended     TEXT,
    PRIMARY KEY (sweep, trial_key, attempt),
    FOREIGN KEY (sweep, trial_key) REFERENCES sweep_trials(sweep, trial_key) ON DELETE CASCADE
);

CREATE INDEX trial_attempts_run ON trial_attempts(run_id);

CREATE TABLE workers (
    id        TEXT PRIMARY KEY,
    host      TEXT NOT NULL,
    pid       BIGINT NOT NULL,
    sweep     TEXT,
    slots     INTEGER NOT NULL,
    lease_seconds DOUBLE PRECISION NOT NULL,
    started   TEXT NOT NULL,
    heartbeat TEXT NOT NULL,
    stopped   TEXT,
    done      INTEGER NOT NULL DEFAULT 0
);
