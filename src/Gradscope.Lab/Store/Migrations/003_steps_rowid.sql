-- Version 3: steps become an ordinary (rowid) table. A step's statistics BLOB (11 x layers x 8
-- bytes, 1.8 KB for 21 layers) is far above what a WITHOUT ROWID b-tree keeps on its page, so
-- every row spilled into an overflow page: twice the pages written per step, twice the writer's
-- CPU. Rowid rows append to the table's last page; the (run_id, idx) key is a small index.
CREATE TABLE steps_v3 (
    run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    step          INTEGER NOT NULL,
    loss          REAL,
    learning_rate REAL,
    wall_seconds  REAL,
    stats         BLOB NOT NULL,
    PRIMARY KEY (run_id, idx)
);
INSERT INTO steps_v3 (run_id, idx, step, loss, learning_rate, wall_seconds, stats)
    SELECT run_id, idx, step, loss, learning_rate, wall_seconds, stats FROM steps ORDER BY run_id, idx;
DROP TABLE steps;
ALTER TABLE steps_v3 RENAME TO steps;
