import type { Knex } from 'knex';
import { LOG_STATUS_CHANNEL } from '../db/log-status-feed.js';

// Every change of a day's status, version or at-risk flag is announced on the `log_status`
// channel, whichever process made it (a worker's activity, an API call, an operator's SQL):
// API servers LISTEN and push it to their WebSocket clients. The payload is small (NOTIFY
// allows 8 kB) and the transaction that made the change sends it only when it commits.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION notify_log_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('${LOG_STATUS_CHANNEL}', json_build_object(
        'logId', NEW.id,
        'stationId', NEW.station_id,
        'station', (SELECT slug FROM stations WHERE id = NEW.station_id),
        'date', to_char(NEW.broadcast_date, 'YYYY-MM-DD'),
        'status', NEW.status,
        'version', NEW.version,
        'approvedVersion', NEW.approved_version,
        'publishedVersion', NEW.published_version,
        'atRisk', NEW.at_risk,
        'step', NEW.current_step,
        'failure', left(NEW.failure, 1000)
      )::text);
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER daily_logs_notify_status
    AFTER INSERT OR UPDATE OF status, version, approved_version, published_version, at_risk, current_step, failure ON daily_logs
    FOR EACH ROW EXECUTE FUNCTION notify_log_status()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER daily_logs_notify_status ON daily_logs');
  await knex.raw('DROP FUNCTION notify_log_status()');
}
