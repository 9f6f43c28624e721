-- The visitors and sessions sketches are now io.sightline.sketch.UniqueSketch bytes (format byte 0x11 or 0x12), no
-- longer Apache DataSketches HLL_4 (DataSketches 6.2's memory library refuses to start on JDK 25). The old bytes
-- cannot be read, so every rollup goes: without a rollup_days row a day is answered from raw events, and the rollup
-- job rolls it again. Days whose raw events retention has already deleted cannot be rebuilt and are lost.
DELETE FROM analytics_daily_stats;
DELETE FROM analytics_daily_values;
DELETE FROM rollup_days;
