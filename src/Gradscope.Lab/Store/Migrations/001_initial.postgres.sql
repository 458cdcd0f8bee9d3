-- Version 1 for PostgreSQL: as 001_initial.sql, in PostgreSQL's types (REAL is double precision,
-- BLOB is bytea, ids and sizes that may pass 2^31 are bigint).
CREATE TABLE runs (
    id              TEXT PRIMARY KEY,
    name            TEXT,
    kind            TEXT NOT NULL,
    parent_id       TEXT,
    spec            TEXT,
    data_name       TEXT,
    data_path       TEXT,
    data_size       BIGINT,
    data_sha256     TEXT,
    version         TEXT,
    host            TEXT,
    pid             BIGINT,
    process_started TEXT,
    started         TEXT NOT NULL,
    ended           TEXT,
    heartbeat       TEXT,
    status          TEXT NOT NULL,
    error           TEXT,
    layers          TEXT NOT NULL,
    activation      TEXT,
    steps           INTEGER NOT NULL DEFAULT 0,
    loss            DOUBLE PRECISION,
    train_accuracy  DOUBLE PRECISION,
    test_accuracy   DOUBLE PRECISION,
    findings        TEXT,
    first_non_finite TEXT
);

CREATE TABLE run_tags (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tag    TEXT NOT NULL,
    PRIMARY KEY (run_id, tag)
);

CREATE TABLE steps (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    step          INTEGER NOT NULL,
    loss          DOUBLE PRECISION,
    learning_rate DOUBLE PRECISION,
    wall_seconds  DOUBLE PRECISION,
    stats         BYTEA NOT NULL,
    PRIMARY KEY (run_id, idx)
);

CREATE TABLE histograms (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    idx    INTEGER NOT NULL,
    layer  INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    counts BYTEA NOT NULL,
    PRIMARY KEY (run_id, idx, layer, kind)
);

CREATE TABLE epochs (
    run_id         TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch          INTEGER NOT NULL,
    steps          INTEGER NOT NULL,
    train_loss     DOUBLE PRECISION,
    train_accuracy DOUBLE PRECISION,
    test_loss      DOUBLE PRECISION,
    test_accuracy  DOUBLE PRECISION,
    learning_rate  DOUBLE PRECISION,
    PRIMARY KEY (run_id, epoch)
);
