-- Version 3 for PostgreSQL: nothing to do. SQLite's version 3 moves steps out of a WITHOUT ROWID
-- table; PostgreSQL's tables are heaps with their key in a separate index from the start.
SELECT 1;
