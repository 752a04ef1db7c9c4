// Each station says where its logs go (stations.playout_target): LibreTime, or files under the
// data folder. One worker serves every station, so the choice is made per publish.
import type { Knex } from 'knex';
import type { PlayoutTarget } from '../../domain/vocabulary.js';
import type { PublishableLog, PublishReceipt, Publisher } from './publisher.js';

export function createStationPublisher(db: Knex, publishers: Record<PlayoutTarget, Publisher>): Publisher {
  return {
    target: 'station',
    async publish(log: PublishableLog): Promise<PublishReceipt> {
      const station = (await db('stations').where({ id: log.station.id }).first('playoutTarget')) as { playoutTarget: PlayoutTarget };
      return publishers[station.playoutTarget].publish(log);
    },
  };
}
