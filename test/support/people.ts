// People for the API tests. `admin` stands for the install's owner (what a global admin was);
// any other role is held at every station that exists when the person is made, or at the
// stations named.
import type { Knex } from 'knex';
import { hashPassword } from '../../api/auth/passwords.js';
import { issueToken } from '../../api/auth/tokens.js';
import type { UserRole } from '../../domain/vocabulary.js';

let storedHash: Promise<string> | undefined;

export interface TestPerson {
  id: string;
  /** `Bearer <access token>` */
  authorization: string;
  token: string;
}

/**
 * Adds a person who can sign in with `password`: `admin` is the install's owner unless
 * `stations` is given; other roles are held at every station there is now, or at `stations`.
 */
export async function addPerson(
  db: Knex,
  person: { email: string; name: string; role: UserRole; password?: string; passwordHash?: string; stations?: readonly string[] },
): Promise<{ id: string; owner: boolean }> {
  const owner = person.role === 'admin' && !person.stations;
  const passwordHash = person.passwordHash ?? (person.password ? await hashPassword(person.password) : await (storedHash ??= hashPassword('test-password')));
  const [user] = (await db('users').insert({ email: person.email, name: person.name, owner, passwordHash }).returning('id')) as { id: string }[];
  const id = user!.id;
  if (!owner) {
    const stations = (await db('stations')
      .modify((q) => {
        if (person.stations) void q.whereIn('slug', person.stations);
      })
      .select('id')) as { id: string }[];
    if (stations.length) await db('station_memberships').insert(stations.map((s) => ({ userId: id, stationId: s.id, role: person.role })));
  }
  return { id, owner };
}

export async function makePerson(
  db: Knex,
  secret: string,
  role: UserRole,
  options: { stations?: readonly string[]; email?: string; name?: string; tokenOptions?: Parameters<typeof issueToken>[2] } = {},
): Promise<TestPerson> {
  const { id, owner } = await addPerson(db, { email: options.email ?? `${role}-${Math.random()}@test.example`, name: options.name ?? `${role} person`, role, ...(options.stations && { stations: options.stations }) });
  const token = issueToken(secret, { kind: 'user', id, owner }, options.tokenOptions).access_token;
  return { id, token, authorization: `Bearer ${token}` };
}
