-- Waits up to 5 s until a vote batch transaction of the vote consumer is open in mitreden_voting, then says
-- open=N (NOTICE): the moment kill-consumer's SIGKILL lands inside a batch.
DO $$ DECLARE n int; t timestamptz := clock_timestamp(); BEGIN
    LOOP
      PERFORM pg_stat_clear_snapshot();
      SELECT count(*) INTO n FROM pg_stat_activity WHERE datname = 'mitreden_voting' AND xact_start IS NOT NULL
        AND query ~ '(INSERT INTO vote_log|pg_advisory_xact_lock|INSERT INTO current_votes|INSERT INTO tallies|INSERT INTO ballot_counters)';
      EXIT WHEN n > 0 OR clock_timestamp() - t > interval '5 seconds';
      PERFORM pg_sleep(0.001);
    END LOOP;
    RAISE NOTICE 'open=%', n;
  END $$;
