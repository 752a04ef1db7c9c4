// What the signed-in person may do where: roles are held per station, and the API says which
// (GET /me) on every page load, so a role given or taken away shows at once. The API still
// decides every request; these only choose which buttons and forms a page offers.
import type { UserRole } from '../../../domain/vocabulary.js';
import { api } from './api.server.js';

export interface Me {
  id: string;
  name: string;
  owner: boolean;
  stations: { slug: string; name: string; roles: UserRole[] }[];
}

export const whoAmI = (request: Request) => api<Me>(request, '/me');

/** The roles held at one station (owners hold every role everywhere). */
export async function rolesAt(request: Request, station: string | undefined): Promise<UserRole[]> {
  const me = await whoAmI(request);
  return me.stations.find((s) => s.slug === station)?.roles ?? [];
}

/** Whether the roles include one of `wanted`; a station's admin may do everything there. */
export const mayAny = (roles: readonly UserRole[], wanted: readonly UserRole[]): boolean => roles.includes('admin') || wanted.some((role) => roles.includes(role));
