import { WatchlistEntryResponse } from './dto/watchlist-entry.dto';
import { WatchlistEntry } from './watchlist-entry.entity';

export function watchlistEntryView(entry: WatchlistEntry): WatchlistEntryResponse {
  return {
    id: entry.id,
    surname: entry.surname,
    givenNames: entry.givenNames,
    dateOfBirth: entry.dateOfBirth,
    nationality: entry.nationality,
    note: entry.note,
    createdBy: entry.createdBy,
    createdAt: entry.createdAt.toISOString(),
  };
}
