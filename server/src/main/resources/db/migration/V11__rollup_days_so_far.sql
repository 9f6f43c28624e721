-- The day in progress is rolled up too, so that a range ending today reads only its last minutes raw. Such a row
-- counts the day's events before "until" only; NULL means the whole day (V5__rollups.sql). A partial row is
-- replaced by every rollup run and by the whole day's roll once the day is finished; months are built from whole
-- days only. Late events for the rolled part are marked in rollup_dirty as for any rolled day, so the rollup job
-- re-rolls the part (see RollupJob) and readers read the day raw meanwhile.
ALTER TABLE rollup_days ADD COLUMN until timestamptz;
