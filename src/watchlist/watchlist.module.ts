import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminWatchlistController } from './admin-watchlist.controller';
import { WatchlistEntry } from './watchlist-entry.entity';
import { WatchlistRepository } from './watchlist.repository';
import { WatchlistService } from './watchlist.service';

/** The admin-managed watch list; exports WatchlistService for e-visa screening (`findMatches`). */
@Module({
  imports: [TypeOrmModule.forFeature([WatchlistEntry])],
  controllers: [AdminWatchlistController],
  providers: [WatchlistService, WatchlistRepository],
  exports: [WatchlistService],
})
export class WatchlistModule {}
