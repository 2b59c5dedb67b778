-- Role mitreden (password :'pw') and one database per service (:'dbs', comma-separated); idempotent.
-- Run by pg_setup (servers.sh) through psql_admin.
SELECT format('CREATE ROLE mitreden LOGIN PASSWORD %L', :'pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mitreden') \gexec
SELECT format('ALTER ROLE mitreden LOGIN PASSWORD %L', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER mitreden', d) FROM unnest(string_to_array(:'dbs', ',')) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d) \gexec
