-- Version 1: runs with their labels, per-step numbers, histograms and epochs.
CREATE TABLE runs (
    id              TEXT PRIMARY KEY,
    name            TEXT,
    kind            TEXT NOT NULL,
    parent_id       TEXT,
    spec            TEXT,
    data_name       TEXT,
    data_path       TEXT,
    data_size       INTEGER,
    data_sha256     TEXT,
    version         TEXT,
    host            TEXT,
    pid             INTEGER,
    process_started TEXT,
    started         TEXT NOT NULL,
    ended           TEXT,
    heartbeat       TEXT,
    status          TEXT NOT NULL,
    error           TEXT,
    layers          TEXT NOT NULL,
    activation      TEXT,
    steps           INTEGER NOT NULL DEFAULT 0,
    loss            REAL,
    train_accuracy  REAL,
    test_accuracy   REAL,
    findings        TEXT,
    first_non_finite TEXT
);

CREATE TABLE run_tags (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tag    TEXT NOT NULL,
    PRIMARY KEY (run_id, tag)
) WITHOUT ROWID;

-- One row per recorded step; stats holds every statistic of every layer as little-endian
-- doubles, statistic-major ([statistic][layer]), LayerStat order.
CREATE TABLE steps (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    step          INTEGER NOT NULL,
    loss          REAL,
    learning_rate REAL,
    wall_seconds  REAL,
    stats         BLOB NOT NULL,
    PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;

-- counts: little-endian int32 per bin.
CREATE TABLE histograms (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    idx    INTEGER NOT NULL,
    layer  INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    counts BLOB NOT NULL,
    PRIMARY KEY (run_id, idx, layer, kind)
) WITHOUT ROWID;

CREATE TABLE epochs (
    run_id         TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch          INTEGER NOT NULL,
    steps          INTEGER NOT NULL,
    train_loss     REAL,
    train_accuracy REAL,
    test_loss      REAL,
    test_accuracy  REAL,
    learning_rate  REAL,
    PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;
