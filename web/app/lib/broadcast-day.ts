/** How many broadcast days the stations page shows, today first. */
export const NEXT_DAYS = 7;
